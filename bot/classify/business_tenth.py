"""Plain business English, tenth pass (issue 23): waiting told as a count of weeks or a status
held for days, work the customer ended up doing, leaving told as not ordering again, "I
wouldn't say it's fair", more money for the same thing, billed for more than agreed, what
"used to be free", a price held flat, coming in under budget, and service told as a plain
event (they handled the claim for us, rang to check it went well, flagged a cheaper tariff).
Named rules in business_phrases.py's form (business_phrases.py appends them to BUSINESS).
Written from bench/data/tone_business_dev7.csv, never from the held-out checks (check7 was
written and scored before any of these)."""

from __future__ import annotations

import re

from .business_sixth import NUM_PATTERN, count_value

# "we were invoiced for twelve months when we signed up for six": the count billed is written
# before the count agreed; mark_billed_over() writes " zzbilledover" after it when more.
_BILLED_AGREED = re.compile(
    r"\b(?:invoiced|billed|charged|debited) (?:us |me |them )?for " + NUM_PATTERN
    + r"\b[^.?!\d]{0,25}?\b(?:when|but|though|although|while|and) (?:we|i|they) (?:only )?"
    r"(?:signed up|agreed|ordered|asked|booked|contracted|paid|signed|committed) (?:for|to) "
    r"(?:only |just )?" + NUM_PATTERN + r"\b")


def mark_billed_over(text: str) -> str:
    """``text`` with " zzbilledover" after a count billed that is more than the count agreed."""
    out, last = [], 0
    for m in _BILLED_AGREED.finditer(text):
        n1, n2 = m.groups()
        if n1 in ("a", "an") or n2 in ("a", "an"):
            continue
        if count_value(n1, None, None) > count_value(n2, None, None):
            out.append(text[last:m.end()] + " zzbilledover")
            last = m.end()
    return "".join(out) + text[last:] if out else text


_ORDINAL = r"(?:second|third|fourth|fifth|sixth|seventh|eighth|\d+(?:nd|rd|th))"
_NUMW = r"(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|[3-9]|\d\d+)"
_STATUS = (r"(?:processing|pending|in progress|awaiting \w+|under review|with (?:underwriting|the \w+ team|"
           r"compliance|legal)|on hold|in transit|out for delivery|dispatched|being prepared|queued|open)")
