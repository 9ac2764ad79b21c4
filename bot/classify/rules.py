"""Many regex rules tested on one short text, with one shared scan to skip most of them.

The sentiment phrase rules and the idea detector's cues are ~65 regexes, and searching
every one of them was a fifth of a remark's cost, although a remark matches a handful.
Almost every rule starts with a literal word or a few alternatives ("still ...",
"(?:took|takes) ..."), so a rule can only match where one of those *anchors* occurs.
One scan for all anchors at once tells which rules could match and where a match
could first begin; only those are searched, and only from there. The anchors are read from each
rule's parsed form (the literal characters every match begins with, after zero-width
parts such as \b, ^ and lookarounds), so they cannot drift from the rule, and the
answer is exactly that of searching every rule: a rule without anchors (or whose
anchors cannot be worked out) is always searched.
"""

from __future__ import annotations

import re
import re._constants as _c  # type: ignore[import-not-found]  # the stdlib's own parser
import re._parser as _p  # type: ignore[import-not-found]
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

# Past this many alternatives an anchor set is cut short (a shorter prefix still works).
_MAX_ANCHORS = 1000
# Anchors are read no further than this many characters (any prefix of one is one too).
_MAX_LENGTH = 40


def _prefixes(items: Any, longest: int) -> tuple[set[str], set[str]]:
    """Literal prefixes of every match of a parsed sequence, as (open, closed): an open
    prefix is the whole match so far, so the items after it may extend it; a closed one
    ends where an alternative stops being literal ("\\d+", a class, a group reference).
    Kept apart per alternative, so one alternative that ends early ("(?:\\d+|an?) hours")
    does not cut the others short ("an hou", not "a"). A prefix is closed, cut to
    ``longest`` characters, once it is that long, which keeps the sets small: a rule of
    many alternatives in a row would otherwise multiply them past _MAX_ANCHORS."""
    opened: set[str] = {""}
    closed: set[str] = set()
    part: set[str]
    part_closed: set[str]
    for op, av in items:
        if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
            continue  # zero-width (\b, ^, $, a lookahead or lookbehind): adds no characters
        if op is _c.LITERAL:
            part, part_closed = {chr(av)}, set()
        elif op is _c.SUBPATTERN and not av[1] & _c.SRE_FLAG_IGNORECASE:
            part, part_closed = _prefixes(av[-1], longest)
        elif op is _c.BRANCH:
            part, part_closed = set(), set()
            for alt in av[1]:
                o, c = _prefixes(alt, longest)
                part |= o
                part_closed |= c
        elif op is _c.IN and (chars := _class_chars(av)) is not None:
            part, part_closed = chars, set()
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, inner = av
            o, c = _prefixes(inner, longest)
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
        grown_closed = closed | {(a + b)[:longest] for a in opened for b in part_closed}
        if any(len(a) >= longest for a in grown):
            grown_closed |= {a[:longest] for a in grown if len(a) >= longest}
            grown = {a for a in grown if len(a) < longest}
        if len(grown) + len(grown_closed) > _MAX_ANCHORS:
            return set(), grown_closed | grown  # no further: a shorter prefix still works
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


def anchors(
    pattern: str, longest: int | None = None, *, starts: bool = False
) -> frozenset[str] | None:
    """Strings one of which occurs in any text the pattern matches (None: unknown),
    cut to at most ``longest`` characters (any prefix of an anchor is one too); with
    ``starts``, strings one of which every match begins with."""
    try:
        parsed = _p.parse(pattern)
        if parsed.state.flags & _c.SRE_FLAG_IGNORECASE:
            return None  # literals would match in either case
        opened, closed = _prefixes(parsed, longest or _MAX_LENGTH)
        found = opened | closed
    except Exception:  # a Python whose private parser has changed: search the rule always
        return None
    if longest is not None:
        found = {a[:longest] for a in found}
    if "" in found:
        return None
    # A string containing (with ``starts``: beginning with) another anchor adds nothing:
    # the shorter one occurs too.
    kept: set[str] = set()
    for a in sorted(found, key=lambda a: (len(a), a)):
        if starts:
            if not any(a[:k] in kept for k in range(1, len(a))):
                kept.add(a)
        elif not any(b in a for b in kept):
            kept.add(a)
    return frozenset(kept)


