"""Is a word one a person would look up? (theme names, issue 23 item 4)

A lone word no word list knows ("hubspot", "globex", "oakridge") is most often a name: a
customer's, a product's, a tool's. Theme names prefer known words (theme_labels.py), and a
customer's name in the registry gives up such words alone ("Oakridge Dental" -> "oakridge",
label_text.py). Known: an English word of SCOWL size 50 (data/english_words.txt, base forms;
regular inflections are found from them), a word the word vectors' tokenizer holds whole
(common words of several languages: "musique", "dropdown"), or a word of the few everyday
product terms below that both miss.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Everyday product and support words neither list holds (checked against both).
_PRODUCT = """wifi signup signin onboarding offboarding webhook passcode topup contactless
chatbot checkbox autopay autofill autocomplete autosave dropdown popup login logout
username timestamp screenshot ebook unsubscribe takeaway""".split()

# Regular inflections: (ending, what replaces it) -> the base the list holds.
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
    ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("er", "e"), ("est", ""), ("est", "e"),
)


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "english_words.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in lines if w and not w.startswith("#")) | frozenset(_PRODUCT)


def _bases(word: str) -> list[str]:
    out = [word]
    for end, add in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 3:
            out.append(word[: -len(end)] + add)
            stem = word[: -len(end)]
            if end in ("ed", "ing", "er", "est") and len(stem) >= 4 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # stopped -> stop
    return out


@lru_cache(maxsize=8192)
def known(word: str) -> bool:
    """Whether a word (any case; a hyphenated compound part by part) is in a word list."""
    from .wordvectors import whole_words

    w = word.casefold()
    if "-" in w:
        return all(len(p) < 3 or known(p) for p in w.split("-"))
    return w in whole_words() or in_word_list(w)


def in_word_list(word: str) -> bool:
    """Whether a lower-case word (3+ letters) or its regular base is in the English word list
    alone (not the word vectors' tokens, which hold other languages' words too): language.py
    asks it of a short remark's words."""
    words = _words()
    # The list drops an inflection whose base it holds, and that base may be an inflection
    # itself ("foods" -> "food" -> "foo"): two steps reach every word of the list.
    return any(b in words or any(c in words for c in _bases(b)) for b in _bases(word))
