"""Plain business English, eighth pass (issue 23): an amount said and the amount paid or taken
told in the words people use for a quote and a bill, apart ("the estimate for the repair was
300 and they billed 540", "we budgeted on the contractor's figure of 1200; the invoice landed
at 2050"), and trouble told as absent ("not one payroll run has gone out late since ...",
"never had a wrong invoice", "can't remember the last time a delivery went astray"). Named
rules in business_phrases.py's form (business_phrases.py appends them to BUSINESS). Written
from the misses of our dev sets and of the older checks (tone_business_check{,2,3,4}.csv),
never from check5."""

from __future__ import annotations

import re

from .business_sixth import NUM_PATTERN, UNIT_PATTERN, count_value

# An amount: money (a currency sign, "k", a money word or a bare number of 25 and up) or a
# duration (a number with a unit). A bare small number is taken only with a unit said once
# for both ("the engineer said two hours and was done in one"). Not a date, a clock time,
# a percentage or an ordinal ("the 3rd", "at 2pm", "4%").
_AMOUNT = re.compile(
    r"(?<![\w:/.-])([$£€])?" + NUM_PATTERN + r"(k)?" + UNIT_PATTERN
    + r"(?! ?(?:%|percent|am|pm|st|nd|rd|th|[:/.]\d))(?: ?(euros?|dollars?|pounds?|quid|bucks))?")
# What says an amount was the one agreed, and what says it was the one paid or taken, in the
# few words before each amount. The paid words are money or time spent (not "got" or
# "arrived": "promised 40 pallets and got 25" is short, not cheap).
_SAID = re.compile(r"\b(?:quote|quoted|quotes|estimate|estimated|estimator|budget|budgeted|expected|"
                   r"expecting|planned|promised|said|figure|list price|agreed|supposed|meant to|"
                   r"advertised|told us|told me)\b")
_PAID = re.compile(r"\b(?:bill|billed|invoice|invoiced|charged|charge|came to|came in at|landed at|"
                   r"took|taken|paid|cost|costs|total|debited|done in|finished in|final bill|"
                   r"ended up)\b")
# _SAID's words without its word boundaries: a mark needs _SAID to match in a slice of the
# text, whose ends may cut a word, so only text holding none of them anywhere is skipped.
_SAID_ANYWHERE = re.compile(_SAID.pattern.replace(r"\b", ""))
_LOOKBACK = 40  # characters before an amount read for its cue
_SENTENCE = re.compile(r"[^.?!]+")


def _amounts(clause: str, offset: int) -> list[tuple[int, int, float, str | None, bool]]:
    """(start, end, value, unit or None, money) of each amount in ``clause``."""
    found: list[tuple[int, int, float, str | None, bool]] = []
    for m in _AMOUNT.finditer(clause):
        cur, num, k, unit, word = m.groups()
        digits = num[0].isdigit()
        money = bool(cur or k or word or (digits and not unit and count_value(num, None, None) >= 25))
        if num in ("a", "an") and not unit:
            continue
        found.append((offset + m.start(), offset + m.end(), count_value(num, k, unit), unit, money))
    return found


def mark_compared(text: str) -> str:
    """``text`` with " zzpaidover" or " zzpaidunder" after the second of two amounts in a
    sentence, the first after words of an amount agreed and the second after words of an
    amount paid or taken, when they differ. Left alone when mark_expected already marked it."""
    if "zzover" in text or "zzunder" in text or not _SAID_ANYWHERE.search(text):
        return text  # (no words of an amount agreed, even inside a word: nothing to mark)
    marks: list[tuple[int, str]] = []
    for s in _SENTENCE.finditer(text):
        amounts = _amounts(s.group(), s.start())
        for (a0, a1, v1, u1, m1), (b0, b1, v2, u2, m2) in zip(amounts, amounts[1:], strict=False):
            said_cue = text[max(s.start(), a0 - _LOOKBACK):a0]
            paid_cue = text[a1:b0][-_LOOKBACK:]
            if not (_SAID.search(said_cue) and _PAID.search(paid_cue)) or _PAID.search(said_cue):
                continue
            if (u1 or u2) and not (u1 and u2):
                # A unit said once applies to both ("said two hours and was done in one").
                unit = u1 or u2
                if m1 or m2:
                    continue
                v1 = v1 * count_value("1", None, unit) if not u1 else v1
                v2 = v2 * count_value("1", None, unit) if not u2 else v2
            elif not (u1 and u2) and not (m1 and m2):
                continue
            if v1 != v2:
                marks.append((b1, " zzpaidover" if v2 > v1 else " zzpaidunder"))
    for end, word in reversed(marks):
        text = text[:end] + word + text[end:]
    return text


# Words that end the reach of a "not one" / "never" before the trouble it denies ("never had a
# refund for the late delivery", "no one told us it would be late").
_STOP = (r"(?:since|after|when|because|until|about|regarding|for|and|but|yet|though|although|still|told|"
         r"said|warned|mentioned|explained|informed|let)")
_REACH = rf"(?:(?!\b{_STOP}\b)[^.?!,;]){{0,40}}?"
_TROUBLE = (r"(?:late|wrong|missed|slipped|slip|errors?|mistakes?|lost|failed|failures?|complaints?|complained|astray|"
            r"outages?|downtime|crash(?:ed|es)?|chargebacks?|bounced|declined|short|damaged|broken|rejected|"
            r"disputes?|on hold|clash(?:es|ed)?|double-?booked|re-?key\w*|"
            r"calls? (?:to|into) (?:the )?(?:help ?desk|support|helpline)|"
            r"asked (?:to go|for (?:the |our |their )?(?:old |previous )?(?:\w+ ){0,3})back)")
