""""a" or "an" in a theme's name, by the sound of the word that follows (theme_labels.py).

Members write "a amtrak ticket" and "an UI"; articles are transparent in a phrase's key
("verify my identity" and "verify your identity" are one phrase), so a name may also put
one member's article before another member's word. The name says the article the next
word's first sound asks for: "an" before a vowel sound ("an hour", "an SMS", "an FAQ"),
"a" before a consonant sound ("a user", "a one-off", "a UI", "a SIM card").
"""

from __future__ import annotations

import re

# Letters whose name starts with a vowel sound: "an SMS", "an ATM", "an HR team".
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# Vowel letters said with a consonant sound ("a user", "a euro", "a one-off") ...
_YOU = ("use", "usa", "usu", "uti", "uku", "uto", "ufo", "ubiq", "eu", "ewe", "one", "once")
_UNI_AN = ("unin", "unim", "unid")  # ... but "un-" + a vowel-led word: "an uninstall"
# ... and an "h" not said: "an hour", "an honest mistake".
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_VOWELS = "aeiou"


def _acronym_word(word: str) -> bool:
    """An acronym said as a word, not letter by letter: a consonant, a vowel, a consonant
    ("SIM", "NASA", "LAN"), where "SMS", "ATM" and "HR" are spelt out."""
    w = word.casefold()
    return len(w) >= 3 and w[0] not in _VOWELS and w[1] in _VOWELS and w[2] not in _VOWELS


def wants_an(word: str) -> bool:
    """Whether "an" goes before ``word``: whether its first sound is a vowel's."""
    if not word:
        return False
    if len(word) >= 2 and word.isupper():
        if _acronym_word(word):
            return False
        return word[0] in _VOWEL_LETTERS
    w = word.casefold()
    if w.startswith(_SILENT_H):
        return True
    if w[:1] not in _VOWELS:
        return False
    if w.startswith("uni"):
        return w.startswith(_UNI_AN)
    if w.startswith("ur") and w[2:3] in _VOWELS:  # "a urine test", never "a urgent"
        return False
    return not w.startswith(_YOU)


# Lower case only: a capital "A" inside a name is more often a letter ("plan A ...").
_ARTICLE = re.compile(r"(?<![\w'’-])(an?)(\s+)([^\W\d_][\w'’-]*)")


def agree(text: str) -> str:
    """``text`` with each "a"/"an" made to agree with the word after it."""

    def fix(m: re.Match[str]) -> str:
        article, space, word = m.groups()
        return ("an" if wants_an(word) else "a") + space + word

    return _ARTICLE.sub(fix, text)
