"""The ``/feedback <text>`` grammar: pure parsing, no Slack and no database.

    /feedback [Process] (Customer) the remark itself +share

* ``[Process]`` (optional) names the process, case-insensitively.
* ``(Customer)`` (optional) names the customer; nested parentheses are fine:
  ``(Acme (UK) Ltd)``. The two may come in either order, each at most once.
* ``--`` ends the options: everything after it is the remark, brackets and all
  (``/feedback -- [sic] the app said "error"``).
* ``+share`` as the very last word posts the confirmation in the channel instead of
  privately.
* Text that is a single plain word (``hlep``) is read as a mistyped subcommand, not as a
  remark; ``/feedback -- word`` files a one-word remark.

Text is kept exactly as Slack sent it (mentions ``<@U123|name>``, links, ``:emoji:``,
``&lt;`` escapes); only the option prefix and the share flag are removed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

SHARE_FLAG = "+share"
END_OF_OPTIONS = "--"
MAX_PROCESS_NAME = 80  # processes.name
MAX_CUSTOMER = 255  # remarks.customer

_BARE_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")


class GrammarError(ValueError):
    """The text cannot be read; the message is for the person who typed it."""


@dataclass(frozen=True)
class Parsed:
    text: str
    process: str | None = None
    customer: str | None = None
    share: bool = False


def parse(raw: str) -> Parsed:
    """Read ``/feedback`` text into its parts. Raises GrammarError for a malformed option."""
    text = (raw or "").strip()
    share = False
    words = text.split()
    if words and words[-1].casefold() == SHARE_FLAG:
        share = True
        text = text[: text.rfind(words[-1])].rstrip()

    process: str | None = None
    customer: str | None = None
    while text:
        if text == END_OF_OPTIONS or text.startswith(END_OF_OPTIONS + " ") or text.startswith(
            END_OF_OPTIONS + "\n"
        ):
            text = text[len(END_OF_OPTIONS):].strip()
            break
        if text.startswith("[") and process is None:
            end = text.find("]")
            if end < 0:
                raise GrammarError(
                    "A process name needs a closing `]`, like `/feedback [Billing] the text`. "
                    "To file text that starts with `[`, begin with `--`: `/feedback -- [sic] ...`."
                )
            name = " ".join(text[1:end].split())
            if "[" in name or "\n" in text[1:end]:
                raise GrammarError(
                    "A process name can't contain `[`. To file text that starts with `[`, "
                    "begin with `--`: `/feedback -- [sic] ...`."
                )
            if len(name) > MAX_PROCESS_NAME:
                raise GrammarError(f"A process name is at most {MAX_PROCESS_NAME} characters.")
            process = name or None  # "[]" means: let Earshot choose
            text = text[end + 1:].lstrip()
            continue
        if text.startswith("(") and customer is None:
            end = _closing_paren(text)
            if end < 0:
                raise GrammarError(
                    "A customer name needs a closing `)`, like `/feedback (Acme Corp) the text`. "
                    "To file text that starts with `(`, begin with `--`: `/feedback -- (aside) ...`."
                )
            name = " ".join(text[1:end].split())
            if len(name) > MAX_CUSTOMER:
                raise GrammarError(f"A customer name is at most {MAX_CUSTOMER} characters.")
            customer = name or None
            text = text[end + 1:].lstrip()
            continue
        break
    return Parsed(text=text, process=process, customer=customer, share=share)


def _closing_paren(text: str) -> int:
    """Index of the ``)`` that closes the ``(`` at 0, allowing nesting; -1 if none."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            return -1
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def looks_like_subcommand(raw: str) -> bool:
    """A single plain word (``hlep``, ``stats``) is a subcommand attempt, not a remark."""
    return bool(_BARE_WORD.match((raw or "").strip()))


def close_matches(word: str, candidates: Iterable[str], *, n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Candidates that look like ``word`` (case-insensitive), best first; substrings count too."""
    names = list(dict.fromkeys(candidates))
    by_key = {" ".join(c.split()).casefold(): c for c in names}
    key = " ".join(word.split()).casefold()
    if not key:
        return []
    found = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=cutoff)]
    for k, name in by_key.items():
        if len(found) >= n:
            break
        if name not in found and (key in k or (len(k) >= 3 and k in key)):
            found.append(name)
    return found[:n]
