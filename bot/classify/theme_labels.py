"""Names for themes: whole words a person would use, never a customer's name.

A theme is named by the phrases frequent among its members and rare in the process's other
themes: class-based TF-IDF, ``tf(t, theme) * log(1 + A / f(t))`` with A the mean phrases
per theme and f(t) the phrase's count over the whole process (BERTopic's c-TF-IDF). What
this module adds to the maths is the phrases themselves (issue 23 item 4: "freeze · odd
remote", "card without · couple payments" were names):

* A phrase is a run of words one member wrote, within one clause: it starts and ends with a
  content word and holds function words only inside ("top-up with a cheque", never "card
  without"), and no word that links clauses or is a pronoun ("and", "that", "I", "was").
  Articles and possessives do not count, so "verify my identity" and "verify your identity"
  are one phrase, shown as its members say it most.
* The best phrase grows into the longest phrase around it that half its speakers say
  ("disposable" -> "disposable virtual card"). A second phrase is added only when a quarter
  as many members say it and a third of them say the first too: never two fragments from
  different remarks; and when both are said as one phrase, that phrase is the name.
* "top up", "log in" and the like are one word, as "top-up" is (never "top").
* Words are read from the original text with Unicode word characters, so "arrivé" stays
  "arrivé" (the classifier's ASCII tokens would cut it to "arriv"); inflections still share
  one count through the stemmer, and each is shown in the form its members use most.
* A hyphenated compound ("top-up", "e-mail") is one word, shown as written.
* Function words of English, French, Spanish and German, number words, and words under
  three letters (acronyms such as "VAT" or "UI" excepted) never name a theme; a word that
  qualifies what follows it ("next", "last", "long", "nearest") never ends a phrase, and a
  general verb ("find", "take", "help") is never a part by itself.
* No two themes of one process share a name (the same content words, in any order): each
  adds the phrase of its own members that sets it apart ("alarm" three times became
  "alarm at dawn", "silence the alarm", "alarm"), so a reader can tell them apart wherever
  themes are shown (digest, App Home, read API, ``earshot classify --themes``).
* No customer's name: the names the caller excludes (the workspace's registered customers,
  their aliases, the customers named on the members) are cut out of the text first, in any
  case and with or without their accents ("societe generale" for "Société Générale"), each
  also by its distinctive word ("Acme Corp" -> "acme", "Oakridge Dental" -> "oakridge"); a
  run of two or more capitalised words ("Harbor Goods") is taken for a name, and so is a
  word the workspace's remarks (``seen``) capitalise mid-sentence, even where a member
  writes it in lower case (``_Words.proper``; not in German, where every noun is
  capitalised). A lone word no word list knows ("globex") never heads a name (english.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from .english import known
from .label_article import agree
from .label_text import (
    clause_cases,
    excluder,
    fold,
    is_acronym,
    is_german,
    names_in,
    shown_form,
    split_clauses,
    text_cases,
)
from .label_typical import typical
from .label_words import FOREIGN, LIGHT_VERBS, MODIFIERS, NATIONAL, NO_JOIN, STOP, TRANSPARENT
from .text import stem

LABEL_WORDS = 3  # content words in a name at most, but for two equally said phrases of two
# words each ("old price · renewal invoice")
PHRASE_WORDS = 3  # content words in one phrase at most
NO_WORDS = "(no words)"
SPAN = 4  # words in one phrase at most, function words inside counted
PHRASE_WEIGHT = 1.3  # a phrase's c-TF-IDF over a single word's
GROW = 0.5  # a longer phrase replaces the best one when this share of its speakers say it
SECOND = 0.25  # a second phrase: said by this share as many members as the first ...
JOIN = 0.2  # two such phrases said as one by this share of the second's speakers: one name
TOGETHER = 0.3  # ... and this share of them say the first too (not an unrelated fragment)
NAME_LETTERS = 4  # a word no list knows is taken for a name from this length ("pto" is not)
_NATIONAL = frozenset(stem(w) for w in NATIONAL)  # "Thai": capitalised by rule, not a name

class _Words:
    """What the members of one process say, phrase by phrase, for naming its themes."""

    def __init__(self, exclude: Iterable[str]) -> None:
        self.exclude = excluder(exclude)
        self.forms: dict[str, Counter[str]] = {}
        self.lower: Counter[str] = Counter()  # key -> times written in lower case
        self.capital: Counter[str] = Counter()  # key -> times capitalised mid-sentence
        self.unknown: set[str] = set()  # keys capitalised in a form no word list knows
        self.foreign: set[str] = set()  # keys written in a text of another language

    def witness(self, text: str) -> None:
        """Count how a text of the workspace writes its words (capitalised mid-sentence or
        not), for ``proper``; a member's text is counted by ``terms``."""
        self._count(*text_cases(text))

    def _count(self, lower: tuple[str, ...], capitals: tuple[tuple[str, bool], ...]) -> None:
        self.lower.update(lower)
        for key, unknown in capitals:
            self.capital[key] += 1
            if unknown:
                self.unknown.add(key)

    def terms(self, text: str) -> set[str]:
        """The text's phrase keys: every run of up to ``SPAN`` words of one clause that starts
        and ends with a content word, function words only inside ("VAT number on invoices",
        never "card without"); a remark counts a phrase once."""
        clauses = split_clauses(text, self.exclude)
        german = is_german(clauses)
        named = set() if german else names_in(clauses)
        if not german:
            self._count(*clause_cases(clauses))
        foreign = sum(w.casefold() in FOREIGN for clause in clauses for w, _ in clause) >= 2
        terms: set[str] = set()
        flat = 0
        for clause in clauses:
            run: list[tuple[str, str, bool]] = []  # (key, shown, content) between names
            for i, (w, first) in enumerate(clause + [("", False)]):
                if not w or flat + i in named:
                    self._phrases(run, terms)
                    run = []
                    continue
                shown = shown_form(w, first and not german)
                key = self._key(w, first and not german)
                if foreign and key:
                    self.foreign.add(key)
                folded = fold(w)
                glue = "" if folded in TRANSPARENT else "_" + folded
                run.append((key or glue, shown, key is not None))
            flat += len(clause)
        return terms

    def _phrases(self, run: list[tuple[str, str, bool]], terms: set[str]) -> None:
        for i, (_, _, content) in enumerate(run):
            if not content:
                continue
            for j in range(i, min(i + SPAN, len(run))):
                if not run[j][2] or fold(run[j][1]) in MODIFIERS:
                    continue
                if i == j and fold(run[i][1]) in LIGHT_VERBS:
                    continue
                span = run[i : j + 1]
                if sum(c for _, _, c in span) > PHRASE_WORDS or any(
                    k[1:] in NO_JOIN for k, _, c in span if k and not c
                ) or any(a[2] and a[0] == b[0] for a, b in zip(span, span[1:], strict=False)):
                    continue  # ... nor a word said twice in a row ("whoa whoa please slow")
                key = " ".join(k for k, _, _ in span if k)
                terms.add(key)
                if " " in key:
                    self.forms.setdefault(key, Counter())[" ".join(s for _, s, _ in span)] += 1

    def _key(self, word: str, sentence_start: bool) -> str | None:
        """A content word's key (its stem), None for a function word."""
        folded = fold(word)
        if folded in STOP or word.casefold() in STOP:
            return None
        if len(folded) < 3 and not is_acronym(word):
            return None
        key = stem(folded)
        self.forms.setdefault(key, Counter())[shown_form(word, sentence_start)] += 1
        return key

    def proper(self, term: str) -> bool:
        """A word the workspace's remarks capitalise mid-sentence is taken for a name, also
        where a remark writes it in lower case ("HubSpot" once, "hubspot" twice): always
        when that capitalised form is in no word list, else when capitalised more often than
        not ("Apple" and "apple"; never "invoice" for one "Invoice"). Never a nationality,
        language or cuisine word ("Thai food"), which English capitalises by rule."""
        return any(
            self.capital[k] and k not in _NATIONAL
            and (not self.lower[k] or k in self.unknown or self.capital[k] > self.lower[k])
            for k in content(term)
        )

    def unknown_word(self, term: str) -> bool:
        """A phrase holding a word no word list knows ("globex", "oakridge", "purchase
        amtrak ticket", "call mario"): most often a name (the word list holds no proper
        noun), so never preferred to a phrase of known words (an acronym, "VAT", is known,
        and so is a word under four letters: most often an acronym in lower case, "pto",
        "kyc"; so is a word of a remark in another language, which these lists do not cover:
        "colis")."""
        for k in content(term):
            if k in self.foreign or k in _NATIONAL or not self.forms.get(k):
                continue
            shown = self.forms[k].most_common(1)[0][0]
            if len(k) >= NAME_LETTERS and not is_acronym(shown) and not known(shown.replace(" ", "-")):
                return True
        return False

    def shown(self, term: str) -> str:
        """As the members write it; in a phrase, a word lowered only because it started a
        sentence ("Rechnung falsch und ...") takes the case it has as a word of its own."""
        form = self.forms[term].most_common(1)[0][0]
        if " " in term:
            form = " ".join(self._cased(w) for w in form.split())
        return _noun_end(term, form)

    def _cased(self, word: str) -> str:
        own = self.forms.get(stem(fold(word)))
        best = own.most_common(1)[0][0] if own else word
        return best if best.casefold() == word.casefold() else word


