"""What ``earshot classify`` reads and writes: remarks from a text, CSV, TSV or JSON Lines
file (or standard input), each with its row number and its other columns, so results can
be joined back to the labels they came with; results as JSON Lines or CSV.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.cli.common import decode_text

INPUT_FORMATS = ("lines", "csv", "tsv", "jsonl")
OUTPUT_FORMATS = ("jsonl", "csv", "tsv")


class InputError(Exception):
    """A user-facing input problem: printed as one line, exit code 2."""


@dataclass(frozen=True)
class Remark:
    """One remark to classify. ``row`` is 1-based: the line of a text or JSON Lines file,
    the record of a CSV/TSV after its header. ``extra`` holds the row's other columns."""

    row: int
    text: str
    extra: dict[str, object] = field(default_factory=dict)


def input_format(fmt: str | None, path: Path | None) -> str | None:
    """``--input-format``, else the file's extension; None when neither says (standard
    input, a ``.txt``): ``read_remarks`` then looks at the first line."""
    if fmt:
        return fmt
    suffix = path.suffix.lower() if path is not None else ""
    return {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
            ".ndjson": "jsonl", ".json": "jsonl"}.get(suffix)


def output_format(fmt: str | None, out: Path | None) -> str:
    """``--format``, else the ``-o`` file's extension (.csv, .tsv), else JSON Lines."""
    if fmt:
        return fmt
    suffix = out.suffix.lower() if out is not None else ""
    return {".csv": "csv", ".tsv": "tsv"}.get(suffix, "jsonl")


def read_text(path: Path | None) -> str:
    """A file's text (or standard input's), as common.decode_text reads it."""
    if path is not None and str(path) != "-":
        name, tail = str(path), "save the file as UTF-8"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file.") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    else:
        name, tail = "standard input", "save it as UTF-8"
        data = sys.stdin.buffer.read()
    try:
        return decode_text(data, name, tail=tail)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def read_remarks(path: Path | None, fmt: str | None, text_column: str | None,
                 header: bool = True) -> tuple[list[Remark], int, str]:
    """The remarks, in input order, how many rows had no text (skipped), and the format
    read (``fmt``, or for None the one the first line shows: ``guess``)."""
    # Lines end at "\n" (or "\r\n") only: str.splitlines() would also break at U+2028,
    # U+0085 and form feeds, which tweets hold, and shift every row after.
    text = read_text(path).replace("\r\n", "\n")
    name = str(path) if path is not None and str(path) != "-" else "standard input"
    if fmt is None:
        fmt = guess(text, text_column)
        if fmt != "lines":
            print(f"earshot: {name}: read as {_SHOWN[fmt]} (--input-format lines reads "
                  "each line as a remark).", file=sys.stderr)
    remarks = _rows(name, text, fmt, text_column, header)
    kept = [r for r in remarks if r.text.strip()]
    return kept, len(remarks) - len(kept), fmt


_SHOWN = {"jsonl": "JSON Lines: its first line is a JSON object",
          "csv": "CSV: its first line is a header naming the remarks' column",
          "tsv": "TSV: its first line is a header naming the remarks' column"}
# A header's cell: a column name, not a sentence (pandas writes an empty one for its index).
_COLUMN_NAME = re.compile(r"(?:[^\W\d][\w .\-]{0,39})?")


