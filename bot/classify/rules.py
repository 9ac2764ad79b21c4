"""Many regex rules tested on one short text, with one shared scan to skip most of them.

The sentiment phrase rules and the idea detector's cues are ~65 regexes, and searching
every one of them was a fifth of a remark's cost, although a remark matches a handful.
Almost every rule starts with a literal word or a few alternatives ("still ...",
"(?:took|takes) ..."), so a rule can only match where one of those *anchors* occurs.
One scan for all anchors at once tells which rules could match; only those are
searched (a rule anchored at the start, "^...", only when the text begins with one).
The anchors are read from each rule's parsed form, so they cannot drift from the
rule, and the answer is exactly that of searching every rule: a rule without anchors
(or whose anchors cannot be worked out) is always searched.
"""

from __future__ import annotations

import re
import re._constants as _c  # type: ignore[import-not-found]  # the stdlib's own parser
import re._parser as _p  # type: ignore[import-not-found]
from collections.abc import Sequence
from typing import Any

# Past this many alternatives an anchor set is cut short (a shorter prefix still works).
_MAX_ANCHORS = 1000


def _prefixes(items: Any) -> tuple[set[str], set[str]]:
    """Literal prefixes of every match of a parsed sequence, as (open, closed): an open
    prefix is the whole match so far, so the items after it may extend it; a closed one
    ends where an alternative stops being literal ("\\d+", a class, a lookahead). Kept
    apart per alternative, so one alternative that ends early ("(?:\\d+|an?) hours")
    does not cut the others short ("an hou", not "a")."""
    opened: set[str] = {""}
    closed: set[str] = set()
    part: set[str]
    part_closed: set[str]
    for op, av in items:
        if op is _c.AT:
            continue  # zero-width (\b, ^, $): adds no characters
        if op is _c.LITERAL:
            part, part_closed = {chr(av)}, set()
        elif op is _c.SUBPATTERN:
            part, part_closed = _prefixes(av[-1])
        elif op is _c.BRANCH:
            part, part_closed = set(), set()
            for alt in av[1]:
                o, c = _prefixes(alt)
                part |= o
                part_closed |= c
        elif op is _c.IN and (chars := _class_chars(av)) is not None:
            part, part_closed = chars, set()
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, inner = av
            o, c = _prefixes(inner)
            if hi == 0:
                part, part_closed = set(), set()
            elif hi == 1:
                part, part_closed = o, c  # once: the text after it may extend each prefix
            else:
                part, part_closed = set(), o | c  # repeated: only the first pass is known
            if lo == 0:
                part = part | {""}  # the repeat may be skipped
        else:
            return set(), closed | opened  # a group reference, a lookahead, ...: it ends here
        grown = {a + b for a in opened for b in part}
        grown_closed = closed | {a + b for a in opened for b in part_closed}
        if len(grown) + len(grown_closed) > _MAX_ANCHORS:
            return set(), closed | opened  # a shorter prefix still works
        opened, closed = grown, grown_closed
        if not opened:
            break
    return opened, closed


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a small character class ([ab], \\d), or None."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 16:
            out.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out.update("0123456789")  # and other scripts' digits: see RuleSet.matches
        else:
            return None
    return out


def anchors(pattern: str, longest: int | None = None) -> frozenset[str] | None:
    """Strings one of which occurs in any text the pattern matches (None: unknown),
    cut to at most ``longest`` characters (any prefix of an anchor is one too)."""
    try:
        opened, closed = _prefixes(_p.parse(pattern))
        found = opened | closed
    except Exception:  # a Python whose private parser has changed: search the rule always
        return None
    if longest is not None:
        found = {a[:longest] for a in found}
    if "" in found:
        return None
    # A string containing another anchor adds nothing: the shorter one occurs too.
    kept: list[str] = []
    for a in sorted(found, key=lambda a: (len(a), a)):
        if not any(b in a for b in kept):
            kept.append(a)
    return frozenset(kept)