def _noun_end(term: str, shown: str) -> str:
    """A verb and its particle that end a name are its noun, hyphenated ("top-up", "wallet ·
    top-up", "declined for top-up"), but after "to" ("attempted to top up"); followed by
    more words they are shown as written ("set up a direct debit", "top up failed")."""
    last = (content(term) or [""])[-1]
    words = shown.split(" ")
    n = last.count("-") + 1
    if n < 2 or len(words) < n or stem(fold("-".join(words[-n:]))) != last:
        return shown
    if len(words) > n and words[-n - 1].casefold() == "to":
        return shown
    return " ".join([*words[:-n], "-".join(words[-n:])])


def content(term: str) -> list[str]:
    """A phrase key's content words (function words are kept inside keys with a "_")."""
    return [k for k in term.split() if not k.startswith("_")]


def labels(
    members: Mapping[int, Iterable[str]], *, exclude: Iterable[str] = (), seen: Iterable[str] = ()
) -> dict[int, str]:
    """A name for each theme of one process from its members' texts, no two alike;
    ``exclude``: names that must never appear in one (customers, their aliases); ``seen``:
    other texts of the workspace, read only for the words they capitalise (names)."""
    members = {key: list(texts) for key, texts in members.items()}
    words = _Words(exclude)
    own = {text for texts in members.values() for text in texts}
    for text in seen:
        if text not in own:  # a member's own text is counted once, by ``terms``
            words.witness(text)
    said: dict[int, list[set[str]]] = {}
    per: dict[int, Counter[str]] = {}
    for key, texts in members.items():
        said[key] = [words.terms(text) for text in texts]
        per[key] = Counter(t for terms in said[key] for t in terms)  # remarks, not mentions
    total: Counter[str] = Counter()
    for c in per.values():
        total.update(c)
    mean_words = (sum(total.values()) / len(per)) if per else 0.0
    chosen = {key: _name(words, said[key], c, total, mean_words) for key, c in per.items()}
    _distinct(words, said, per, chosen)
    return {
        key: _show(words, terms) if terms else typical(members[key], words.exclude, words.proper) or NO_WORDS
        for key, terms in chosen.items()
    }


