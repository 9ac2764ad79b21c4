"""Plain business English, seventh pass (issue 23): figures told without "from A to B"
("tickets are up 40%", "half what it used to be", "quoted four days and it took eleven"),
volume moved elsewhere, time lost to chores, deadlines and targets met or missed, thanks and
praise aimed at a business trouble, and staff who stayed late for the customer. Named rules
in business_phrases.py's form (business_phrases.py appends them to BUSINESS). Written from
our dev set bench/data/tone_business_dev6.csv, never from a check set."""

from __future__ import annotations

import re

from .business_sixth import BAD_COUNTED, GOOD_COUNTED, NUM_PATTERN, UNIT_PATTERN, count_value

# An amount said and an amount had: "quoted four days and it took eleven", "we expected to pay
# 5k and it came to 3.8k", "now takes two days instead of two hours". mark_expected() writes
# " zzover" (had more: money or time, worse for whoever pays or waits) or " zzunder" after it.
_AMOUNT = r"(?:about |around |roughly |only |just |nearly |almost |over |under )?[$£€]?" + NUM_PATTERN + r"(k)?" + UNIT_PATTERN
_SAID_HAD = re.compile(
    r"\b(?:quoted|budgeted|expected|estimated|estimate was|planned|planned for|promised|told us|"
    r"forecast)(?: (?:us|it|to pay|to take|at|for|on))*" + r" " + _AMOUNT
    + r"[^.?!]{0,25}?\b(?:and|but|yet)\b[^.?!]{0,20}?\b(?:came to|come to|took|takes|invoiced|"
    r"billed|charged|done in|finished in|delivered in|paid|cost|came in at|ended up at|ended up paying|"
    r"landed at|arrived in|got invoiced|got billed|were invoiced|were billed|were charged|had)"
    r"(?: (?:us|me|them|for|it))* " + _AMOUNT)
_INSTEAD = re.compile(
    r"\b(?:takes?|took|taking|paying|pay|costs?|costing|charged|charging|billed)\b[^.?!]{0,20}?\b"
    + _AMOUNT + r" instead of (?:the )?(?:usual |old |promised |agreed )?" + _AMOUNT)


def mark_expected(text: str) -> str:
    """``text`` with " zzover" or " zzunder" after each amount said and amount had (or had
    "instead of" another) that differ; a unit given once applies to both."""
    out, last = [], 0
    for regex, had_first in ((_SAID_HAD, False), (_INSTEAD, True)):
        for m in regex.finditer(text):
            if m.start() < last:
                continue
            n1, k1, u1, n2, k2, u2 = m.groups()
            if n1 in ("a", "an") or n2 in ("a", "an"):
                continue
            said, had = count_value(n1, k1, u1 or u2), count_value(n2, k2, u2 or u1)
            if had_first:
                said, had = had, said
            if said != had:
                out.append(text[last:m.end()] + (" zzover" if had > said else " zzunder"))
                last = m.end()
    return "".join(out) + text[last:] if out else text


_UP = (r"(?:(?:is|are|was|were|s|has been|have been) up|went up|gone up|rose|risen|jumped|climbed|"
       r"increased|grew|doubled|tripled|crept up|shot up|ballooned|soared|spiked)")
_DOWN = (r"(?:(?:is|are|was|were|s|has been|have been) down|went down|gone down|came down|fell|fallen|"
         r"dropped|decreased|shrank|halved|dropped off)")