def _at_start(items: Any) -> bool:
    """Whether every match of a parsed sequence begins at the text's start (``^``, ``\\A``)."""
    for op, av in items:
        if op is _c.AT:
            if av is _c.AT_BEGINNING or av is _c.AT_BEGINNING_STRING:
                return True
            continue  # \b and the like: zero-width, look further
        if op is _c.SUBPATTERN:
            return _at_start(av[-1])
        if op is _c.BRANCH:
            return all(_at_start(alt) for alt in av[1])
        return False
    return False


def anchored_at_start(pattern: str) -> bool:
    """Whether ``pattern`` only matches at the start of a text (False when unsure)."""
    try:
        parsed = _p.parse(pattern)
    except Exception:  # a Python whose private parser has changed: assume not
        return False
    if parsed.state.flags & _c.SRE_FLAG_MULTILINE:
        return False  # ^ matches after every newline too
    return _at_start(parsed)


class RuleSet:
    """Regexes searched on one text; ``matches`` gives the index of every rule that
    matches, in rule order, exactly as searching each rule would.

    An anchor occurs only if its first ``GRAM`` characters do, so the scan is one set
    of the text's ``GRAM``-character slices against the anchors' (shorter anchors are
    tested with ``in``). Four characters tell most words apart; measured on BANKING77
    remarks, three let through about twice as many rules and five cost more to slice.
    """

    GRAM = 4

    def __init__(self, patterns: Sequence[str]) -> None:
        self._compiled = tuple(re.compile(p) for p in patterns)
        self._always: frozenset[int] = frozenset()
        by_gram: dict[str, set[int]] = {}
        by_short: dict[str, set[int]] = {}
        at_start: dict[str, set[int]] = {}
        for i, p in enumerate(patterns):
            found = anchors(p, self.GRAM)
            if found is None:
                self._always |= {i}
                continue
            if anchored_at_start(p):
                # "^(?:please )?add ...": the text must begin with an anchor, not merely
                # contain one ("add" is in "address").
                for a in found:
                    at_start.setdefault(a, set()).add(i)
                continue
            for a in found:
                if len(a) >= self.GRAM:
                    by_gram.setdefault(a[: self.GRAM], set()).add(i)
                else:
                    by_short.setdefault(a, set()).add(i)
        self._by_gram = {g: frozenset(v) for g, v in by_gram.items()}
        self._grams = frozenset(by_gram)
        self._short = tuple((a, frozenset(v)) for a, v in sorted(by_short.items()))
        self._at_start = {a: frozenset(v) for a, v in at_start.items()}
        self._start_lengths = tuple(sorted({len(a) for a in at_start}))

    def matches(self, text: str) -> list[int]:
        compiled = self._compiled
        if not text.isascii():
            # \\d also matches other scripts' digits, which the anchors leave out.
            return [i for i, rx in enumerate(compiled) if rx.search(text)]
        candidates = set(self._always)
        by_gram = self._by_gram
        for g in self._grams.intersection(_slices(text, self.GRAM)):
            candidates |= by_gram[g]
        for a, rules in self._short:
            if a in text:
                candidates |= rules
        at_start = self._at_start
        for k in self._start_lengths:
            starting = at_start.get(text[:k])
            if starting is not None:
                candidates |= starting
        return [i for i in sorted(candidates) if compiled[i].search(text)]


# The last text sliced, and its slices: the sentiment phrase rules and the idea cues each
# scan a remark, and their two lower-cased forms are usually the same text.
_last: tuple[str, int, list[str]] = ("", 0, [])


def _slices(text: str, n: int) -> list[str]:
    """Every ``n``-character slice of ``text``, in order (the last call's kept)."""
    global _last
    last = _last  # one read: another thread may replace it, never half of it
    if last[1] == n and last[0] == text:
        return last[2]
    out = [text[i : i + n] for i in range(len(text) - n + 1)]
    _last = (text, n, out)
    return out