def _show(words: _Words, terms: list[str]) -> str:
    """The name as shown: its parts as members write them, a number ("(2)") after them."""
    shown = " · ".join(
        words.shown(t) if set(content(t)) & words.foreign else agree(words.shown(t))
        for t in terms if not t.startswith("(")
    )
    return " ".join([shown, *(t for t in terms if t.startswith("("))])


def _said(terms: list[str]) -> frozenset[str]:
    """What a name says: its content words, in any order and part ("set alarm" is "alarm
    set", "card · card" is "card")."""
    return frozenset(k for t in terms for k in content(t))


def _distinct(
    words: _Words, said: dict[int, list[set[str]]], per: dict[int, Counter[str]],
    chosen: dict[int, list[str]],
) -> None:
    """Themes of one process that would get the same name ("alarm" three times) each get
    the phrase of their own members that sets them apart from the others of that name
    ("alarm · wake", "cancel the alarm"), chosen as the name is, by class-based TF-IDF but
    among those themes only; the biggest theme chooses first, the older on a tie. A theme
    with no such phrase is numbered ("alarm (2)") after the oldest such one, by key."""
    same: dict[frozenset[str], list[int]] = {}
    for key, terms in chosen.items():
        if terms:
            same.setdefault(_said(terms), []).append(key)
    used = set(same)  # every name as first chosen, so no theme is renamed into another's
    for keys in sorted(same.values(), key=min):
        if len(keys) < 2:
            continue
        total: Counter[str] = Counter()
        for k in keys:
            total.update(per[k])
        mean_words = sum(total.values()) / len(keys)
        left: list[int] = []
        for k in sorted(keys, key=lambda k: (-len(said[k]), k)):
            apart = _apart(words, said[k], per[k], total, mean_words, chosen[k], used)
            if apart is None:
                left.append(k)
            else:
                chosen[k] = apart
                used.add(_said(apart))
        for i, k in enumerate(sorted(left)[1:], start=2):  # the oldest keeps the name
            chosen[k] = [*chosen[k], f"({i})"]