_NOT = r"(?<!not )(?<!never )(?<!doesnt )(?<!didnt )(?<!dont )(?<!hasnt )(?<!havent )(?<!wont )(?<!cant )"
_WHEN = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
         r"july|august|september|october|november|december|spring|summer|autumn|winter|the (?:start|middle|"
         r"end|beginning) of \w+|the \d+\w*|\d{4}|last \w+|(?:early|mid|late)[- ]\w+)")
EIGHTH: tuple[tuple[str, str, float], ...] = (
    # More paid or taken than agreed is a complaint, less is praise (marked by mark_compared).
    ("paid_over_said", r"\bzzpaidover\b", -2.4),
    ("paid_under_said", r"\bzzpaidunder\b", 2.4),
    # Trouble told as absent: "not one payroll run has gone out late since ...", "without a
    # single call to the help desk", "never had a wrong invoice", "zero missed deliveries",
    # "can't remember the last time a delivery went astray", "not one of our nurses has asked
    # for the old rota back". Not "not one reply since I complained", "never had a refund for
    # the late delivery" (a stop word before the trouble).
    ("trouble_absent", r"\b(?:not (?:one|a single)|without (?:a single|one|any)|zero|never (?:had|once|seen)|"
                       r"cant (?:remember|recall) (?:the last time|when)|none of|nobody|no one|yet to (?:see|have))"
                       rf"\b{_REACH}\b{_TROUBLE}\b", 2.4),
    # Figures that agreed exactly, told as a fact: "every invoice this year matched the purchase
    # order to the penny", "the final invoice matched the proposal line for line", "every payslip
    # was right". Not "the invoice never matched the quote".
    ("matched_exactly", _NOT + r"\b(?:matched|match|matches|reconciled|balanced|tallied|agreed with)\b[^.?!]{0,40}?"
                        r"\b(?:to the (?:penny|cent|pound|dollar|euro|last \w+)|line for line|exactly|"
                        r"every (?:time|month|week|day|quarter)|first time)\b"
                        r"|\bevery (?:single )?(?:invoice|payslip|statement|figure|line|order|total|bill|count)\b"
                        r"[^.?!]{0,20}\b(?:was|were|came out|came back) (?:right|correct|accurate|spot on)\b", 2.4),
    # A reply or a visit fast, told as a fact: "got through to a person in under a minute",
    # "answered on the second ring", "the visa letter was in my inbox the morning after I
    # applied", "I rang at nine and the engineer was on site by eleven". Not a wish ("we need
    # it answered in an hour") or a long wait ("picked up in 45 minutes").
    ("answered_fast", r"^(?![^.?!]*\b(?:will|should|need|needs|want|must|has to|have to|supposed|meant|"
                      r"promised|please|can you|could you)\b)[^?]*(?:"
                      r"\b(?:answered|picked up|got through to (?:a|an|someone|somebody|\w+)(?: \w+)?|replied|"
                      r"responded|called (?:me |us )?back|rang (?:me |us )?back|on site|in (?:my|our) inbox|"
                      r"onboarded [\w ]{1,20}?|turned (?:\w+ ){0,2}around)\b[^.?!]{0,20}?\bin (?:under |less than )?"
                      r"(?:an? (?:minute|hour|afternoon|morning)|half an hour|one (?:minute|hour|afternoon|morning)|"
                      r"(?:two|three|four|five|ten|[2-9]|1\d) minutes)\b"
                      r"|\bon the (?:first|second|third) ring\b"
                      r"|\b(?:the (?:morning|day) after|an hour after|within a day of) (?:i|we) (?:applied|ordered|"
                      r"asked|booked|paid|sent|rang|called|emailed|wrote)\b"
                      r"|\b(?:rang|called|phoned|emailed|reported it|logged it) at (?:\w+)(?: ?am)?\b[^.?!]{0,40}"
                      r"\b(?:by|before) (?:\w+)(?: ?am| ?pm)?$)", 2.2),
    # An item left waiting since a day named: "the pallet has been sitting in the depot since
    # Friday", "the application has been with underwriting since August", "on the migration
    # waitlist since last autumn". Not "we've been on the annual plan since March".
    ("stuck_since", r"\b(?:has|have|had|weve|ive|theyve|its|was|were|is|are) (?:been )?(?:sat|sitting|stuck|waiting|pending|parked|"
                    r"in (?:progress|review|pending|the queue|a queue|limbo|pending review)|on hold|"
                    r"(?:at|in) (?:the|a|your) (?:\w+ )?(?:depot|hub|sorting office|warehouse|customs|port|"
                    r"facility|distribution centre|distribution center|sorting centre|sorting center)|"
                    r"on (?:the|a) (?:\w+ )?wait(?:ing )?list|with (?:underwriting|compliance|legal|customs|"
                    r"(?:your|the) (?:\w+ )?(?:team|department|desk)))\b[^.?!]{0,30}?\bsince "
                    + _WHEN + r"\b", -2.2),
    # Litotes: "couldn't ask for a smoother renewal", "could not have asked for a better
    # start" (the lexicon's "couldn't ask for more" names no comparative).
    ("ask_for_better", r"\b(?:couldnt|cant|could not|cannot|wouldnt) (?:have )?(?:ask|asked|wish|wished|hope|hoped) "
                       r"for (?:a |an )?(?:better|more|smoother|quicker|faster|easier|nicer|friendlier|cleaner|calmer|"
                       r"simpler|happier|kinder|cheaper|swifter|tidier|safer)\b", 2.4),
)
