"""Business-text sentiment cues: VADER lexicon additions and multi-word phrase rules.

VADER was built for social media; customer remarks in Slack use a different
vocabulary ("keeps failing", "took forever", "spot on", "no response") where
VADER's word list is silent or wrong. These cues were written for that register
and tuned only on bot/classify/data/sentiment_train.csv and our dev set
(bench/data/tone_business_dev.csv), never on the bench's evaluation or check sets.
"""

from __future__ import annotations

import re

from .business_eighth import mark_compared
from .business_eleventh import mark_eleventh
from .business_ninth import mark_short, mark_used_to
from .business_phrases import BUSINESS
from .business_seventh import mark_expected
from .business_sixth import mark_direction
from .business_tenth import mark_billed_over
from .customer_phrases import CUSTOMER
from .rules import RuleSet
from .text import NEGATIVE_CUE, POSITIVE_CUE

# Single words, VADER scale (-4..+4).
WORDS: dict[str, float] = {
    POSITIVE_CUE: 2.0, NEGATIVE_CUE: -2.0,
    "smooth": 2.0, "smoothly": 2.0, "seamless": 2.3, "seamlessly": 2.3, "intuitive": 1.8,
    "effortless": 2.0, "painless": 1.6, "kudos": 2.5, "shoutout": 2.2, "nailed": 2.2,
    "breeze": 1.8, "reliable": 1.5, "responsive": 1.8, "proactive": 1.6, "accommodating": 1.5,
    "impressive": 2.4, "thrilled": 2.6, "delighted": 2.6, "flawless": 2.6, "flawlessly": 2.6,
    "lifesaver": 2.8, "heroes": 2.0, "hero": 2.0, "gamechanger": 2.5, "fixed": 1.0,
    "solved": 1.2, "resolved": 1.0, "renewed": 1.2, "expand": 0.8, "expansion": 0.8,
    "adoption": 0.6, "fast": 0.8, "faster": 1.0, "quick": 0.8, "quickly": 0.8, "early": 0.6,
    "valued": 1.5, "valuable": 1.8, "patient": 1.5, "thorough": 1.6, "recommend": 1.6, "rocks": 1.8, "rock": 0.4,
    "buggy": -2.2, "bug": -1.2, "bugs": -1.4, "crash": -1.8, "crashes": -2.0,
    "crashing": -2.0, "crashed": -2.0, "churn": -2.2, "blocked": -1.8, "blocker": -1.6,
    "outage": -2.0, "outages": -2.0, "downtime": -1.8, "slow": -1.6, "slower": -1.4,
    "slowest": -2.0, "sooo": 0.0, "laggy": -1.8, "lag": -1.4, "lags": -1.4, "clunky": -1.8,
    "flaky": -1.8, "unusable": -2.6, "overcharged": -2.2, "overcharge": -2.0,
    "duplicated": -1.2, "duplicates": -1.2, "timeout": -1.2, "errors": -1.7, "fails": -2.0,
    "glitch": -1.5, "glitchy": -1.8, "cluttered": -1.3, "spamming": -1.5, "late": -1.4,
    "delay": -1.3, "delays": -1.5, "damaged": -1.8, "incorrect": -1.6, "unreliable": -2.0,
    "unresponsive": -2.0, "escalate": -1.0, "escalated": -1.1, "escalation": -1.2,
    "froze": -1.6, "frozen": -1.2, "freezes": -1.6, "hangs": -1.2, "confusing": -1.6,
    "confused": -1.4, "outdated": -1.2, "missed": -1.3, "slipped": -1.2, "mess": -2.0,
    "nightmare": -2.6, "ridiculous": -2.2, "unacceptable": -2.6, "rude": -2.2,
    "dismissive": -2.0, "half-baked": -2.0, "unfinished": -1.4, "misleading": -1.8,
    "lost": -1.4, "lose": -1.4, "losing": -1.6, "broke": -2.0, "breaks": -1.8,
    "regret": -2.0, "greyed": -1.0, "garbage": -2.4, "useless": -2.4, "wasted": -1.8,
    "expensive": -1.2, "pricey": -1.2, "hidden": -0.8, "ugh": -1.8, "meh": -1.2,
    # Politeness and fillers that VADER scores as praise but that, in remarks to a company,
    # mostly wrap a request or a problem ("please help, my order never came").
    "please": 0.0, "help": 0.0, "hopefully": 0.0, "sure": 0.0, "yes": 0.0, "ok": 0.0,
    "okay": 0.0, "like": 0.5, "likes": 0.5, "thanks": 0.8, "thank": 0.8, "lol": 0.3, "haha": 0.5,
}