def _apart(
    words: _Words, said: list[set[str]], c: Counter[str], total: Counter[str],
    mean_words: float, base: list[str], used: set[frozenset[str]],
) -> list[str] | None:
    """The theme's name with the best phrase of its members the name does not hold added
    (or, with a one-part name, the phrase holding both that its members say), when no other
    theme of the process has that name: a phrase two members say if there is one, else one
    member's; None when there is none."""
    have = _said(base)
    for floor in sorted({min(2, max(c.values(), default=1)), 1}, reverse=True):
        scored = sorted(
            (
                (n * math.log(1 + mean_words / total[t]) * (PHRASE_WEIGHT if " " in t else 1.0), t)
                for t, n in c.items()
                if n >= floor and not words.proper(t) and not set(content(t)) & have
            ),
            key=lambda st: (words.unknown_word(st[1]), -st[0], st[1]),
        )
        for _, t in scored:
            grown = _grown(t, c, words, floor)
            if not set(content(grown)) & have:
                t = grown
            joined = _joined(base[0], t, c, words, floor) if len(base) == 1 else None
            terms = [joined] if joined is not None else [*base, t]
            if _said(terms) not in used:
                return terms
    return None


def _name(
    words: _Words, said: list[set[str]], c: Counter[str], total: Counter[str], mean_words: float
) -> list[str]:
    """The theme's best phrase, grown to the longest phrase around it that most of its
    speakers say; then a second phrase only when it is said with the first and often."""
    # In a theme of several remarks a name is a phrase at least two of them use.
    floor = min(2, max(c.values(), default=1))
    scored = sorted(
        (
            (n * math.log(1 + mean_words / total[t]) * (PHRASE_WEIGHT if " " in t else 1.0), t)
            for t, n in c.items()
            if n >= floor and not words.proper(t)
        ),
        key=lambda st: (words.unknown_word(st[1]), -st[0], st[1]),  # known words first
    )
    chosen: list[str] = []
    covered: set[str] = set()
    for _, t in scored:
        parts = set(content(t))
        if parts & covered:
            continue
        if chosen:
            head = chosen[0]
            both = sum(head in terms and t in terms for terms in said)
            if c[t] < SECOND * c[head] or both < TOGETHER * c[t]:
                continue
        t = _grown(t, c, words, floor)
        size = len(covered | set(content(t)))
        if set(content(t)) & covered or size > LABEL_WORDS + 1:
            continue
        if size > LABEL_WORDS and not (len(content(t)) > 1 and c[t] >= c[chosen[0]]):
            continue
        joined = _joined(chosen[0], t, c, words, floor) if chosen else None
        if joined is not None:  # "identity · verify" -> "verify my identity"
            chosen[0] = joined
            covered = set(content(joined))
            continue
        chosen.append(t)
        covered |= set(content(t))
        if len(chosen) == 2 or len(covered) >= LABEL_WORDS:
            break
    return chosen


def _joined(
    head: str, second: str, c: Counter[str], words: _Words, floor: int
) -> str | None:
    """The most common phrase holding both, in either order ("pending" and "payment" ->
    "pending payment"), when at least JOIN of the second's speakers say it."""
    want = set(content(head)) | set(content(second))
    unknown = words.unknown_word(head) or words.unknown_word(second)
    found = [
        (n, t)
        for t, n in c.items()
        if n >= max(floor, JOIN * c[second]) and set(content(t)) == want and not words.proper(t)
        and (unknown or not words.unknown_word(t))
    ]
    return max(found)[1] if found else None


def _grown(term: str, c: Counter[str], words: _Words, floor: int) -> str:
    """The longest phrase holding ``term`` that at least GROW of its speakers say ("declined"
    -> "card payment declined"), ties to the more common, then to the first in sorted order
    (never to the order of a set, which Python's string hashing changes run to run)."""
    best, best_key = term, (len(term.split()), c[term])
    inner = " " + term + " "
    unknown = words.unknown_word(term)
    for t, n in c.items():
        if (
            n >= max(floor, GROW * c[term]) and inner in " " + t + " " and not words.proper(t)
            and (unknown or not words.unknown_word(t))  # "ticket", never "amtrak ticket"
        ):
            k = (len(t.split()), n)
            if k > best_key or (k == best_key and t < best):
                best, best_key = t, k
    return best
