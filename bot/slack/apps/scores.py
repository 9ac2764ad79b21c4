"""Reading a score out of a post: stars ("★★☆☆☆", ":star::star:"), "Rating: 2/5",
"Score: 9", "NPS: 7", "CSAT 4/5", Zendesk's good/bad satisfaction, emoji ratings.

Each reader returns a ``Rating`` only when the number is in its scale's range; anything
else is no score (a wrong score is worse than none).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.slack.app_post import Rating, RatingKind
from bot.slack.apps.post import View

_STARS = re.compile(r"([★⭐]+)\s*([☆✩]*)")
_STAR_EMOJI = re.compile(r"((?::star:\s*){1,5})")
_OUT_OF = re.compile(r"\b(\d{1,2})(?:[.,]0)?\s*(?:/|out of)\s*(5|10)\b", re.I)
_NUMBER = re.compile(r"^\s*(\d{1,2})(?:[.,]0)?\b")


def stars_in(text: str | None) -> Rating | None:
    """★★☆☆☆ (filled stars counted), :star: emoji, or "2/5"."""
    if not text:
        return None
    m = _STARS.search(text)
    if m and 1 <= len(m.group(1)) <= 5:
        return Rating("stars", len(m.group(1)))
    m2 = _STAR_EMOJI.search(text)
    if m2:
        return Rating("stars", m2.group(1).count(":star:"))
    return out_of(text, "stars")


def out_of(text: str | None, kind: RatingKind) -> Rating | None:
    """"2/5", "4 out of 5" (5-point kinds), "9/10" (NPS)."""
    m = _OUT_OF.search(text or "")
    if not m:
        return None
    value, scale = int(m.group(1)), int(m.group(2))
    if scale == 10:
        return Rating("nps", value) if 0 <= value <= 10 else None
    return in_range(kind, value) if kind != "nps" else None


def number(text: str | None, kind: RatingKind) -> Rating | None:
    """A field whose value is the score itself ("9", "3 - Neutral", "4/5")."""
    if not text:
        return None
    found = out_of(text, kind)
    if found is not None:
        return found
    if kind == "stars" and (s := stars_in(text)):
        return s
    m = _NUMBER.match(text.replace("*", ""))
    return in_range(kind, int(m.group(1))) if m else None


def in_range(kind: RatingKind, value: int) -> Rating | None:
    low, high = (0, 10) if kind == "nps" else (1, 5)
    return Rating(kind, value) if low <= value <= high else None


# Zendesk's satisfaction is good or bad; read as the ends of a 5-point CSAT.
_GOOD_BAD = {"good": 5, "bad": 1}
# Intercom's and Freshdesk's word/emoji scales, low to high.
_CSAT_WORDS = {
    "terrible": 1, "extremely unhappy": 1, "very unsatisfied": 1, ":rage:": 1, "😠": 1,
    "bad": 2, "unhappy": 2, "unsatisfied": 2, ":slightly_frowning_face:": 2, "🙁": 2,
    "ok": 3, "okay": 3, "neutral": 3, ":neutral_face:": 3, "😐": 3,
    "great": 4, "happy": 4, "satisfied": 4, ":smiley:": 4, "😃": 4,
    "amazing": 5, "extremely happy": 5, "very satisfied": 5, ":star-struck:": 5, "🤩": 5,
    # SurveyMonkey's CSAT answer scale (Very satisfied ... Very dissatisfied).
    "very dissatisfied": 1, "dissatisfied": 2, "somewhat dissatisfied": 2,
    "neither satisfied nor dissatisfied": 3, "somewhat satisfied": 4,
}


def csat_words(text: str | None) -> Rating | None:
    """A CSAT given as a number ("4", "4/5") or a word/emoji of a 5-point scale."""
    if not text:
        return None
    found = number(text, "csat")
    if found is not None:
        return found
    low = text.lower()
    for word in sorted(_CSAT_WORDS, key=len, reverse=True):  # "extremely unhappy" before "unhappy"
        if re.search(rf"(?<![\w:]){re.escape(word)}(?![\w:])", low):
            return Rating("csat", _CSAT_WORDS[word])
    return None


def good_or_bad(text: str | None) -> Rating | None:
    low = (text or "").lower()
    for word, value in _GOOD_BAD.items():
        if re.search(rf"\b{word}\b", low):
            return Rating("csat", value)
    return None


def first(view: View, labels: tuple[str, ...], read: Callable[[str], Rating | None]) -> Rating | None:
    """The first field labelled with one of ``labels`` whose value ``read`` understands."""
    for label, value in view.fields:
        if any(w in label.lower() for w in labels) and (found := read(value)) is not None:
            return found
    return None


def labelled(view: View) -> Rating | None:
    """The score a field names: NPS, CSAT/satisfaction, rating/stars, or a bare "Score"."""
    for label, value in view.fields:
        key = label.lower()
        if "nps" in key or "recommend" in key:
            found = number(value, "nps")
        elif "csat" in key or "satisf" in key:
            found = csat_words(value)
        elif "star" in key or "rating" in key or "rated" in key:
            found = stars_in(value) or number(value, "stars")
        elif key.strip() == "score" or key.endswith(" score"):
            found = number(value, "nps")
        else:
            continue
        if found is not None:
            return found
    return None