# Multi-word rules on lower-cased text with apostrophes removed ("can't" -> "cant").
# Leaving, said with "switching": "switching providers", "switching away", "switching to a
# rival". Not good news about the switch ("switching plans took two clicks", "since switching",
# "switching to you", "switching to the annual plan"), nor a neutral "switching their invoices".
_SWITCHING_AWAY = (r"|\b(?<!since )(?<!after )switching (?:away\b|over to (?!(?:you|your|us|our)\b)|"
                   r"to (?!(?:you|your|yours|us|our|(?:an? |the )?(?:annual|yearly|monthly|quarterly|"
                   r"new|paid|pro|premium|business|enterprise)\b|(?:the |a )?(?:\w+ )?(?:plan|tier|"
                   r"billing|version|invoices?|mode)\b))\w|(?:providers?|vendors?|suppliers?|banks?|"
                   r"carriers?|couriers?|platforms?|tools?|systems?|software|partners?|agenc(?:y|ies)|"
                   r"accountants?)\b)")
_NEG = r"(?:not|no|never|cant|cannot|wont|dont|doesnt|didnt|isnt|arent|hasnt|havent|couldnt)"
PHRASES: tuple[tuple[str, float], ...] = (
    # complaints
    (rf"\bstill (?:{_NEG}|waiting|broken|failing|down|stuck|pending|missing|wrong|happening|slow|getting|seeing|having)\b", -2.0),
    (r"\bkeeps? (?:on )?(?:failing|crashing|breaking|timing out|dropping|freezing|happening|logging|asking|getting|going down|hitting|showing)\b", -2.0),
    (r"\b(?:took|takes|taking|take) (?:forever|ages|way too long|too long|so long|weeks|months)\b", -2.2),
    (r"\bno (?:response|reply|replies|answer|answers|update|updates|follow ?up|callback|word|one (?:replied|responded|called|answered|followed))\b", -2.0),
    (r"\bnobody (?:has )?(?:replied|responded|called|answered|followed|told|seems|could|showed|came)\b", -2.0),
    (r"\bnever (?:arrived|showed|got|heard|came|called|responded|replied|shows|arrives|works|worked)\b", -2.0),
    (rf"\b{_NEG} (?:even )?(?:work|working|load|loading|sync|syncing|arrive|arrived|respond|responding|help|helpful|fixed|resolved|answered|updated|corrected|replied|there|happy|impressed|pleased|great|good|a fan|acceptable)\b", -2.0),
    (r"\b(?:broke|broken|failed|failing|down|wrong|late|crashed|missing|stuck|happening|delayed|error|errors)\b[\w ]{0,20}\bagain\b", -1.2),
    (r"\b(?:again|another(?! (?:year|two years|three years|term|twelve months))|yet another|third time|fourth time|second time|every (?:single )?time)\b", -0.5),
    (r"\b(?:been|still|keep) waiting\b|\bwaiting (?:on|for) (?:a |the )?(?:reply|response|answer|fix|refund|credit|callback)\b", -1.8),
    (r"\b(?:threatening|considering|thinking about|going) to (?:churn|cancel|leave|switch)|\bswitching to a competitor\b", -2.5),
    (r"\b(?:charged|billed) (?:twice|double|two times)|\bdouble (?:billed|charged)\b|\bwrong (?:amount|invoice|numbers|items|address|vat|total|totals)\b", -2.0),
    (r"\b(?:too|way too|so|very|really|super) (?:slow|expensive|complicated|confusing|low|high|buggy|long|many clicks)\b", -1.8),
    (r"\b(?:out of|losing|lost) patience\b|\bfed up\b|\bhad enough\b|\bwaste of (?:time|money)\b|\boff guard\b", -2.2),
    (r"\bno way to\b|\b(?:cant|cannot|couldnt|unable to) (?:find(?! (?:anything|a thing|much) to (?:critici|fault|complain))|figure|get|log|access|add|export|upload|download|believe|tell|reach|see|save|use|cancel|change)\b", -1.6),
    (r"\b(?:on hold|hung up|hangs up|no-showed|no show|didnt show|left the package)\b", -1.8),
    (r"\b(?:lost|losing) (?:all|their|our|the|data|work)\b|\bdata loss\b", -1.8),
    (r"\?\?|!!+", -0.6),
    # effort and repetition: complaints without a negative word
    (r"\b(?:had|have|has|needed|need|needs|got) to (?:call|contact|email|ask|chase|remind|wait|reset|restart|retry|redo|re-?enter|re-?send|resubmit|reinstall|escalate|explain|phone|ring|follow up|go back|start over|do it|keep)\b", -1.8),
    (r"\b(?:two|three|four|five|six|several|multiple|many|numerous|countless|\d+) (?:times|calls|emails|tickets|attempts|tries|reminders|follow-?ups|days|weeks|hours)\b", -1.0),
    (r"\b(?:every|each) (?:single )?(?:time|month|week|day)\b[\w ]{0,30}\b(?:have|has|had|need|needs) to\b|\b(?:over and over|again and again|yet again|once again)\b", -1.6),
    (r"\b(?:still|only) (?:no|not)\b|\bno (?:way|one|idea|luck|help)\b|\bnot (?:yet|anymore|any more)\b", -1.2),
    # customer-service register: waiting, being told, being let down, leaving
    (r"\b(?:waiting|waited|wait|sat|sitting|stuck|on hold|delayed|late)\b(?: (?:on|at|in) (?:the )?\w+)? (?:for )?(?:over |almost |nearly |another |an? |\d+ ?|(?:two|three|four|five|six|several|many) )(?:\+ )?(?:min|mins|minutes|hour|hours|hrs|hr|days|weeks)\b|\b(?:\d+|an?|one|two|three|four|five|six|several) ?(?:hours?|hrs?|minutes|mins)(?: long)? (?:late|delay|delayed|on hold|hold|wait|waiting|later|layover|line|queue)\b", -2.0),
    (r"\b(?:i|we) was told\b|\b(?:i|we) (?:was|were|have been|ve been|had been) (?:told|promised|assured)\b|\bsupposed to (?:be|have|get|arrive|call|land|leave)\b|\bwas told\b", -1.6),
    (r"\b(?:been|keep|kept|still) (?:asking|trying|calling|emailing|chasing|waiting)\b|\btrying to (?:get through|reach|call|get a hold|get ahold|rebook|get an answer)\b", -1.8),
    (r"\b(?:not|never) (?:flying|using|buying|ordering|booking|coming back|recommending)\b[\w ]{0,20}\bagain\b|\btake (?:my|our) business\b|\b(?:rethinking|reconsidering|moving away|done with|last time (?:i|we))\b" + _SWITCHING_AWAY, -2.4),
    (r"\bthanks? (?:for )?(?:nothing|for making me|for the lack|for ruining|for wasting|a lot for|for losing|for leaving|for ignoring)\b|\b(?:lack of|no) (?:help|communication|info|information|options|answers?|explanation|apology|compensation|refund)\b", -2.2),
    (r"\b(?:canceled|cancelled|cancellation|rebooked(?! (?:their|her|his|the|our|my) (?:\w+ )?\w+ (?:to|for) )|misconnect|missed (?:my|our|the)|lost (?:my|our)|damaged (?:my|our)|charged (?:me|us)|overbooked|bumped|stranded|diverted)\b", -1.8),
    (r"\b(?:refund|compensation|voucher|reimburse|reimbursement|claim)\b", -0.8),
    (r"\b(?:why (?:is|are|was|were|did|does|do|cant|wont|would|hasnt|havent|isnt)|how (?:long|much longer|is it|hard is it)|what happened|is anyone|does anyone (?:there|even))\b", -1.0),
    (r"\b(?:really|so|very) (?:happy|glad|great|nice) (?:that|to see) (?:i|we|you|my|our)\b[\w ]{0,20}\b(?:charged|lost|missed|waiting|cancel|delay)", -2.4),
    # praise through negative words
    (r"\bnot (?:a )?(?:single|one) (?:issue|problem|complaint|hiccup|bug|glitch|error|ticket)\b|\bnothing (?:to complain|but (?:good|great|praise))\b|\bcouldnt (?:be happier|ask for more)\b|\bno (?:complaints|issues|problems) at all\b|\bnever (?:had|has) (?:an? |any )?(?:issue|problem|complaint)s?\b", 2.6),
    # praise
    (r"\bspot on\b|\bon point\b|\bchefs kiss\b|\b10/10\b|\b5 star\b|\bfive stars?\b", 2.6),
    (r"\bgame ?changer\b|\babove and beyond\b|\bextra mile\b|\bwithout a hitch\b|\bblown away\b", 2.6),
    (r"\b(?:went|going|running|works?|worked|working) (?:really |super |very |so )?(?:well|great|smoothly|perfectly|like a charm|fine)\b", 2.2),
    (r"\b(?:just|it|that) works\b|\bfirst try\b|\ball green\b|\bup across\b", 1.6),
    (r"\bno (?:complaints|issues|problems|fuss|haggling|hiccups)\b|\bzero (?:tickets|issues|downtime|complaints|problems)\b|\bwithout a single (?:ticket|issue)\b", 2.4),
    (r"\bsaved (?:them|us|me|him|her) (?:hours|days|time|a ton|so much)|\bsaves? (?:them|us)? ?(?:hours|time)\b|\bpaid for itself\b|\bcut (?:their|the) \w+ time\b", 2.2),
    (r"\b(?:huge|big|real) (?:win|improvement|hit|help)\b|\bon time\b|\bahead of (?:schedule|plan|the deadline)\b|\bexceeded\b|\bmiles ahead\b", 2.0),
    (r"\b(?:happy|glad|willing) to be a reference\b|\breference customer\b|\btelling (?:everyone|other teams)\b|\bgood news\b", 2.0),
    (r"\b(?:shout ?out|thanks? (?:so much|a lot|for)|thank you|much appreciated|well done|good job|great job)\b", 1.5),
)
PHRASES = PHRASES + tuple((p, w) for _, p, w in CUSTOMER) + tuple((p, w) for _, p, w in BUSINESS)
_RULES = RuleSet([p for p, _ in PHRASES])
_WEIGHTS = tuple(w for _, w in PHRASES)