def later_anchors(pattern: str, longest: int) -> frozenset[str] | None:
    """For a pattern without anchors (``^(?!...)[^?]*(?:answered|...)``): strings one of
    which occurs in any text it matches, read from a later part of it. A match of the
    whole holds a match of each of its tails (its parts from the j-th on), so the first
    tail whose every match begins with a known string gives them (None: none does)."""
    try:
        parsed = _p.parse(pattern)
        if parsed.state.flags & _c.SRE_FLAG_IGNORECASE:
            return None
        items = list(parsed)
        for j in range(1, len(items)):
            opened, closed = _prefixes(items[j:], longest)
            found = {a[:longest] for a in opened | closed}
            if found and "" not in found:  # (one holding another adds nothing)
                return frozenset(a for a in found if not any(b in a for b in found if b != a))
    except Exception:  # a Python whose private parser has changed: search the rule always
        return None
    return None


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

    Every match of a rule begins with one of its anchors, so a rule is only tried
    when one of them occurs, and only where one does (``match`` at each such place; a
    search tries every position from its start, and for a few long rules that was
    several microseconds a text); past ``MATCH_AT`` places it is searched from the
    first. An anchor occurs only if its first ``GRAM`` characters do, so the scan is one
    set of the text's ``GRAM``-character slices against the anchors' (shorter anchors
    are found with ``find``, those whose first character the text has);
    where a slice occurs, its anchors (up to ``LONGEST`` characters) are looked up whole
    ("what" is in many remarks, "what is " in few). Four characters tell most words
    apart; measured on BANKING77 remarks, three let through about twice as many rules
    and five cost more to slice. A rule without anchors (or whose anchors cannot be
    worked out) is searched whole: on every text, or, when a later part of it gives
    strings one of which every match holds (``later_anchors``), on the texts where the same
    scan finds one of them.
    """

    GRAM = 4
    LONGEST = 8
    # Past this many places an anchor begins, a rule is searched from the first of them.
    MATCH_AT = 3

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        self._compiled = tuple(re.compile(p) for p in patterns)
        always: list[tuple[int, frozenset[str] | None]] = []
        by_gram: dict[str, dict[str, set[int]]] = {}
        by_short: dict[str, dict[str, set[int]]] = {}
        at_start: dict[str, set[int]] = {}
        for i, p in enumerate(patterns):
            starts = anchored_at_start(p)
            found = anchors(p, self.LONGEST, starts=True)
            if found is None:
                # Searched on every text, unless a later part's strings say it can't match.
                always.append((i, later_anchors(p, self.LONGEST)))
                continue
            self._register(i, found, starts, by_gram, by_short, at_start)
        # A rule with later strings is found by the same scan as the anchors (they are
        # registered as its anchors): where one occurs, it is searched from the text's
        # start, since its match begins before them.
        for i, later in always:
            if later is not None:
                self._register(i, later, False, by_gram, by_short, at_start)
        self._always = tuple(always)
        self._search_all = tuple(i for i, later in always if later is None)
        self._search_whole = frozenset(i for i, later in always if later is not None)
        # Per slice: the lengths of its anchors, and each anchor's rules.
        self._by_gram = {
            g: (tuple(sorted({len(a) for a in d})), {a: tuple(sorted(v)) for a, v in d.items()})
            for g, d in by_gram.items()
        }
        self._grams = frozenset(by_gram)
        self._short = {
            c: tuple((a, tuple(sorted(v))) for a, v in sorted(d.items()))
            for c, d in by_short.items()
        }
        self._short_first = frozenset(by_short)
        self._at_start = {a: tuple(sorted(v)) for a, v in at_start.items()}
        self._start_lengths = tuple(sorted({len(a) for a in at_start}))

    def _register(
        self,
        i: int,
        found: frozenset[str],
        starts: bool,
        by_gram: dict[str, dict[str, set[int]]],
        by_short: dict[str, dict[str, set[int]]],
        at_start: dict[str, set[int]],
    ) -> None:
        """File rule ``i``'s anchors where the scan looks them up."""
        for a in found:
            if starts:
                # "^(?:please )?add ...": the text must begin with an anchor, not
                # merely contain one ("add" is in "address").
                at_start.setdefault(a[: self.GRAM], set()).add(i)
            elif len(a) >= self.GRAM:
                by_gram.setdefault(a[: self.GRAM], {}).setdefault(a, set()).add(i)
            else:
                by_short.setdefault(a[0], {}).setdefault(a, set()).add(i)

    def matches(self, text: str) -> list[int]:
        compiled = self._compiled
        if not text.isascii():
            # \\d also matches other scripts' digits, which the anchors leave out.
            return [i for i, rx in enumerate(compiled) if rx.search(text)]
        # Rule -> every place one of its anchors begins: a match begins at one of them.
        at: defaultdict[int, list[int]] = defaultdict(list)
        find = text.find
        by_gram = self._by_gram
        for g in self._grams.intersection(_slices(text, self.GRAM)):
            lengths, whole = by_gram[g]
            k = find(g)
            while k >= 0:
                for n in lengths:
                    for r in whole.get(text[k : k + n], ()):
                        at[r].append(k)
                k = find(g, k + 1)
        short = self._short
        for c in self._short_first.intersection(text):
            for a, rules in short[c]:
                k = find(a)
                while k >= 0:
                    for r in rules:
                        at[r].append(k)
                    k = find(a, k + 1)
        at_start = self._at_start
        for n in self._start_lengths:
            for r in at_start.get(text[:n], ()):
                at[r] = [0]  # every match of the rule begins at the start
        out = [i for i in self._search_all if compiled[i].search(text)]
        search_whole = self._search_whole
        # ``match`` where each anchor begins (see the class's docstring); a rule whose anchors
        # occur in many places (a short one: "a ", a digit) is searched from the first, and
        # one found by its later strings from the start.
        for r, ks in at.items():
            rx = compiled[r]
            if r in search_whole:
                if rx.search(text):
                    out.append(r)
                continue
            if len(ks) > self.MATCH_AT:
                if rx.search(text, min(ks)):
                    out.append(r)
                continue
            match = rx.match
            for k in ks:
                if match(text, k):
                    out.append(r)
                    break
        out.sort()
        return out


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


def forget_last() -> None:
    """Drop the last text kept by ``_slices`` (bot.classify.forget)."""
    global _last
    _last = ("", 0, [])


def holds_a_text() -> bool:
    """Whether a remark's text is kept here (for the forgetting test)."""
    return bool(_last[0])
