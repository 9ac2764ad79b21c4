"""``earshot classify``: classify remarks from stdin or a file, one result each (JSON Lines or CSV).

Goes through WorkspaceModel, the same code path the bot uses, so what you see here
is what the bot would file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from bot import classify
from bot.classify import DEFAULT_THRESHOLD, SENTIMENTS, LabelledExample, ProcessSpec
from bot.classify.model import Classification
from bot.cli import classify_io as io_
from bot.cli.classify_io import InputError
from bot.cli.common import fail, out_option, output
from bot.domain.processes.process_file import (
    ProcessDef,
    ProcessFileError,
    load_processes,
    load_starter_processes,
)


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with their line numbers; errors name the file and line."""
    text = io_.read_text(path)  # "no such file.", not UTF-8: one line, exit 2
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{path}: line 1: empty file, expected a header row")
        header = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(
                f"{path}: line 1: missing column(s) {', '.join(missing)} "
                f"(header is: {', '.join(header)})"
            )
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InputError(
                    f"{path}: line {line}: expected {len(header)} fields, got {len(values)}"
                )
            rows.append((line, dict(zip(header, values, strict=True))))
        return rows
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None


def _load_registry(path: Path | None) -> list[ProcessDef]:
    if path is None:
        return load_starter_processes()
    text = io_.read_text(path)
    try:
        return load_processes(text)
    except ProcessFileError as exc:
        raise InputError(f"{path}: {exc}") from None


def _load_training(path: Path, names: dict[str, str]) -> list[LabelledExample]:
    examples = []
    for line, row in _read_csv(path, ("text", "process")):
        process = row["process"].strip()
        key = None
        if process:
            key = names.get(process.casefold())
            if key is None:
                raise InputError(f"{path}: line {line}: unknown process '{process}' "
                                 f"(processes: {', '.join(names.values()) or 'none'})")
        sentiment = (row.get("sentiment") or "").strip().lower() or None
        if sentiment is not None and sentiment not in SENTIMENTS:
            raise InputError(
                f"{path}: line {line}: sentiment must be one of {', '.join(SENTIMENTS)}"
            )
        examples.append(LabelledExample(row["text"], key, sentiment))
    return examples


@click.command("classify")
@click.argument("file", required=False, metavar="[FILE]",
                type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--input", "input_path", type=click.Path(path_type=Path, dir_okay=False,
                                                        allow_dash=True),
              help="Remarks file: one per line, a .csv/.tsv with a 'text' column, or .jsonl "
                   "with a \"text\" field (default: standard input).")
@click.option("--input-format", "in_fmt", type=click.Choice(io_.INPUT_FORMATS), default=None,
              help="How to read the input (default: from its extension; standard input: lines).")
@click.option("--text-column", metavar="NAME|N", default=None,
              help="The column (or JSON field) holding the remarks (default: text); a CSV "
                   "column may be given by its 1-based number.")
@click.option("--no-header", "no_header", is_flag=True,
              help="The CSV/TSV has no header row: columns are 1, 2, 3...")
@out_option("the results")
@click.option("--format", "out_fmt", type=click.Choice(io_.OUTPUT_FORMATS), default=None,
              help="jsonl, csv or tsv (default: from the -o file's extension, else jsonl).")
