"""Plain business English, sixth pass (issue 23): counts whose direction needs knowing what
is counted ("tickets went from 140 to 310"), effort told as a count ("took four emails"),
slowness without a speed word, sarcasm without a trouble word, complaints asked as plain
questions, offers to stay if something is fixed, and asking for a manager. Named rules in
business_phrases.py's form (business_phrases.py appends them to BUSINESS). Written from our
dev set bench/data/tone_business_dev5.csv, never from a check set."""

from __future__ import annotations

import re

# "went from 140 to 310", "dropped from 6 hours to 40 minutes", "from two days to over a
# week": a regex cannot compare two numbers, so mark_direction() writes which way the count
# went as a word the rules below read (" zzup" / " zzdown" after the second count).
_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
             "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
             "ninety": 90, "a hundred": 100}
_UNITS = {"second": 1 / 60, "sec": 1 / 60, "minute": 1, "min": 1, "hour": 60, "hr": 60,
          "day": 1440, "week": 10080, "month": 43200, "year": 525600}
NUM_PATTERN = r"(\d[\d,]*(?:\.\d+)?|" + "|".join(sorted(_NUMWORDS, key=len, reverse=True)) + r")"
UNIT_PATTERN = r"(?: ?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b)?"
_FROM_TO = re.compile(
    r"\bfrom (?:about |around |roughly |under |over |just |only )?[$£€]?" + NUM_PATTERN + r"(k|%)?" + UNIT_PATTERN
    + r" (?:a \w+ )?(?:up |down )?to (?:about |around |roughly |under |over |almost |nearly |more than |"
    r"just |only |a whole |a full )?[$£€]?" + NUM_PATTERN + r"(k|%)?" + UNIT_PATTERN)


def count_value(num: str, k: str | None, unit: str | None) -> float:
    """One count of NUM_PATTERN, "k" and UNIT_PATTERN's groups, durations in minutes."""
    n = float(_NUMWORDS[num]) if num in _NUMWORDS else float(num.replace(",", ""))
    if k == "k":
        n *= 1000
    if unit:
        n *= _UNITS[unit.rstrip("s")]
    return n


def mark_direction(text: str) -> str:
    """``text`` with " zzup" or " zzdown" after each "from A to B" whose counts differ (a
    unit given once applies to both: "from 2 to 9 hours")."""
    return mark_moves(text, _FROM_TO)


def mark_moves(text: str, pattern: re.Pattern[str], *, to_first: bool = False) -> str:
    """``text`` with " zzup" or " zzdown" after each match of ``pattern`` (a count, its
    multiplier and unit moving from one value to another; ``to_first``: the pattern has the
    new value first, "to B from A") whose values differ."""
    out, last = [], 0
    for m in pattern.finditer(text):
        groups = m.groups()
        n1, k1, u1, n2, k2, u2 = groups[3:] + groups[:3] if to_first else groups
        if not (u1 or u2) and (n1 in ("a", "an") or n2 in ("a", "an")):
            continue  # "from a customer to an agent"
        a, b = count_value(n1, k1, u1 or u2), count_value(n2, k2, u2 or u1)
        if a != b:
            out.append(text[last:m.end()] + (" zzup" if b > a else " zzdown"))
            last = m.end()
    return "".join(out) + text[last:] if out else text


# What a business wants fewer of, and what it wants more of.
BAD_COUNTED = (r"(?:tickets?|complaints?|refunds?|refund requests|returns?|cancell?ations?|churn|errors?|"
        r"failures?|failed \w+|declines?|declined \w+|chargebacks?|disputes?|escalations?|outages?|"
        r"incidents?|defects?|bugs?|backlog|queue|no-shows?|bill|bills|invoice|price|prices|cost|costs|"
        r"fees?|premium|rent|spend|(?:reply|response|resolution|wait|waiting|hold|delivery|lead|load|"
        r"turnaround|processing|handling|queue) times?|(?:reply|response) rate of|delays?|late \w+)")
GOOD_COUNTED = (r"(?:nps|csat|satisfaction|sign-?ups|signups|revenue|sales|orders|bookings|conversions?|"
         r"conversion rate|uptime|retention|renewals?|repeat \w+|reviews?|ratings?|scores?|margin|"
         r"margins|savings|users|customers|subscribers|leads|traffic|first-call resolution)")
# Between what is counted and its direction: a verb of change, then "from A to B" ("tickets
# went from", "reply time has gone up from"); not "tickets from 1 to 5 are Sam's".
_GAP = (r"\b[^.?!]{0,30}\b(?:went|gone|go|goes|going|rose|risen|rise|rises|jumped|jump|jumps|climbed|increased|"
        r"grew|grown|dropped|drop|drops|fell|fallen|decreased|shrank|shrunk|came|come|moved|changed|"
        r"cut|reduced|raised|slashed|ballooned|soared|spiked|crept|edged|halved|doubled)\b[^.?!]{0,15}"
        r"\bfrom\b[^.?!]{0,40}")