# Who did something for the customer (not the customer: "we found a cheaper tariff").
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+(?:st|nd|rd|th))"
_NOT_US = r"(?<!\bwe )(?<!\bi )(?<!\bweve )(?<!\bive )(?<!\bwed )"
TENTH: tuple[tuple[str, str, float], ...] = (
    # Waiting told as a count: "it's the fourth week of waiting for the laptop", "the order has
    # said processing for eleven days". Not "our supplier for eleven years".
    ("waiting_counted", r"\b" + _ORDINAL + r" (?:week|day|month) (?:of (?:waiting|chasing|calling|emails|"
                        r"being on hold)|waiting|on hold|without)\b"
                        r"|\b(?:has|have|had)(?: (?:said|shown|been|sat|stayed|read|showed))? (?:as |at )?\"?"
                        + _STATUS + r"\"? for (?:over |almost |nearly |more than )?(?:" + _NUMW
                        + r" (?:working |business )?days|(?:two|three|four|five|six|several|a few|\d+) weeks|"
                        r"(?:a|over a|a whole) (?:week|month)|weeks|months)\b", -2.2),
    # A day promised and another kept: "the callback promised for Monday came on Friday", "the
    # install booked for Tuesday happened on Thursday". Not the same day named twice.
    ("not_the_day_promised", r"\b(?:promised|due|booked|scheduled|expected|meant to (?:come|arrive|happen)|"
                             r"supposed to (?:come|arrive|happen)|confirmed) (?:for|on|by) (?:the )?(" + _DAY
                             + r")\b[^.?!]{0,25}?\b(?:came|arrived|turned up|showed up|landed|happened|"
                             r"was delivered|got here|went out) (?:on |at )?(?:the )?(?!\1\b)" + _DAY + r"\b",
     -2.2),
    # Work the customer ended up doing: "I ended up fixing the import myself", "in the end we
    # rebuilt the report ourselves". Not "I fixed it myself" told as a choice.
    ("did_it_ourselves", r"\b(?:ended up|end up|had to|have to|left to|were left to|was left to|in the end (?:i|we))"
                         r"\b[^.?!]{0,40}?"
                         r"\b(?:myself|ourselves)\b", -2.2),
    # Leaving told as not ordering again: "we won't be ordering from you after this quarter",
    # "we'll stop using you". Not "we won't be ordering this month" (no supplier named).
    ("not_ordering_again", r"\b(?:wont|will not|are not going to|arent going to|not going to|will stop|well stop|"
                           r"have stopped|weve stopped|stopped) (?:be )?(?:ordering|buying|using|booking|"
                           r"shopping|dealing|working) (?:anything )?(?:from you|with you|you|your (?:\w+ )?(?:firm|"
                           r"company|service|services|team|shop|store|platform|app))\b", -2.4),
    # Litotes on a quality: "I wouldn't say the new pricing is fair", "I wouldn't call it
    # easy". Not "I wouldn't say no to", "can't say enough good things".
    ("wouldnt_call_it", r"\b(?:wouldnt|would not|couldnt|could not|cant|cannot) (?:really )?(?:say|call|describe)"
                        r"(?! (?:no|enough)\b)[^.?!]{0,40}?\b(?:is |was |are |as |it )?(?:fair|good|great|easy|"
                        r"cheap|fast|quick|helpful|clear|reliable|smooth|an improvement|a success|good value|"
                        r"reasonable|simple|user[- ]friendly|intuitive)\b", -2.2),
    # More money for the same: "the renewal came back 40% higher for the same licences". Not
    # "more storage for the same plan" (more had, not more paid).
    ("more_for_same", r"\b(?:higher|dearer|pricier|more expensive|up|\d+ ?% more|(?:pay|paying|paid|cost|costs|"
                      r"charged|charging|charge) (?:us )?more)\b[^.?!]{0,20}?\bfor (?:exactly )?the same "
                      r"(?:\w+ )?(?:licen[cs]es|seats|users|service|plan|cover|package|product|volume|"
                      r"number|usage|work|thing|kit|policy)\b", -2.2),
    # Billed for more than agreed (marked by mark_billed_over).
    ("billed_over", r"\bzzbilledover\b", -2.4),
    # What used to be free or better: "35 for a transfer that used to be free". Not "it used
    # to be slow and now it's instant".
    ("used_to_be_better", r"\bused to be (?:free|included|complimentary|cheaper|faster|quicker|easier|simpler|"
                          r"instant|same[- ]day|next[- ]day|part of the (?:plan|package|price))\b"
                          r"(?![^.?!]{0,15}\b(?:and|but)(?: \w+)? (?:now|still)\b)", -2.2),
    # A price held: "the renewal price stayed flat for the third year running", "rates were
    # frozen again". Not "the price is the same for every user" (a fact).
    ("price_held", r"\b(?:price|prices|pricing|rate|rates|fee|fees|premium|premiums|renewal|subscription|"
                   r"tariff)\b[^.?!]{0,15}?\b(?:(?:stayed|stays|has stayed|have stayed|held|kept|remained|has remained|"
                   r"have remained) (?:flat|frozen|unchanged|the same|steady|level)|(?:were|was|is|are|has been|"
                   r"have been) (?:frozen|held|kept) (?:flat|at|for|again|the same)|(?:were|was|is|are|has been|"
                   r"have been) (?:frozen|held flat|kept flat|unchanged)\b)", 2.4),
    # Under budget: "the quote came in at half what we budgeted", "a third less than we
    # had budgeted". Not "twice what we budgeted".
    ("under_budget", r"\b(?:half|a third of|a quarter of|less than|under|below|well under|\d+% (?:less|under|"
                     r"below)(?: than)?)(?: of)? (?:(?:what|the amount) )?(?:we|i) (?:had )?(?:budgeted|expected|"
                     r"planned|set aside|were quoted|feared)\b", 2.4),
    # Service told as a plain event: "they handled the whole claim for us", "the broker
    # sorted out the paperwork for us". Not "can you handle the claim for us?".
    ("did_it_for_us", _NOT_US + r"\b(?:handled|sorted|sorted out|took care of|dealt with|"
                      r"arranged|organised|organized|completed|chased|booked|rebooked) (?:the |all the |all of the |"
                      r"everything|it all|the whole |our )[^.?!]{0,30}?\bfor us\b", 2.2),
    # A check-in after the job: "the account manager called to check the install had gone
    # well". Not "I called to check the order had gone out".
    ("checked_it_went_well", _NOT_US + r"\b(?:called|rang|phoned|emailed|texted|messaged|came back|followed up)"
                             r" (?:us |me )?(?:later |afterwards |the next day |a week later )?to (?:check|make sure|"
                             r"see|ask) (?:that |if |whether |how )?[^.?!]{0,30}?\b(?:had gone well|went well|"
                             r"was going well|were happy|we were happy|was all working|was working|all went well|"
                             r"had settled in|was all ok|was all okay)\b", 2.2),
    # A saving pointed out: "our rep flagged a cheaper tariff we qualified for". Not "we found
    # a cheaper tariff elsewhere" (leaving).
    ("pointed_out_saving", _NOT_US + r"\b(?:flagged|pointed out|suggested|found|spotted|told us about|offered us|"
                           r"moved us to|switched us to|put us on) (?:a |the )?(?:cheaper|lower|better[- ]value|"
                           r"smaller) (?:tariff|rate|plan|price|option|deal|fare|premium|bundle)\b"
                           r"(?![^.?!]{0,30}\b(?:elsewhere|another|other (?:supplier|provider|bank|vendor)s?)\b)",
     2.2),
)