# Not a seasonal pattern: "sales are usually down 20% in August".
_NOT_USUAL = r"(?![^.?!]{0,12}\b(?:usually|normally|typically|always|every year|each year|seasonally)\b)"
_GOOD_MORE = rf"(?:(?!renewal\b){GOOD_COUNTED}|on-?time (?:rate|deliveries)|first-time fix rate|delivery rate|response rate)"
_WORSE = r"(?:twice|double|three times|triple|four times|\d+ times)(?: as much as| as long as)?"
_BETTER = r"(?:half|a third|a quarter|a fraction of|less than half|under half|a third of|a quarter of)"
SEVENTH: tuple[tuple[str, str, float], ...] = (
    # A figure moved with no "from A to B": "support tickets are up 40% this month", "refund
    # requests doubled", "returns fell 25%", "sign-ups fell by half" (what is counted says which
    # way is good; going up is metric_up's, money costs_more's and costs_less's).
    ("bad_moved_up", rf"\b{BAD_COUNTED}\b{_NOT_USUAL}[^.?!]{{0,15}}\b{_UP}\b(?! from)", -2.2),
    ("bad_moved_down", rf"\b{BAD_COUNTED}\b{_NOT_USUAL}[^.?!]{{0,15}}\b{_DOWN}\b(?! from)", 2.2),
    ("good_moved_down", rf"\b{_GOOD_MORE}\b{_NOT_USUAL}[^.?!]{{0,15}}\b{_DOWN}\b(?! from)", -2.2),
    # A multiple of what it was or of what another charged: "we're paying twice what the old
    # provider charged", "first-response time is half what it used to be", "month-end takes
    # half the time".
    ("twice_what", rf"\b(?:paying|pay|pays|costs?|costing|charges?|charged|charging|works out at|takes?|taking)\b[^.?!]{{0,15}}\b"
                   rf"{_WORSE} (?:what|the time|as long|as much)\b"
                   rf"|\b{BAD_COUNTED}\b[^.?!]{{0,15}}\b(?:is|are|s) (?:now )?{_WORSE} what\b", -2.2),
    ("half_what", rf"\b(?:paying|pay|pays|costs?|costing|charges?|charged|charging|works out at|takes?|taking)\b[^.?!]{{0,15}}\b"
                  rf"{_BETTER} (?:what|the time|as long|as much)\b"
                  rf"|\b{BAD_COUNTED}\b[^.?!]{{0,15}}\b(?:is|are|s) (?:now )?{_BETTER} what\b", 2.2),
    # An amount said against the amount had (marked by mark_expected): more money or time
    # than quoted is a complaint, less is praise.
    ("over_expected", r"\bzzover\b", -2.4),
    ("under_expected", r"\bzzunder\b", 2.4),
    # Volume, spend or teams moved away: "we sent 40% of our volume to the other courier",
    # "moved two teams onto a cheaper tool". Not "moved the finance team onto the annual plan".
    ("volume_elsewhere", r"\b(?:moved|moving|sent|sending|shifted|shifting|switched|switching|put|putting|"
                         r"taken|took|taking|gave|given|giving)\b (?:about |around |nearly |over |almost )?"
                         r"(?:(?:\d+ ?%|half|a third|a quarter|most|some|part|a chunk|two|three|four|several|"
                         r"\w+ of) )?(?:of )?(?:our |the |their |its )?(?:\w+ )?(?:volume|spend|business|orders|"
                         r"shipments|parcels|deliveries|work|teams?|accounts?|sites?|users|seats|budget|"
                         r"offices|stores|departments)\b[^.?!]{0,25}\b(?:to|onto|over to|with|into) (?:the other|"
                         r"another|other|a (?:cheaper|different|rival|competing|second)|an? (?:alternative|"
                         r"competitor)|someone else|a competitor)\b", -2.4),
    # Time lost to a chore, again and again: "our team spends an hour a day on reconciliations",
    # "we lose half a day every week fixing the exports". Not "we used to spend ...".
    ("time_lost", r"(?<!used to )(?<!no longer )(?<!dont )(?<!never )(?<!stopped )\b(?:spend|spends|"
                  r"spending|lose|loses|losing|waste|wastes|wasting)\b (?:about |around |nearly |over |at "
                  r"least |an extra |another )?(?:an hour|half a day|a day|half an hour|a morning|\d+ "
                  r"(?:hours?|minutes|mins|days)|(?:two|three|four|five|six|several|ten) (?:hours|days|"
                  r"minutes)|hours) (?:a|every|each|per) (?:day|week|month|morning|evening|shift)\b", -2.2),
    # Out after a deadline, or a target missed; and one met: "the invoices come out a week
    # after month end", "outside the SLA"; "closed every ticket within the SLA".
    ("after_deadline", r"(?<!due )(?<!payable )(?<!runs )(?<!starts )\b(?:a|an|one|two|three|four|five|\d+|several) "
                       r"(?:days?|weeks?|hours?) (?:after|past|"
                       r"behind|later than) (?:the |our |their )?(?:month[- ]end|due date|deadline|cut-?off|"
                       r"payday|payroll|agreed date|promised date|go-?live)\b"
                       r"|\b(?:outside|beyond|breached|breaching|missed|blew|blown|over) (?:the |our |their |its )?"
                       r"(?:sla|slas|budget|deadline|target)\b", -2.2),
    ("within_target", r"(?<!be )(?<!stay )(?<!is it )(?<!keep )(?<!come in )\b(?:within|inside|under|ahead of) "
                      r"(?:the |our |their |its )?(?:sla|slas|target|budget|deadline|agreed time)\b", 2.2),
    # Things get done: "since the new account manager started things just get done".
    ("gets_done", r"\b(?:things|everything|it|stuff|issues|tickets|problems) (?:just |actually |now |always )*"
                  r"gets? (?:done|sorted|handled|fixed|resolved)\b", 2.2),
    # Thanks or praise for a business trouble: "great job charging us for the seats we
    # removed", "cheers for moving the delivery without telling anyone", "appreciate the
    # three-week wait", "thanks for the reply telling me to read the FAQ". Not "thanks for
    # waiving the late fee" or "thanks for the heads-up about the price change".
    ("praised_trouble", r"^(?:oh |well |so )?(?:thanks|thank you|cheers|great job|good job|nice job|well done|"
                        r"brilliant work|nice work|great work|top work|appreciate|really appreciate|much "
                        r"appreciated|love|i love|lovely|brilliant|great)\b[^.?!]{0,50}?\b(?:(?:charging|billing|"
                        r"overcharging|debiting|invoicing) (?:us|me)\b(?! (?:correctly|right|less|on time|early))"
                        r"|without (?:telling|asking|warning|notice|letting|a word|any notice)"
                        r"|surprise (?:\w+ )?(?:fee|charge|price|rise|increase|invoice|bill|hike|cost)"
                        r"|(?:\d+|two|three|four|five|six)-(?:week|day|hour|month) wait"
                        r"|being (?:kept )?on hold|telling (?:me|us) to (?:read|check|look|restart|clear|try)"
                        r"|(?:losing|lost) (?:our|my|the)\b)", -4.0),
    # Staff who stayed on for the customer: "cheers for staying late to get the import done",
    # "worked through the weekend to catch up for us", "stayed on the call until everything
    # was working", "grateful we stayed late to help with the launch". Not "we had to stay late".
    ("stayed_on", r"(?<!had to )(?<!have to )(?<!need to )\b(?:stayed|staying|stay|worked|working|work)(?: on)? "
                  r"(?:late|through the (?:weekend|night)|over the weekend|on (?:a |their )?(?:sunday|saturday|"
                  r"bank holiday|day off)|on the (?:call|phone|line))\b[^.?!]{0,30}\b(?:to help|to get|to finish|"
                  r"to catch up|to sort|for us|for them|for you|until (?:it|everything|the \w+|we|they) "
                  r"(?:was|were) (?:working|fixed|done|sorted|live))\b", 2.4),
    # "you guys rock", "you lot rock": praise, though "rock" alone is not.
    ("you_rock", r"\b(?:you|you guys|you all|yall|you lot|you folks|your (?:team|people|staff|support)|the team|"
                 r"support|these guys) (?:really |totally |absolutely |seriously )?rock\b", 2.6),
)
