"""Customer remarks to a service company (issue 23, item 5) as named rules, in the form of
business_phrases.py; lexicon.py adds them to its phrase rules. Also what the tone features
leave unread (sentiment.tone_features): plain-text handles, and thanks that wrap an ask."""

from __future__ import annotations

import re
from functools import lru_cache

from .customer_tenth import TENTH
from .english import known

# A plain-text handle ("@united", ".@acme", "@SouthwestAir:"), as customers address a
# company in a forwarded post or email; not an email address ("bob@acme.com").
_HANDLE_RE = re.compile(r"(?<![\w<])@\w+")  # not Slack's own mentions, "<@U123>"

# Thanks that only wrap an ask ("any way to find my hat? Thanks in advance!", "DM sent,
# thanks"): politeness, not praise. Thanks *for* something is left alone.
_COURTESY_RE = re.compile(r"\b(?:many thanks|thanks?|thank you|thx|tia)\b(?!(?: you)?(?: (?:so|very) much| a lot"
                          r"| again)? for\b)(?: you)?(?: (?:so|very) much| a lot| again| in advance)?[.!,]*",
                          re.IGNORECASE)
_ASK_RE = re.compile(r"\?|\b(?:please|pls|plz|dm|dmd|dmed|sent|done|will do|just did)\b", re.IGNORECASE)


def drop_courtesy(text: str, asks: bool) -> str:
    """``text`` without the thanks that wrap an ask (a question, a request: ``asks``, or an
    answer to one: "DM sent", "done"), so they are not read as praise."""
    if text.isascii() and not _maybe_courtesy(text.lower()):
        return text
    if not (asks or _ASK_RE.search(text)) or not _COURTESY_RE.search(text):
        return text
    return " ".join(_COURTESY_RE.sub(_courtesy, text).split())


def _maybe_courtesy(low: str) -> bool:
    """Whether lower-cased ASCII text holds a string every _COURTESY_RE match holds: most
    remarks hold none, and the two case-blind searches cost far more than this test. (Not
    for other text: case-blind, "ı" and "K" match "i" and "k".)"""
    return "thank" in low or "thx" in low or "tia" in low


def _courtesy(match: re.Match[str]) -> str:
    # "Thank you!" is gratitude more often than not; "thanks in advance!" never is.
    said = match.group(0)
    return said if said.endswith("!") and "advance" not in said.lower() else " "


def drop_handles(text: str) -> str:
    """``text`` without plain-text handles: a handle names whom a remark is addressed to and
    carries no tone, but read as words it can ("@united" is praise to VADER, 1.8). The tone
    features and the word vector of the tone models read the remark without them."""
    if "@" not in text:
        return text
    bare, n = _HANDLE_RE.subn(" ", text)
    return " ".join(bare.split()) if n else text


