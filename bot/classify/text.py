"""Slack text normalisation and the tokeniser/stemmer shared by routing and sentiment.

Slack delivers message text with its own markup (``<@U123>``, ``<#C1|name>``,
``<https://x|label>``, ``:emoji:``, HTML entities). We turn it into plain words once,
here, so routing and sentiment see the same text. Emoji that carry an obvious
sentiment become cue words (``emojipositive``/``emojinegative``) that the sentiment
lexicon knows and routing ignores.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Work is capped so a pasted 40k-character log cannot stall the bot: remarks are short,
# and the first couple of thousand characters say what the remark is about.
MAX_INPUT_CHARS = 8000
MAX_TEXT_CHARS = 2000
MAX_TOKENS = 300

POSITIVE_CUE = "emojipositive"
NEGATIVE_CUE = "emojinegative"

_POSITIVE_EMOJI = {
    "+1", "thumbsup", "tada", "heart", "hearts", "heart_eyes", "raised_hands", "clap",
    "star-struck", "star_struck", "100", "fire", "rocket", "pray", "smile", "smiley",
    "slightly_smiling_face", "grinning", "muscle", "sparkles", "partying_face", "blush",
    "sunglasses", "ok_hand", "green_heart", "blue_heart", "purple_heart", "trophy",
    "white_check_mark", "heavy_check_mark", "star", "star2", "champagne", "relieved",
    "hugging_face", "heart_hands", "raised_hand_with_fingers_splayed", "joy", "laughing",
}
_NEGATIVE_EMOJI = {
    "-1", "thumbsdown", "rage", "angry", "disappointed", "cry", "sob", "confused",
    "face_with_rolling_eyes", "rolling_eyes", "facepalm", "face_palm", "unamused", "weary",
    "tired_face", "scream", "pensive", "frowning", "slightly_frowning_face",
    "white_frowning_face", "frowning_face", "grimacing", "triumph", "exploding_head",
    "face_with_symbols_on_mouth", "disappointed_relieved", "persevere", "confounded",
    "worried", "broken_heart", "skull", "sweat", "x", "no_entry", "fearful", "anguished",
}
_UNICODE_POSITIVE = "👍🎉❤😍🙌👏🔥🚀🙏😊🙂😀😃😄😁💯✨🥳💪👌🏆✅⭐🤩🥰💚💙💜😎"
_UNICODE_NEGATIVE = "👎😡😠😞😢😭😕🙄🤦😒😩😫😤🤬☹🙁😬😖😣😟💔😱😰"

_USER_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_RE = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL_RE = re.compile(r"<!(?:subteam\^[A-Z0-9]+|[a-z]+)(?:\|([^>]*))?>")
_LINK_RE = re.compile(r"<((?:https?|mailto|tel):[^|>]*)(?:\|([^>]*))?>")
_BARE_URL_RE = re.compile(r"https?://\S+")
_EMOJI_RE = re.compile(r":([a-z0-9_+\-']+)(?:::skin-tone-\d)?:")
_UNICODE_POS_RE = re.compile(f"[{_UNICODE_POSITIVE}]\ufe0f?")
_UNICODE_NEG_RE = re.compile(f"[{_UNICODE_NEGATIVE}]\ufe0f?")


def _emoji_sub(cues: bool):
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if not cues:
            return " "
        if name in _POSITIVE_EMOJI:
            return f" {POSITIVE_CUE} "
        if name in _NEGATIVE_EMOJI:
            return f" {NEGATIVE_CUE} "
        return " "

    return sub


@lru_cache(maxsize=512)
def normalise(text: str, *, emoji_cues: bool = True) -> str:
    """Turn Slack message text into plain text.

    Mentions and bare links vanish, channel and link labels are kept, entities are
    unescaped, and sentiment-bearing emoji become cue words (or vanish when
    ``emoji_cues`` is False). The result is capped at ``MAX_TEXT_CHARS``.
    """
    if not text:
        return ""
    text = text[:MAX_INPUT_CHARS]
    # Each pass runs only when its marker is present: most remarks are plain text, and
    # a regex pass over them costs more than the test.
    if "<" in text:
        text = _USER_RE.sub(" ", text)
        text = _CHANNEL_RE.sub(lambda m: f" {m.group(1) or ''} ", text)
        text = _SPECIAL_RE.sub(lambda m: f" {(m.group(1) or '').lstrip('@')} ", text)
        text = _LINK_RE.sub(lambda m: f" {m.group(2) or ''} ", text)
    if "http" in text:
        text = _BARE_URL_RE.sub(" ", text)
    # Unescape after the markup is gone: Slack escapes only &, < and > in user text.
    if "&" in text:
        text = html.unescape(text)
    if ":" in text:
        text = _EMOJI_RE.sub(_emoji_sub(emoji_cues), text)
    if not text.isascii():
        text = _UNICODE_POS_RE.sub(f" {POSITIVE_CUE} " if emoji_cues else " ", text)
        text = _UNICODE_NEG_RE.sub(f" {NEGATIVE_CUE} " if emoji_cues else " ", text)
    # Runs of whitespace as one space, none at the ends: str.split's whitespace is the
    # regex's \s (both are Unicode's), and splitting is a few times faster than a sub.
    return " ".join(text.split())[:MAX_TEXT_CHARS]


# --- tokens for routing -------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOS_RE = re.compile(r"[’'`]")
# Phrasal verbs and compounds people write three ways ("top up", "top-up", "topup").
_COMPOUND_RE = re.compile(
    r"\b(top|log|sign|set|check|roll|follow|add|opt|on|e|pay|pick|hand|back|walk|sign)[\s-]"
    r"(up|in|out|on|board|mail|off|over|through|back)\b"
)
NEGATIONS = {
    "not", "no", "never", "cant", "cannot", "wont", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "couldnt", "shouldnt",
    "wouldnt", "aint", "nothing", "none", "nor",
}
STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be because been before being
    below between both but by could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i id if im in into is it
    its itsself ive just me more most my myself of off once only or other our ours ourselves
    out over own same she should so some such than that thats the their theirs them
    themselves then there these they this those through to too under until up very was we
    were weve what when where which while who whom why will with would you your yours
    yourself yourselves us also get got can may might must please hi hey hello thanks thank
    ok okay yes yeah one like really still just want need know let lets make made going
    gonna wanna use used using way ll re ve s t d m""".split()
)
# Keep the common words that still decide between processes: particles ("top up",
# "cash out") and question words ("how long" asks for a timing, "why" for a reason).
# Measured on the BANKING77 bench: +0.5-1 point at every k.
STOPWORDS = STOPWORDS - {
    "up", "out", "in", "off", "down", "still", "over", "how", "why", "when", "where",
    "what", "which", "long", "much", "many", "get", "got", "can",
}


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer (arrived/arrival/arrives -> arriv).

    Porter would be finer, but this is dependency-free, fast, and only has to make
    inflections of the same word collide.
    """
    w = word.replace("iz", "is")
    for _ in range(2):
        if len(w) <= 4:
            break
        for suf in (
            "ications", "ication", "ational", "ations", "ation", "ements", "ement", "ments",
            "ment", "ings", "ing", "ies", "ied", "edly", "ed", "ers", "er", "es", "ly", "al",
            "s", "e",
        ):
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)]
                if suf in ("ies", "ied", "ications", "ication"):
                    w += "y"
                break
        else:
            break
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
            w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # stopped -> stopp -> stop, cancelled -> cancel
    return w


def words(text: str) -> list[str]:
    """Lower-cased word tokens with apostrophes dropped (can't -> cant)."""
    text = text.lower()
    if "'" in text or "’" in text or "`" in text:  # most remarks have none: no pass
        text = _APOS_RE.sub("", text)
    text = _COMPOUND_RE.sub(r"\1\2", text)
    toks = _TOKEN_RE.findall(text)
    return toks[:MAX_TOKENS]


# Small: it only has to carry a remark's words from its sparse features to its word
# vector, which both start from them.
@lru_cache(maxsize=64)
def routing_words(text: str) -> tuple[str, ...]:
    """The words routing reads in raw Slack text: emoji dropped, not turned into cues."""
    return tuple(words(normalise(text, emoji_cues=False)))
