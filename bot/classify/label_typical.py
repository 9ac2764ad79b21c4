"""A name for a theme none of whose phrases can name it (theme_labels.py): its remarks are
all function words ("yes that's right", "no thanks"), so ``labels`` found nothing, and the
name was "(no words)" (issue 23 item 4). Such a theme is named by its most typical remark's
first clause instead: the remark whose words the others say most, per word; a shorter one
on a tie. Never a name in it: a customer's, a capitalised run, a word the workspace
capitalises mid-sentence (``proper``), nor a word no word list knows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .label_article import agree
from .label_text import fold, is_acronym, is_german, known_word, names_in, shown_form, split_clauses
from .label_words import STOP
from .text import stem

WORDS = 6  # words of the remark's clause at most ("what can you help me with")


def _first_clause(
    text: str, exclude: re.Pattern[str] | None, proper: Callable[[str], bool]
) -> list[tuple[str, bool]]:
    clauses = split_clauses(text, exclude)
    named = set() if is_german(clauses) else names_in(clauses)
    flat = 0
    for clause in clauses:
        kept = [
            (w, first) for i, (w, first) in enumerate(clause)
            if flat + i not in named and not proper(stem(fold(w)))
            and (is_acronym(w) or known_word(w) or fold(w) in STOP)
        ]
        if kept:
            return kept
        flat += len(clause)
    return []


def typical(
    texts: Iterable[str], exclude: re.Pattern[str] | None, proper: Callable[[str], bool]
) -> str:
    """The first clause of the theme's most typical remark, as written; "" when none is left."""
    read = [r for r in (_first_clause(t, exclude, proper) for t in texts) if r]
    said = Counter(w for r in read for w in {fold(w) for w, _ in r})
    best = min(  # a clause said whole first: a cut one ends mid-phrase ("what can I use you to")
        read,
        key=lambda r: (
            len(r) > WORDS, -sum(said[fold(w)] for w, _ in r) / len(r), len(r), [fold(w) for w, _ in r]
        ),
        default=None,
    )
    if not best:
        return ""
    return agree(" ".join("I" if w == "i" else shown_form(w, first) for w, first in best[:WORDS]))