def guess(text: str, text_column: str | None = None) -> str:
    """How to read input that neither ``--input-format`` nor a file extension names, as
    ``cat set.csv | earshot classify`` gives it: JSON Lines when the first line is a JSON
    object (or the whole is a JSON array of them), CSV/TSV when the first line is a header
    of column names, one of them ``text``, ``text_column`` or another usual name for
    remarks; else one remark per line. A remark is neither a JSON object nor a row of column names."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if first.startswith("{"):
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except json.JSONDecodeError:
            pass
    if first.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
            return "jsonl"
    fmt, delimiter = ("tsv", "\t") if "\t" in first else ("csv", ",")
    if delimiter == "," and _semicolons(first):
        delimiter = ";"
    start = text[text.index(first):] if first else ""
    try:  # the header and the first row, which must have as many cells
        head = list(itertools.islice(csv.reader(io.StringIO(start, newline=""),
                                                delimiter=delimiter), 2))
    except csv.Error:
        return "lines"
    names = [c.strip() for c in head[0]] if head else []
    wanted = {"text", (text_column or "text").casefold()}
    if (len(names) >= 2 and len(head) == 2 and len(head[1]) == len(names)
            and all(_COLUMN_NAME.fullmatch(c) for c in names)
            and (wanted & {c.casefold() for c in names} or len(_usual(names)) == 1)):
        return fmt
    return "lines"


def _rows(name: str, text: str, fmt: str, text_column: str | None,
          header: bool) -> list[Remark]:
    """Every row of the input, blank ones too (their text empty)."""
    if fmt == "lines":
        return [Remark(i, line) for i, line in enumerate(_lines(text), start=1)]
    if fmt == "jsonl":
        return _jsonl(name, text, text_column or "text", asked=text_column is not None)
    return _table(name, text, "\t" if fmt == "tsv" else ",", text_column, header)


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _jsonl(name: str, text: str, key: str, asked: bool = False) -> list[Remark]:
    """JSON Lines; or, for a file that is one JSON array of objects, its items (row: the
    item's 1-based position). ``asked``: ``key`` was named by --text-column (no other
    usual name is tried)."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {exc.lineno}: not JSON ({exc.msg}).") from None
        if not isinstance(items, list):
            raise InputError(f"{name}: expected JSON Lines or one JSON array of objects.")
        out = []
        for i, item in enumerate(items, start=1):
            key, asked = _json_key(name, item, key, asked), True
            out.append(_object(f"{name}: item", i, item, key))
        return out
    rows = []
    for i, line in enumerate(_lines(text), start=1):
        if not line.strip():
            rows.append(Remark(i, ""))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {i}: not JSON ({exc.msg}).") from None
        key, asked = _json_key(name, obj, key, asked), True
        rows.append(_object(f"{name}: line", i, obj, key))
    return rows


def _json_key(name: str, obj: object, key: str, asked: bool) -> str:
    """The field holding the remarks: ``key`` in any case; on the first object (``asked``
    False), else the one usual name for it, as a CSV's column is chosen, kept for the file's
    other lines."""
    if not isinstance(obj, dict) or key in obj:
        return key
    folded = [str(k).casefold() for k in obj]
    if key.casefold() in folded:
        return str(list(obj)[folded.index(key.casefold())])
    found = _usual([str(k) for k in obj]) if not asked else []
    if len(found) != 1:
        return key
    chosen = str(list(obj)[found[0]])
    print(f"earshot: {name}: no \"text\" field; reading the remarks from \"{chosen}\" "
          "(--text-column names another).", file=sys.stderr)
    return chosen