# Customer remarks to a service company (issue 23, item 5): travellers and shoppers tell
# a complaint as where they are and for how long, or thank a company for the trouble.
# Written from the kinds of errors on the airline set's dev fifth; no tweet copied.
_STAFF = r"(?:agents?|persons?|people|employees?|staff|desks?|reps?|counters?|gate agents?|lines?|windows?)"
CUSTOMER: tuple[tuple[str, str, float], ...] = (
    # Thanks for the trouble: "thanks for making me miss my meeting", "thank you for
    # reminding me how easy the other airline is", "thanks for the canned reply".
    ("thanks_for_trouble", r"\bthanks? (?:you )?(?:so much |again |a lot )?for (?:\w+ ){0,2}?(?:making (?:me|us|everyone|my \w+|"
                           r"our \w+) (?:miss|wait|sit|stand|late|pay|run|sleep|spend|lose|stay|feel)|keeping "
                           r"(?:me|us|everyone) (?:waiting|on hold|in the dark|stuck|on the (?:plane|tarmac))|reminding|"
                           r"leaving|delaying|cancell?ing|losing|stranding|charging|ignoring|wasting|"
                           r"ruining|overbooking|bumping|misplacing|breaking|holding (?:us|me)|the lack of|being (?:so |"
                           r"such )?(?:a |an )?(?:terrible|awful|horrible|useless|unhelpful|rude|incompetent|worst)|"
                           r"the (?:second|third|fourth|fifth|sixth|\d+(?:nd|rd|th)) |the (?:generic|"
                           r"canned|automated|automatic|scripted|copy ?paste|form|computer generated) (?:\w+ )?"
                           r"(?:reply|response|answer|message|tweet|email)s?)\b", -4.5),
    # Still at a place, or the count of hours there: "still sitting on the tarmac", "hour
    # four at the gate", "three hours in line", "sat on our plane for an hour".
    ("still_there", r"\bstill (?:just )?(?:sitting|here|there|stuck|standing|waiting|in line|in the queue|"
                    r"on (?:the|our|this) (?:ground|tarmac|runway|plane|bus|train|phone|line)|at the (?:gate|"
                    r"airport|counter|desk))\b"
                    r"|\b(?:hour|day|minute) (?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:at|on|in|of)\b"
                    r"|\b(?:\d+|two|three|four|five|six|several) ?(?:hours?|hrs?|minutes|mins) (?:at|on|in) "
                    r"(?:the |our |a |this )?(?:gate|tarmac|runway|plane|line|queue|airport|phone|terminal|lounge|"
                    r"baggage claim|counter)\b"
                    r"|\b(?:sat|sitting|stuck|waited|waiting|held) (?:on|at|in) (?:the |our |my |this |a )?\w+ "
                    r"(?:for )?(?:over |almost |nearly |another )?(?:an?|one|two|three|four|five|\d+) "
                    r"(?:hours?|hrs?|minutes|mins)\b", -2.4),
    # Too few hands: "only one agent at the desk", "one person working the counter", "the
    # line hasn't moved in an hour", "nobody has said anything".
    ("too_few_staff", rf"\bonly (?:one|1|two|2) {_STAFF}\b|\b(?:one|1) (?:person|agent|employee) "
                      r"(?:working|at|on|for)\b|\b(?:line|queue) (?:hasnt|has not|hadnt|isnt|is not|not) "
                      r"(?:moved|moving)\b|\b(?:nobody|no one|noone) (?:has )?(?:said|told us|tells us|"
                      r"is (?:helping|answering|here|around)|at the (?:desk|gate|counter))\b", -2.2),
    # Where is what I handed over: "where is my bag?", "where's our luggage", "still no
    # sign of my suitcase".
    ("where_is_mine", r"\bwhere(?: is|s| are) (?:my|our) (?:\w+ )?(?:bags?|luggage|suitcases?|baggage|"
                      r"stroller|car seat|pet|dog|cat|tickets?|boarding pass(?:es)?|upgrade|miles|points|"
                      r"reimbursement|confirmation)\b"
                      r"|\b(?:no sign|no trace|no word) of (?:my|our|the) \w+", -2.2),
    # Questions that are reproaches: "how can you not take calls?", "why I can't book on
    # your site?", "how long for a reply", "would have been nice to be told", "remember
    # when customers mattered?".
    ("reproach_question", r"\bhow (?:can|could|do|does|is it) (?:you|they|an? \w+|the \w+)? ?(?:not|be so|possibly|"
                          r"justify|expect|get away with)\b|\bwhy (?:i|we) (?:cant|cannot|couldnt|wasnt|werent|"
                          r"havent|didnt)\b|\bhow long (?:for|until|till|before|does it take for) (?:a |an |my |our |"
                          r"the |someone |somebody |anyone )?(?:reply|response|answer|call ?back|refund|agent|human|"
                          r"person|to (?:reply|respond|answer|get))\b|\bwould(?: have|ve| of) been nice\b"
                          r"|\bremember when\b", -2.2),
    # Asking what is going on, which is how a stranded customer asks: "what gives?",
    # "what's the deal with ...", "any idea what's going on", "what's up with flight 12?".
    ("whats_going_on", r"\bwhat gives\b|\bwhat(?:s| is) (?:the deal|going on|happening|up) with\b"
                       r"|\bwhat(?:s| is) going on\b|\bwhats the holdup\b|\bwhat(?:s| is) the hold ?up\b", -2.0),
) + TENTH  # the tenth pass's rules (customer_tenth.py)


# A hashtag that runs words together ("#badcustomerservice", "#NeverAgain"), as customers
# tag a complaint or praise in a post: read as its words, or the tone is lost (VADER and the
# bag of words know "bad", not "badcustomerservice").
_HASHTAG_RE = re.compile(r"#([A-Za-z]{5,30})\b")
_SHORT_WORDS = frozenset("no so of my is to in on at we us me it be do go up an or by".split())


def split_hashtags(text: str) -> str:
    """``text`` with each run-together hashtag replaced by its words, where every piece is a
    known English word (the fewest pieces win); other hashtags are left as they are."""
    if "#" not in text:
        return text
    return _HASHTAG_RE.sub(_hashtag_words, text)


def _hashtag_words(match: re.Match[str]) -> str:
    tag = match.group(1)
    low = tag.lower()
    if known(low):
        return match.group(0)
    pieces = _segment(low)
    return " ".join(pieces) if pieces else match.group(0)


@lru_cache(maxsize=1024)
def _segment(word: str) -> tuple[str, ...] | None:
    """The fewest known words that make up ``word``, or None."""
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end):
            head, piece = best[start], word[start:end]
            if head is None or not (piece in _SHORT_WORDS or (len(piece) >= 3 and known(piece))):
                continue
            if best[end] is None or len(head) + 1 < len(best[end]):  # type: ignore[arg-type]
                best[end] = head + (piece,)
    return best[-1]
