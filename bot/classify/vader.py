"""VADER (vaderSentiment 3.3.2) with the business lexicon, scoring as VADER does, faster.

VADER is a third of the sentiment layer's time per remark. Most of that is work it
repeats, not work it needs: it lower-cases the whole remark again for every check
around every lexicon word, walks an ASCII remark character by character for emoji,
and scores every word through the full per-word routine, known to its lexicon or not.
``Analyzer`` overrides those steps with the same checks on the words they read;
``vader_scores`` also skips VADER entirely for a remark none of whose words it knows,
about half of all remarks, whose scores are all zero. test_classify_sentiment compares
it with stock VADER; the scores are the same to the bit.
"""

from __future__ import annotations

import string
from functools import lru_cache

from vaderSentiment import vaderSentiment as vader
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .lexicon import WORDS

_NEGATE = frozenset(vader.NEGATE)


def _negated(word: str) -> bool:
    """vader.negated([word]) for one word."""
    low = word.lower()
    return low in _NEGATE or "n't" in low


class Analyzer(SentimentIntensityAnalyzer):
    """VADER with the same scores, minus work it repeats per word.

    VADER lower-cases the whole remark again for every check around every lexicon
    word, and walks an ASCII remark character by character looking for emoji. These
    overrides do the same checks on the words they read (VADER's words are always
    str: they come from str.split); vader's own code (3.3.2) is the reference, and
    test_classify_sentiment compares the two on the shipped texts.
    """

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not text.isascii():
            return super().polarity_scores(text)
        # The emoji pass leaves an ASCII text as it is (every emoji is non-ASCII).
        sentitext = vader.SentiText(text.strip())
        sentiments: list[float] = []
        words_and_emoticons = sentitext.words_and_emoticons
        lows = [w.lower() for w in words_and_emoticons]
        n = len(lows)
        lexicon = self.lexicon
        for i, item in enumerate(words_and_emoticons):
            low = lows[i]
            if low in vader.BOOSTER_DICT or (i < n - 1 and low == "kind" and lows[i + 1] == "of"):
                sentiments.append(0)
                continue
            if low not in lexicon:
                sentiments.append(0)  # what sentiment_valence gives a word it does not know
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text.strip())

    @staticmethod
    def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
        # The words before the lexicon word, lower-cased: one, two or three back.
        if start_i == 0:
            if _negated(words[i - 1]):
                valence = valence * vader.N_SCALAR
        elif start_i == 1:
            w2, w1 = words[i - 2].lower(), words[i - 1].lower()
            if w2 == "never" and (w1 == "so" or w1 == "this"):
                valence = valence * 1.25
            elif w2 == "without" and w1 == "doubt":
                pass
            elif _negated(w2):
                valence = valence * vader.N_SCALAR
        elif start_i == 2:
            w3, w2, w1 = words[i - 3].lower(), words[i - 2].lower(), words[i - 1].lower()
            if w3 == "never" and (w2 == "so" or w2 == "this") or (w1 == "so" or w1 == "this"):
                valence = valence * 1.25
            elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                pass
            elif _negated(w3):
                valence = valence * vader.N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
        w0, w1, w2, w3 = words[i].lower(), words[i - 1].lower(), words[i - 2].lower(), words[i - 3].lower()
        special = vader.SPECIAL_CASES
        onezero = f"{w1} {w0}"
        twoonezero = f"{w2} {w1} {w0}"
        twoone = f"{w2} {w1}"
        threetwoone = f"{w3} {w2} {w1}"
        threetwo = f"{w3} {w2}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        n = len(words)
        if n - 1 > i:
            zeroone = f"{w0} {words[i + 1].lower()}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {words[i + 1].lower()} {words[i + 2].lower()}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in vader.BOOSTER_DICT:
                valence = valence + vader.BOOSTER_DICT[n_gram]
        return valence


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """The shared analyzer, with the business lexicon (lexicon.WORDS) added."""
    shared = Analyzer()
    shared.lexicon.update(WORDS)
    return shared


_PUNCTUATION = string.punctuation


def vader_scores(text: str) -> tuple[float, float, float]:
    """VADER's (compound, pos, neg) for ``text``.

    A text none of whose words is in the lexicon scores zero on all three, and about
    half of all remarks are such texts: for them the lexicon test below, VADER's own
    word split, is all the work. Only plain-ASCII text takes the short cut: VADER first
    turns emoji into words.
    """
    shared = analyzer()
    if text.isascii():
        lexicon = shared.lexicon
        # Lower-cased once, not word by word: in ASCII text the two are the same, and
        # neither the split nor the punctuation stripped depends on case.
        for w in text.lower().split():
            stripped = w.strip(_PUNCTUATION)
            if (w if len(stripped) <= 2 else stripped) in lexicon:
                break
        else:
            return 0.0, 0.0, 0.0
    vs = shared.polarity_scores(text)
    return vs["compound"], vs["pos"], vs["neg"]