# Questions and requests are usually neutral asks, even with a charged word in them.
_REQUEST_RE = re.compile(
    r"^(?:can|could|would|will|is|are|do|does|did|how|what|whats|when|where|which|who|"
    r"please|pls|any chance|is there|they want|theyd like|they would like|they need|need|"
    r"customer (?:asked|wants|requested|needs|is asking)|they asked|asking|reminder|fyi|"
    r"let me know|confirming|send|share|update|we should|next steps)\b"
)


# A remark addressed by a plain-text handle ("@acme can you ...", ".@acme please ..."),
# as in a forwarded post or email: the ask starts after the handles.
_ADDRESSEE_RE = re.compile(r"^(?:\.?@\w+[:,]? *)+")


def _marked(text: str) -> str:
    """``text`` with the business passes' markers in, which their rules read."""
    return mark_eleventh(mark_billed_over(mark_used_to(mark_short(mark_compared(mark_expected(
        mark_direction(text)))))))


def business_rules(text: str) -> list[str]:
    """Names of the plain-business-English rules matching lower-cased ``text``."""
    text = _marked(text)
    return [name for name, p, _ in BUSINESS if re.search(p, text)]


def customer_rules(text: str) -> list[str]:
    """Names of the customer-remark rules matching lower-cased ``text``."""
    return [name for name, p, _ in CUSTOMER if re.search(p, text)]


def phrase_scores(text: str) -> tuple[float, float]:
    """Summed (positive, negative) weight of the phrase rules matching ``text``."""
    pos = neg = 0.0
    for i in _RULES.matches(_marked(text)):
        w = _WEIGHTS[i]
        if w > 0:
            pos += w
        else:
            neg -= w
    return pos, neg


def is_request(text: str) -> bool:
    """True for questions and asks ("can we get the invoice as PDF?")."""
    return text.rstrip().endswith("?") or bool(_REQUEST_RE.match(_ADDRESSEE_RE.sub("", text)))
