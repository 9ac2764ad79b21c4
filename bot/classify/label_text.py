"""Reading a theme's members for its name (theme_labels.py): Slack markup out, words as
written (Unicode, hyphenated compounds whole), clauses a phrase may not bridge, and the
words taken for names (a customer's, or capitalised mid-sentence) left out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .english import known
from .label_words import GERMAN, STOP
from .text import stem

# Slack markup and emoji: never words of a remark.
_MARKUP = re.compile(r"<[^>\n]*>|:[a-z0-9_+\-']+:")
# A verb and its particle written apart ("set up") are joined by this mark: one word, keyed
# as "set-up" is, and shown as the member wrote it (a space), never as "set-up": "set up a
# direct debit" is the verb, "set-up" a noun the member did not write.
JOIN = "\u2060"
# A hyphenated compound is one word: "top-ups" names a theme, "ups" alone does not.
_WORD = re.compile(r"[^\W\d_]+(?:['’\u2060-][^\W\d_]+)*")
_APOSTROPHE = re.compile(r"['’]")
# Where a sentence (or a clause a bigram must not bridge) ends.
_BREAK = re.compile(r"[.!?;:,()\[\]\"“”—–\n]+")

# Verbs whose particle is part of the word: "top up" is "top-up", never "top".
_PARTICLE = re.compile(r"\b(top|sign|log|set|cash|pay|check)\s+(up|in|out|on)\b", re.IGNORECASE)


def known_word(word: str) -> bool:
    """Whether the word list knows ``word``, a joined verb and particle ("set up") as its
    compound ("set-up")."""
    return known(word.replace(JOIN, "-"))


def fold(word: str) -> str:
    """Lower case without accents: the key inflections and spellings share."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace(JOIN, "-"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_acronym(token: str) -> bool:
    return len(token) >= 2 and token.isupper()


def shown_form(token: str, sentence_start: bool) -> str:
    """How a word is shown: as written, except a capital only there because the word starts
    a sentence ("Invoices were late" shows "invoices")."""
    token = token.replace(JOIN, " ")
    if sentence_start and token[:1].isupper() and not is_acronym(token) and token[1:].islower():
        return token.lower()
    return token


_MARKS = "[\u0300-\u036f]*"  # combining accents, as NFD writes them after their letter


def _loose(word: str) -> str:
    """A pattern for a name's word with or without its accents (run on NFD text)."""
    return "".join(re.escape(ch) + (_MARKS if ch.isalpha() else "") for ch in fold(word))


# Words that say what kind of company a name is, not which: "Acme Corp" is "Acme" too.
_LEGAL = frozenset(
    """inc incorporated corp corporation co company ltd limited llc llp plc gmbh ag sa sas sarl
    bv nv srl spa pty group holding holdings""".split()
)


def name_words(name: str) -> set[str]:
    """A name and what of it names the customer alone: the name without its legal form
    ("Acme Corp" -> "Acme"), and each of its words no word list knows ("Oakridge Dental" ->
    "Oakridge"; never "Dental", nor "Bank" of "Bank of America")."""
    words = _WORD.findall(name)
    out = {" ".join(name.split())}
    core = list(words)
    while len(core) > 1 and fold(core[-1]).rstrip(".") in _LEGAL:
        core.pop()
    if core and len(core) < len(words):
        out.add(" ".join(core))
    out.update(
        w for w in words
        if len(words) > 1 and len(w) >= 3 and fold(w) not in STOP and fold(w) not in _LEGAL
        and not is_acronym(w) and not known(w)
    )
    return out


def excluder(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of the names (and what of each names the customer alone: ``name_words``), in any
    case, with or without accents ("Société Générale" is also "societe generale"): to be run
    on NFD text (``_cut``)."""
    phrases = sorted(
        {p for n in names if n and n.strip() for p in name_words(n)}, key=len, reverse=True
    )
    if not phrases:
        return None
    alternatives = "|".join(r"\s+".join(map(_loose, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _cut(text: str, exclude: re.Pattern[str]) -> str:
    return unicodedata.normalize("NFC", exclude.sub(" , ", unicodedata.normalize("NFD", text)))


def _word(token: str) -> str:
    """An elided or contracted word's own part: n'est -> est, d'attente -> attente,
    month's -> month, they're -> they (the longest part)."""
    if not _APOSTROPHE.search(token):
        return token
    return max(_APOSTROPHE.split(token), key=len)


def split_clauses(text: str, exclude: re.Pattern[str] | None) -> list[list[tuple[str, bool]]]:
    """The text's clauses, each a list of (word, starts its sentence); excluded names and
    Slack markup become clause breaks, so no phrase is made across them."""
    text = _MARKUP.sub(" . ", text)
    if exclude is not None:
        text = _cut(text, exclude)
    out: list[list[tuple[str, bool]]] = []
    sentence_start = True
    for piece in re.split(r"([.!?\n]+|[;:,()\[\]\"“”—–]+)", text):
        if not piece.strip():
            continue
        if _BREAK.fullmatch(piece.strip()):
            sentence_start = sentence_start or bool(re.search(r"[.!?\n]", piece))
            continue
        words = [_word(w) for w in _WORD.findall(_PARTICLE.sub(rf"\1{JOIN}\2", piece))]
        if words:
            out.append([(w, sentence_start and i == 0) for i, w in enumerate(words)])
            sentence_start = False
    return out


def names_in(clauses: list[list[tuple[str, bool]]]) -> set[int]:
    """Positions (clause, word) of capitalised runs of two or more words: names."""
    found: set[int] = set()
    flat = 0
    for clause in clauses:
        run: list[int] = []
        for i, (w, _) in enumerate(clause):
            if w[:1].isupper() and not is_acronym(w) and w.casefold() not in STOP:
                run.append(flat + i)
            else:
                if len(run) >= 2:
                    found.update(run)
                run = []
        if len(run) >= 2:
            found.update(run)
        flat += len(clause)
    return found


@lru_cache(maxsize=4096)
def text_cases(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]:
    """How a text writes its words, cached: the same remarks are read at every view. Read
    without cutting customers' names out (a cut name is never a theme's name anyway)."""
    clauses = split_clauses(text, None)
    return ((), ()) if is_german(clauses) else clause_cases(clauses)


def clause_cases(
    clauses: list[list[tuple[str, bool]]],
) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]]:
    """The keys of the words written in lower case, and of those capitalised mid-sentence
    (with whether no word list knows that form): a capital mid-sentence says "name", unless
    the text capitalises most of its words ("Export To PDF Broken": a title says nothing)."""
    lower: list[str] = []
    capitals: list[str] = []
    content_mid = 0
    for clause in clauses:
        for w, first in clause:
            key, function = _word_key(w)
            if w[:1].islower():
                lower.append(key)
            elif not first and not is_acronym(w):
                capitals.append(w)
            content_mid += not first and not function
    if len(capitals) * 2 > content_mid >= 2:
        capitals = []
    return tuple(lower), tuple((_word_key(w)[0], not known_word(w)) for w in capitals)


@lru_cache(maxsize=16384)
def _word_key(word: str) -> tuple[str, bool]:
    """A word's key (its stem) and whether it is a function word: the workspace's remarks
    are read word by word for their capitals, and words recur."""
    folded = fold(word)
    return stem(folded), len(word) < 3 or folded in STOP


def is_german(clauses: list[list[tuple[str, bool]]]) -> bool:
    return sum(w.casefold() in GERMAN for clause in clauses for w, _ in clause) >= 2