@click.option("--processes", "processes_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Process registry YAML (default: the starter processes).")
@click.option("--train", "train_path", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV of corrections: text,process[,sentiment].")
@click.option("--sentiment-only", is_flag=True, help="Skip routing; judge sentiment only.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=DEFAULT_THRESHOLD,
              show_default=True, help="Confidence below which a remark stays unfiled.")
@click.option("--customers", "customers_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Customer registry (YAML, or .csv, as 'earshot customers export' writes "
                   "it): their names and aliases never appear in a theme label.")
@click.option("--themes", "with_themes", is_flag=True,
              help="Also group the file's remarks into themes, in input order (adds theme id "
                   "and label).")
@click.option("--themes-by-process", "by_process", is_flag=True,
              help="With --themes: form themes inside each process, as the bot does, rather "
                   "than across the whole file.")
def classify_command(
    file: Path | None,
    input_path: Path | None,
    in_fmt: str | None,
    text_column: str | None,
    no_header: bool,
    out: Path | None,
    out_fmt: str | None,
    processes_path: Path | None,
    train_path: Path | None,
    sentiment_only: bool,
    threshold: float,
    customers_path: Path | None,
    with_themes: bool,
    by_process: bool,
) -> None:
    """Classify remarks from FILE (or --input FILE, or standard input): one result per remark (process, confidence, sentiment, idea, language),
    in input order, each with its input row number and the row's other columns."""
    if file is not None and input_path is not None:
        fail("give the remarks file once: FILE or --input FILE.", status=2)
    input_path = input_path or file
    try:
        defs = [] if sentiment_only else [d for d in _load_registry(processes_path)
                                          if not d.archived]
        names = {d.name.casefold(): d.name for d in defs}
        specs = [ProcessSpec(d.name, d.name, d.description, d.keywords) for d in defs]
        examples = _load_training(train_path, names) if train_path else []
        if sentiment_only:
            examples = [LabelledExample(e.text, None, e.sentiment) for e in examples]
        customers = _load_customers(customers_path) if customers_path else []
        fmt = io_.input_format(in_fmt, input_path)
        read, blank, fmt = io_.read_remarks(input_path, fmt, text_column,
                                            header=not no_header)
    except InputError as exc:
        fail(str(exc), status=2)
    if blank:
        what = "blank line" if fmt == "lines" else "row with no text"
        click.echo(f"earshot: skipped {blank} {what}{'s' if blank != 1 else ''}.", err=True)
    remarks = [r.text for r in read]
    model = classify.WorkspaceModel.build(specs, examples, threshold=threshold)
    results = model.classify_many(remarks)
    # As the bot does: no label names a registered customer, nor one a row is about.
    customers += [str(r.extra["customer"]) for r in read if r.extra.get("customer")]
    # A file is grouped as one set unless asked otherwise: routing a set of fine intents
    # to a few coarse processes first would cut their groups (docs/cli.md, "Scoring").
    keys: list[str | None] = ([r.routing.process_key for r in results] if by_process
                              else [_WHOLE_FILE] * len(results))
    with_themes = with_themes or by_process
    grouped = _themes(remarks, keys, customers) if with_themes else None
    records = [io_.carried(r, _FIELDS) | _result(r.text, res)
               for r, res in zip(read, results, strict=True)]
    if grouped is not None:
        for rec, (theme, label) in zip(records, grouped, strict=True):
            rec["theme"], rec["theme_label"] = theme, label
    with output(out) as stream:
        io_.write(stream, io_.output_format(out_fmt, out), records,
                  ("row", *_FIELDS[:None if with_themes else -2]))


# The fields a result has: an input column of the same name is carried as "input_<name>".
_FIELDS = ("text", "process", "confidence", "sentiment", "score", "suggestion",
           "suggestion_confidence", "filed_as", "language", "theme", "theme_label")


def _result(text: str, result: Classification) -> dict[str, object]:
    routing, s = result.routing, result.sentiment
    return {
        "text": text,
        "process": routing.process_key,
        "confidence": round(routing.confidence, 3),
        # The tone, always praise/complaint/neutral; "filed_as" is what the bot
        # files, "suggestion" when the remark is an idea.
        "sentiment": result.sentiment.tone,
        # The tone's score, -1..1, also for an idea (whose SentimentResult.score is the
        # idea detector's confidence: that is "suggestion_confidence").
        "score": round(s.score if (p := s.polarity) is None else p, 3),
        "suggestion": result.sentiment.label == "suggestion",
        "suggestion_confidence": round(result.sentiment.suggestion, 3),
        "filed_as": result.sentiment.label,
        # ISO 639-1; not "en": Earshot does not read it, so it is left unfiled, for a person.
        "language": result.language,
    }


def _load_customers(path: Path) -> list[str]:
    """The names and aliases of a customer registry file."""
    from bot.domain.customers.file import CustomerFileError, parse

    text = io_.read_text(path)
    try:
        entries, _ = parse(text, csv_format=path.suffix.lower() == ".csv")
    except CustomerFileError as exc:
        raise InputError(f"{path}: {exc}") from None
    return [n for e in entries for n in (e.name, *e.aliases)]


def _themes(texts: list[str], processes: list[str | None],
            customers: list[str]) -> list[tuple[str | None, str | None]]:
    """Each remark's theme id and label; (None, None) when too short to group. Themes are
    formed per key in input order, as the bot forms them per process: "<n>" for the whole
    file, else "<process>/<n>", unfiled remarks grouped among themselves ("unfiled/<n>")."""
    from bot.classify import theme_labels, themes

    out: list[tuple[str | None, str | None]] = [(None, None)] * len(texts)
    by_key: dict[str, list[int]] = {}
    for i, p in enumerate(processes):
        by_key.setdefault(p if p is not None else "unfiled", []).append(i)
    for p, rows in by_key.items():
        got = themes.group([texts[i] for i in rows])
        members: dict[int, list[str]] = {}
        for i, g in zip(rows, got, strict=True):
            if g is not None:
                members.setdefault(g, []).append(texts[i])
        # the whole file is the "workspace": a word it capitalises as a name is one everywhere
        names = theme_labels.labels(members, exclude=customers, seen=texts)
        for i, g in zip(rows, got, strict=True):
            if g is not None:
                out[i] = (str(g + 1) if p == _WHOLE_FILE else f"{p}/{g + 1}", names[g])
    return out


_WHOLE_FILE = "\0file"  # the one group key of a file grouped as a whole
