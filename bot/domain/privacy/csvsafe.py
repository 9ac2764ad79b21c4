"""CSV cells a spreadsheet reads as text, never as a formula (OWASP, "CSV Injection").

A spreadsheet opening a CSV runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula (``=HYPERLINK(...)``, ``=cmd|...``); remark text, customer and
process names come from outside Earshot, so every CSV Earshot writes passes its text cells
through :func:`guard`, which puts a single quote in front of such a cell. The csv module's
quoting stays as it is (a cell with a comma, quote or line break is still quoted).

Only text is guarded: numbers Earshot computed itself (a score of -0.42, a confidence) are
written as numbers, so a spreadsheet can still sum them; text that merely looks like a
number (a customer called "-1") is guarded like any text.

:func:`unguard` undoes it for files Earshot reads back (``earshot customers import`` of an
export): it drops the quote only where :func:`guard` would have put one, and :func:`guard`
also quotes a text that already begins with a quote followed by one of those characters, so
``unguard(guard(x)) == x`` for every text, and a hand-written ``'Acme`` stays ``'Acme``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

GUARD = "'"
# What OWASP lists as starting a formula.
TRIGGERS = frozenset("=+-@\t\r")


def _guarded(text: str) -> bool:
    """Whether ``text`` reads as :func:`guard`'s output (a quote, then a trigger or a quote)."""
    return len(text) > 1 and text[0] == GUARD and (text[1] in TRIGGERS or text[1] == GUARD)


def guard(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: text starting with a formula character
    (or looking guarded already) gets a leading ``'``; anything else is returned as it is."""
    if isinstance(value, str) and value and (value[0] in TRIGGERS or _guarded(value)):
        return GUARD + value
    return value


def unguard(text: str) -> str:
    """A cell as :func:`guard` was given it."""
    return text[1:] if _guarded(text) else text


class DictWriter:
    """``csv.DictWriter`` whose rows are guarded cell by cell (the header is ours)."""

    def __init__(self, out: IO[str], fieldnames: Sequence[str], **kwargs: Any) -> None:
        self._inner = csv.DictWriter(out, fieldnames=fieldnames, **kwargs)

    def writeheader(self) -> Any:
        return self._inner.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._inner.writerow({k: guard(v) for k, v in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


class Writer:
    """``csv.writer`` whose rows are guarded cell by cell."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._inner = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._inner.writerow([guard(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


__all__ = ["GUARD", "TRIGGERS", "DictWriter", "Writer", "guard", "unguard"]
