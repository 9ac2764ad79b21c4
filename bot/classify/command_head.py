"""The verb a short command opens on (themes.py weighs it: ``set`` / ``remove`` / ``show``
an alarm differ by it more than by their slots)."""

from __future__ import annotations

from .text import STOPWORDS, routing_words

# Politeness and fillers a command may open with before its verb.
HEAD_SKIP = frozenset(
    """please can could would will you i me id im hey hi hello ok okay olly so just now want
    need like to wanna gonna kindly also then and well um oh yes no""".split()
)
# Words a question opens on: no verb to weigh.
HEAD_QUESTION = frozenset(
    """what whats how why when where which who whose whom is are was were do does did
    am have has had should shall might may must there any""".split()
)


def head(text: str) -> str | None:
    """The verb a command opens on, past politeness (``can you``, ``please``, ``i want
    to``); None when the remark opens on a question or a function word (``what``, ``is
    there``, ``my card``), or has no words."""
    for w in routing_words(text):
        if w not in HEAD_SKIP and not w.isdigit():
            return None if w in HEAD_QUESTION or w in STOPWORDS else w
    return None
