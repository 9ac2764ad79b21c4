"""``earshot classify``: classify remarks from stdin or a file, one JSON line each.

Goes through WorkspaceModel, the same code path the bot uses, so what you see here
is what the bot would file.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import IO

import click

from bot import classify
from bot.classify import DEFAULT_THRESHOLD, SENTIMENTS, LabelledExample, ProcessSpec
from bot.classify.model import Classification
from bot.cli.common import fail, out_option, output
from bot.domain.processes.process_file import (
    ProcessDef,
    ProcessFileError,
    load_processes,
    load_starter_processes,
)


class _InputError(Exception):
    """A user-facing input problem: printed as one line, exit code 2."""


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with their line numbers; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _InputError(f"{path}: cannot read: {exc}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise _InputError(f"{path}: line 1: empty file, expected a header row")
        header = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise _InputError(
                f"{path}: line 1: missing column(s) {', '.join(missing)} "
                f"(header is: {', '.join(header)})"
            )
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise _InputError(
                    f"{path}: line {line}: expected {len(header)} fields, got {len(values)}"
                )
            rows.append((line, dict(zip(header, values, strict=True))))
        return rows
    except csv.Error as exc:
        raise _InputError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None


def _load_registry(path: Path | None) -> list[ProcessDef]:
    if path is None:
        return load_starter_processes()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _InputError(f"{path}: cannot read: {exc}") from None
    try:
        return load_processes(text)
    except ProcessFileError as exc:
        raise _InputError(f"{path}: {exc}") from None


def _load_training(path: Path, names: dict[str, str]) -> list[LabelledExample]:
    examples = []
    for line, row in _read_csv(path, ("text", "process")):
        process = row["process"].strip()
        key = None
        if process:
            key = names.get(process.casefold())
            if key is None:
                raise _InputError(f"{path}: line {line}: unknown process '{process}'")
        sentiment = (row.get("sentiment") or "").strip().lower() or None
        if sentiment is not None and sentiment not in SENTIMENTS:
            raise _InputError(
                f"{path}: line {line}: sentiment must be one of {', '.join(SENTIMENTS)}"
            )
        examples.append(LabelledExample(row["text"], key, sentiment))
    return examples


def _read_remarks(path: Path | None) -> tuple[list[str], int]:
    """The remarks to classify, and how many blank lines (or empty CSV texts) were skipped."""
    if path is None:
        lines = [line.rstrip("\r\n") for line in sys.stdin]
    elif path.suffix.lower() == ".csv":
        lines = [row["text"] for _, row in _read_csv(path, ("text",))]
    else:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise _InputError(f"{path}: cannot read: {exc}") from None
    remarks = [ln for ln in lines if ln.strip()]
    return remarks, len(lines) - len(remarks)


@click.command("classify")
@click.option("--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Remarks file: one per line, or a .csv with a 'text' column (default: stdin).")
@out_option("the JSON lines")
@click.option("--processes", "processes_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Process registry YAML (default: the starter processes).")
@click.option("--train", "train_path", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV of corrections: text,process[,sentiment].")
@click.option("--sentiment-only", is_flag=True, help="Skip routing; judge sentiment only.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=DEFAULT_THRESHOLD,
              show_default=True, help="Confidence below which a remark stays unfiled.")
@click.option("--themes", "with_themes", is_flag=True,
              help="Also group remarks into themes inside each process, in input order as the "
                   "bot would (adds theme id and label).")
def classify_command(
    input_path: Path | None,
    out: Path | None,
    processes_path: Path | None,
    train_path: Path | None,
    sentiment_only: bool,
    threshold: float,
    with_themes: bool,
) -> None:
    """Classify remarks: print one JSON object per remark (process, confidence, sentiment, idea)."""
    try:
        defs = [] if sentiment_only else [d for d in _load_registry(processes_path)
                                          if not d.archived]
        names = {d.name.casefold(): d.name for d in defs}
        specs = [ProcessSpec(d.name, d.name, d.description, d.keywords) for d in defs]
        examples = _load_training(train_path, names) if train_path else []
        if sentiment_only:
            examples = [LabelledExample(e.text, None, e.sentiment) for e in examples]
        remarks, blank = _read_remarks(input_path)
    except _InputError as exc:
        fail(str(exc), status=2)
    if blank:
        what = "blank line" if input_path is None or input_path.suffix.lower() != ".csv" else "row with no text"
        click.echo(f"earshot: skipped {blank} {what}{'s' if blank != 1 else ''}.", err=True)
    model = classify.WorkspaceModel.build(specs, examples, threshold=threshold)
    results = model.classify_many(remarks)
    grouped = (_themes(remarks, [r.routing.process_key for r in results]) if with_themes
               else None)
    with output(out) as stream:
        _print(stream, remarks, results, grouped)


def _print(stream: IO[str], remarks: list[str], results: list[Classification],
           grouped: list[tuple[str | None, str | None]] | None) -> None:
    for i, (text, result) in enumerate(zip(remarks, results, strict=True)):
        routing = result.routing
        out: dict[str, object] = {
            "text": text,
            "process": routing.process_key,
            "confidence": round(routing.confidence, 3),
            # The tone, always praise/complaint/neutral; "filed_as" is what the bot
            # files, "suggestion" when the remark is an idea.
            "sentiment": result.sentiment.tone,
            "score": round(result.sentiment.score, 3),
            "suggestion": result.sentiment.label == "suggestion",
            "suggestion_confidence": round(result.sentiment.suggestion, 3),
            "filed_as": result.sentiment.label,
            # ISO 639-1; not "en": Earshot does not read it, so it is left unfiled, for a person.
            "language": result.language,
        }
        if grouped is not None:
            out["theme"], out["theme_label"] = grouped[i]
        stream.write(json.dumps(out, ensure_ascii=False) + "\n")


def _themes(texts: list[str], processes: list[str | None]) -> list[tuple[str | None, str | None]]:
    """Each remark's theme id ("<process>/<n>") and label; (None, None) when too short to
    group. Themes are formed per process in input order, as the bot forms them; unfiled
    remarks are grouped among themselves ("unfiled/<n>"), so a file classified without a
    registry can still be grouped and measured (the bot themes filed remarks only)."""
    from bot.classify import themes

    out: list[tuple[str | None, str | None]] = [(None, None)] * len(texts)
    by_process: dict[str, list[int]] = {}
    for i, p in enumerate(processes):
        by_process.setdefault(p if p is not None else "unfiled", []).append(i)
    for p, rows in by_process.items():
        got = themes.group([texts[i] for i in rows])
        members: dict[int, list[str]] = {}
        for i, g in zip(rows, got, strict=True):
            if g is not None:
                members.setdefault(g, []).append(texts[i])
        names = themes.labels(members)
        for i, g in zip(rows, got, strict=True):
            if g is not None:
                out[i] = (f"{p}/{g + 1}", names[g])
    return out
