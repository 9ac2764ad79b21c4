"""Many regex rules tested on one short text, with one shared scan to skip most of them.

The sentiment phrase rules and the idea detector's cues are ~65 regexes, and searching
every one of them was a fifth of a remark's cost, although a remark matches a handful.
Almost every rule starts with a literal word or a few alternatives ("still ...",
"(?:took|takes) ..."), so a rule can only match where one of those *anchors* occurs.
One scan for all anchors at once tells which rules could match; only those are
searched. The anchors are read from each rule's parsed form, so they cannot drift from
the rule, and the answer is exactly that of searching every rule: a rule without
anchors (or whose anchors cannot be worked out) is always searched.
"""

from __future__ import annotations

import re
import re._constants as _c  # type: ignore[import-not-found]  # the stdlib's own parser
import re._parser as _p  # type: ignore[import-not-found]
from collections.abc import Sequence
from typing import Any

# Past this many alternatives an anchor set is cut short (a shorter prefix still works).
_MAX_ANCHORS = 1000


def _prefixes(items: Any) -> tuple[set[str], bool]:
    """Literal prefixes of every match of a parsed sequence, and whether the whole
    sequence was literal (so a following item may extend them)."""
    out = {""}
    for op, av in items:
        if op is _c.AT:
            continue  # zero-width (\b, ^, $): adds no characters
        if op is _c.LITERAL:
            part, whole = {chr(av)}, True
        elif op is _c.SUBPATTERN:
            part, whole = _prefixes(av[-1])
        elif op is _c.BRANCH:
            part, whole = set(), True
            for alt in av[1]:
                p, w = _prefixes(alt)
                part |= p
                whole = whole and w
        elif op is _c.IN and (chars := _class_chars(av)) is not None:
            part, whole = chars, True
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, inner = av
            part, whole = _prefixes(inner)
            if lo == 0:
                part.add("")  # the repeat may be skipped
            # Once or not at all: the text after it may still extend each prefix.
            whole = whole and hi == 1
        else:
            return out, False  # a character class, a group reference, ...: it ends here
        grown = {a + b for a in out for b in part}
        if len(grown) > _MAX_ANCHORS:
            return out, False
        out = grown
        if not whole:
            return out, False
    return out, True


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
        found, _ = _prefixes(_p.parse(pattern))
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
        for i, p in enumerate(patterns):
            found = anchors(p, self.GRAM)
            if found is None:
                self._always |= {i}
                continue
            for a in found:
                if len(a) >= self.GRAM:
                    by_gram.setdefault(a[: self.GRAM], set()).add(i)
                else:
                    by_short.setdefault(a, set()).add(i)
        self._by_gram = {g: frozenset(v) for g, v in by_gram.items()}
        self._grams = frozenset(by_gram)
        self._short = tuple((a, frozenset(v)) for a, v in sorted(by_short.items()))

    def matches(self, text: str) -> list[int]:
        compiled = self._compiled
        if not text.isascii():
            # \\d also matches other scripts' digits, which the anchors leave out.
            return [i for i, rx in enumerate(compiled) if rx.search(text)]
        candidates = set(self._always)
        n = self.GRAM
        by_gram = self._by_gram
        for g in self._grams.intersection([text[i : i + n] for i in range(len(text) - n + 1)]):
            candidates |= by_gram[g]
        for a, rules in self._short:
            if a in text:
                candidates |= rules
        return [i for i in sorted(candidates) if compiled[i].search(text)]