_WCNT2 = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
_DAYNAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PRAISE_WORD = (r"(?:well done|congratulations|congrats|bravo|nice one|great job|good job|nice work|"
                r"great work|top work|brilliant|fantastic|amazing|impressive)")
_STAY = r"(?:stay|renew|keep (?:using|paying)|remain|stick around|stick with you|recommend you)"
_FIXED = (r"(?:fixed|fix|sorted|sort out|sort|solved|solve|resolved|resolve|stopped|stop|got \w+ "
          r"working|could get \w+ working|made \w+ work|worked|actually worked)")
SIXTH: tuple[tuple[str, str, float], ...] = (
    # A count going the way nobody wants ("tickets went from 140 to 310", "reply time from
    # 2 to 9 hours"), or the way everyone wants ("NPS went from 20 to 45", "returns from 80
    # to 15"): the direction comes from mark_direction().
    ("bad_count_up", rf"\b{BAD_COUNTED}{_GAP}zzup\b", -2.4),
    ("bad_count_down", rf"\b{BAD_COUNTED}{_GAP}zzdown\b", 2.4),
    ("good_count_up", rf"\b{GOOD_COUNTED}{_GAP}zzup\b", 2.4),
    ("good_count_down", rf"\b{GOOD_COUNTED}{_GAP}zzdown\b", -2.4),
    # Effort counted: "it took four emails to get an answer", "six tries to upload", "getting
    # the invoice took four reminders". One of them ("took one email") is the praise below.
    ("effort_count", rf"\b(?:took|takes|taken|needed|needs|required|requires|after) (?:us |me |them |her |him )?"
                     rf"(?:another |over |nearly |almost |more than )?{_WCNT2} (?:separate |different |more |"
                     r"(?:phone|separate|follow-up|chasing|branch|site|engineer|store) )?(?:emails|calls|"
                     r"attempts|tries|goes|reminders|chasers|visits|letters|messages|tickets|forms|"
                     r"conversations|agents|people|transfers|escalations|follow-ups)\b", -2.4),
    ("one_touch", r"\b(?:took|takes|needed|needs|required) (?:us |me |them )?(?:just |only )?(?:one|a single) "
                  r"(?:email|call|phone call|message|form|visit|click|conversation|chat)\b", 2.2),
    # Slow without a speed word: "I'm on day three of waiting", "we're into week two",
    # "has had our parcel for nine days", "it's Friday and the Monday order ...", "takes a
    # whole minute to open".
    ("into_day_n", r"\b(?:im|were|we are|i am|its|now|were now|im now) (?:now |already )?(?:on|into|in) "
                   r"(?:day|week|month) (?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b", -2.2),
    ("had_it_for", r"\b(?:has|have|had) (?:had )?(?:our|my|the|their) (?:\w+ ){1,2}for (?:over |almost |nearly |"
                   r"more than )?(?:(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|[3-9]|\d\d+) "
                   r"(?:working )?days|(?:a|two|three|four|several|\d+) (?:weeks?|months?))\b", -2.2),
    ("day_passed", rf"\bits (?:now |already )?{_DAYNAME}\b[^.?!]{{0,10}}\band (?:the|our|my) {_DAYNAME}\b",
     -2.2),
    ("slow_to_load", r"\btakes? (?:a (?:whole|full) |over (?:a |an )?|more than (?:a |an )?|nearly (?:a |an )?|"
                     r"almost (?:a |an )?|about (?:a |an )?|(?:two|three|five|ten|\d+) )?(?:minutes?|hours?|ages|"
                     r"forever|an age|a minute)(?: or (?:two|so|more))? (?:just )?(?:to|before (?:it|the page)) "
                     r"(?:\w+ ){0,2}?(?:load|open|save|sync|refresh|respond|log in|search|appear|come up|"
                     r"update|print|start)\b", -2.2),
    # Sarcasm without a trouble word: "thanks for nothing", "because waiting a week is
    # totally normal", "what a surprise, ...", "well done, you've managed to bill us ...",
    # "love it when the invoice arrives after the due date".
    ("ironic_idiom", r"\bthanks? (?:you )?(?:a lot |so much )?for nothing\b|\bwhat a surprise\b(?! party)"
                     r"|\bsurprise,? surprise\b|\bshock,? horror\b|\bwho (?:would have|wouldve|would of|could "
                     r"have|couldve) (?:thought|guessed)\b|\b(?:colou?r|call) me (?:surprised|shocked)\b"
                     r"|\b(?:oh )?(?:sure|yeah|right),? because\b|\bbecause [^.?!]{0,60}\b(?:is|are|was) "
                     r"(?:totally|perfectly|completely|so|very|entirely) (?:normal|acceptable|reasonable|"
                     r"standard|fine|ok|okay)\b", -3.0),
    ("praise_then_managed", rf"\b{_PRAISE_WORD}[,.!]+ (?:you|they|the \w+|your \w+)(?:ve| have| has)? "
                            r"(?:somehow |actually |finally )?managed to\b", -3.0),
    ("love_it_when", r"\b(?:love|loving|just love|gotta love|dont you love|dont you just love) (?:it )?when\b"
                     r"[^.?!]{0,60}\b(?:after|late|again|without|never|nobody|no one|wrong|twice|extra|still|"
                     r"instead|before|down|offline|hold)\b", -3.0),
    ("nobody_answers", r"\b(?:nobody|no one|noone|not one person|not a single person)\b (?:\w+ )?(?:picks up|picked up|"
                       r"answers|answered|replies|replied|responds|responded|calls? (?:us |me )?back|called (?:us |me )?back|"
                       r"gets back|got back|bothered|returns? (?:my|our) \w+|returned (?:my|our) \w+|reads|read (?:my|our))\b",
     -2.4),
    # Complaints asked as plain questions: "why am I paying for seats we removed?", "how is
    # the account still locked?", "why has my order been cancelled?"
    ("why_charged", r"^(?:so |but |and )?why (?:am i|are we|is (?:my|our|there)|was i|were we|do i|do we|did you|"
                    r"did (?:my|our|the)|have i|have we|has (?:my|our|the)|is (?:it|this|the)|are (?:you|they))\b[^?]{0,50}"
                    r"\b(?:paying|charged|charging|billed|billing|debited|deducted|taken|still|cancell?ed|locked|"
                    r"removed|declined|twice|again|late|missing|wrong|fee|fees|extra|more|blocked|frozen|"
                    r"suspended|closed|refused)\b", -2.2),
    # ... and "when are we actually getting the engineer?": "actually" asks after something overdue.
    ("how_still", r"^(?:so |but |and )?how (?:is|are|has|have|come) [^?]{0,40}\bstill\b"
                  r"|^(?:so |but |and )?when (?:are|am|is|will|do|does) [^?]{0,30}\bactually\b", -2.2),
    # Staying offered on condition of a fix: "if you fixed the sync we'd stay", "we'll stay
    # if you sort out the billing", "fix the login and we'd happily stay". Not "if you added
    # SSO we would renew" (an idea, whatever its tone).
    ("stay_if_fixed", rf"\bif (?:you|they|the \w+(?: \w+)?|it|someone) (?:\w+ )?{_FIXED}\b[^.?!]{{0,40}}\b(?:wed|we would|"
                      rf"we will|well|id|i would|we might|wed still|we would still) (?:happily |gladly |definitely |"
                      rf"still |be happy to |probably )?{_STAY}\b"
                      rf"|\b(?:wed|we would|we will|well|we might|id|i would) (?:happily |gladly |definitely |"
                      rf"probably |still )?{_STAY}\b[^.?!]{{0,15}}\bif (?:you|they|the \w+|it) (?:\w+ )?{_FIXED}\b"
                      rf"|^(?:just )?(?:fix|sort out|sort|solve) (?:the|your|this|our) [^.?!]{{0,30}}\band "
                      rf"(?:wed|we would|well|we will|id) (?:happily |gladly |definitely )?{_STAY}\b", -2.4),
    # A discount agreed and then missing: "we agreed on 15% off and the renewal came through
    # at full price".
    ("discount_missing", r"\b(?:agreed|promised|offered|quoted|given|told)\b[^.?!]{0,30}\b(?:\d+ ?% off|(?:a )?discount|"
                         r"(?:a )?reduced (?:rate|price)|(?:a )?lower (?:rate|price))\b[^.?!]{0,40}\b(?:full price|"
                         r"full rate|list price|old price|old rate|full amount|without (?:it|the discount))\b", -2.2),
    # Asking for someone higher up, or to complain formally: "I want to speak to a manager",
    # "put me through to your supervisor". Not "speak to the account manager about seats".
    ("escalation", r"\b(?:speak|talk|speaking|talking) (?:to|with) (?:a|your|the|someone|somebody|an) ?(?:manager|"
                   r"supervisor|senior|more senior|boss|head of|person in charge|in charge|complaints?)\b"
                   r"|\bput me through to (?:a |your |the |someone )?(?:manager|supervisor|senior|boss|complaints)"
                   r"|\b(?:formal|official) complaint\b|\bescalat(?:e|ing|ed) (?:this|it|the (?:matter|issue|case|"
                   r"ticket|complaint))\b", -2.6),
)