def _object(where: str, i: int, obj: object, key: str) -> Remark:
    """One remark from a JSON object; ``where`` names the file and "line" or "item"."""
    if not isinstance(obj, dict):
        raise InputError(f"{where} {i}: expected a JSON object.")
    if key not in obj:
        raise InputError(f"{where} {i}: no \"{key}\" field (fields: "
                         f"{', '.join(obj) or 'none'}); name it with --text-column.")
    value = obj.pop(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # a remark that is a number ("5", a score typed as the text)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where} {i}: \"{key}\" is not a string.")
    return Remark(i, value or "", obj)


def _table(name: str, text: str, delimiter: str, text_column: str | None,
           header: bool) -> list[Remark]:
    if delimiter == "," and (semi := _semicolons(text)):
        delimiter = ";"
        print(f"earshot: {name}: {semi}", file=sys.stderr)
    # A cell may be as long as the file (the csv module stops at 128 KiB by default).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    error = None
    try:
        records, ends = _parse(text, delimiter, quoted=True)
    except csv.Error as exc:
        error = f"{name}: {exc}"
    if delimiter == "\t" and (error or not _even(records)):
        # Many TSV sets are written without quoting: a remark that starts with '"' is then
        # text, not a quoted cell. Read so when that gives every row the same fields.
        plain, plain_ends = _parse(text, delimiter, quoted=False)
        if _even(plain):
            print(f"earshot: {name}: read without quoting (a '\"' is part of the text).",
                  file=sys.stderr)
            error, records, ends = None, plain, plain_ends
    if error:
        raise InputError(error)
    if not records:
        raise InputError(f"{name}: line 1: empty file, expected a header row")
    if header:
        columns = [h.strip() for h in records[0]]
        records, ends = records[1:], ends[1:]
    else:
        columns = [str(i) for i in range(1, len(records[0]) + 1)]
    index = _text_index(name, columns, text_column, header)
    rows = []
    for n, (values, end) in enumerate(zip(records, ends, strict=True), start=1):
        if not any(v.strip() for v in values):
            rows.append(Remark(n, ""))
            continue
        if len(values) != len(columns):
            hint = (f" (a cell holding a {'tab' if delimiter == chr(9) else 'comma'} must be "
                    "in double quotes)" if len(values) > len(columns) else "")
            raise InputError(f"{name}: line {end}: expected {len(columns)} fields, "
                             f"got {len(values)}{hint}")
        extra: dict[str, object] = {
            c: v for i, (c, v) in enumerate(zip(columns, values, strict=True)) if i != index}
        rows.append(Remark(n, values[index], extra))
    return rows


def _parse(text: str, delimiter: str, quoted: bool) -> tuple[list[list[str]], list[int]]:
    """The records and the line each ends on (for messages); csv.Error, its message naming
    the line, when a quoted cell is malformed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True,
                        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for values in reader:
            records.append(values)
            ends.append(reader.line_num)
    except csv.Error as exc:
        raise csv.Error(f"line {reader.line_num}: malformed CSV: {exc}") from None
    return records, ends


def _even(records: list[list[str]]) -> bool:
    """Every row with text has as many fields as the first."""
    return len({len(r) for r in records if any(v.strip() for v in r)}) <= 1


def _semicolons(text: str) -> str | None:
    """A note when a .csv's first line separates its fields with semicolons rather than
    commas (more semicolons than commas outside quotes), as Excel writes CSV in locales
    whose decimal mark is a comma and as HWU64 ships; else None."""
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    if first.count(";") > first.count(","):
        return "fields are separated by ';', read as such."
    return None


# What public sets call the column of remarks when it is not "text" (SST's "sentence",
# review sets' "review", chat sets' "utterance"...): used when exactly one is there.
# Compared without case, spaces, "_", "-" or ".": "Review Text", "comment_text",
# "review_body", "reviews.text" and a survey export's "Verbatim" are found too.
_TEXT_NAMES = ("sentence", "review", "reviewtext", "reviewbody", "reviewstext", "utterance",
               "tweet", "comment", "comments", "commenttext", "feedback", "feedbacktext",
               "remark", "remarks", "message", "content", "body", "query", "question",
               "verbatim")


def _usual(columns: list[str]) -> list[int]:
    """The positions of the columns with a usual name for remarks."""
    squashed = [re.sub(r"[\s_.\-]+", "", c.casefold()) for c in columns]
    return [i for i, c in enumerate(squashed) if c in _TEXT_NAMES]


def _text_index(name: str, columns: list[str], wanted: str | None, header: bool) -> int:
    """Which column holds the remarks: ``--text-column`` (a name, or a 1-based number),
    else the column called "text" (any case), else the one column with another usual name
    for it, else a header-less file's only column."""
    folded = [c.casefold() for c in columns]
    if wanted is not None:
        if wanted.casefold() in folded:
            return folded.index(wanted.casefold())
        if wanted.isdigit() and 1 <= int(wanted) <= len(columns):
            return int(wanted) - 1
        raise InputError(f"{name}: no column {wanted!r} (columns: {', '.join(columns)}).")
    if "text" in folded:
        return folded.index("text")
    found = _usual(columns)
    if len(found) == 1:
        print(f"earshot: {name}: no 'text' column; reading the remarks from "
              f"'{columns[found[0]]}' (--text-column names another).",
              file=sys.stderr)
        return found[0]
    if not header and len(columns) == 1:
        return 0
    shown = ", ".join(columns) if header else f"{len(columns)} columns"
    raise InputError(
        f"{name}: line 1: missing column(s) text (header is: {shown}); name the remarks' "
        "column with --text-column NAME, or use --no-header --text-column N for a file "
        "without a header row.")


def carried(remark: Remark, taken: Sequence[str]) -> dict[str, object]:
    """The row number and the input's other columns, a column whose name an output field
    uses renamed ``input_<name>``."""
    out: dict[str, object] = {"row": remark.row}
    for key, value in remark.extra.items():
        out[f"input_{key}" if key in taken or key == "row" else key] = value
    return out


# Characters str.splitlines() breaks at that JSON leaves raw: escaped, so a reader that
# splits the output into lines that way still gets one result a line.
_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def write(stream: IO[str], fmt: str, records: list[dict[str, object]],
          fields: Sequence[str]) -> None:
    """The results as JSON Lines or CSV; a CSV's columns are every record's keys, in order
    (``fields``, the result's own, when there is no record: the header alone)."""
    if fmt == "jsonl":
        for rec in records:
            stream.write(json.dumps(rec, ensure_ascii=False).translate(_SEPARATORS) + "\n")
        return
    columns: dict[str, None] = {} if records else dict.fromkeys(fields)
    for rec in records:
        columns.update(dict.fromkeys(rec))
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n",
                            delimiter="\t" if fmt == "tsv" else ",")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: _cell(v) for k, v in rec.items()})


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
