"""Plain business English, ninth pass (issue 23): a renewal told in doubt ("not sure we'll
renew", "the renewal is under review"), leaving told as a plan ("we're planning to move our
team to Asana next quarter"), an account closed, scare quotes around what was sold (the
"express" delivery), a count delivered short of the count ordered, help that wasn't much
help, "worth every penny", trouble caught before it landed, surprise at speed, and customers
who recommend the company on. Named rules in business_phrases.py's form (business_phrases.py
appends them to BUSINESS). Written from the known misses of the older checks
(tone_business_check{,2,3,4,5}.csv), never from check6."""

from __future__ import annotations

import re

from .business_sixth import NUM_PATTERN, UNIT_PATTERN, count_value

# "we ordered 40 cases and 31 arrived", "booked 12 rooms and only 9 were ready": the count had
# is written after the count asked for; mark_short() writes " zzshort" after it when fewer.
_ORDERED_HAD = re.compile(
    r"\b(?:ordered|booked|paid for|asked for|requested|bought|reserved|sent)\b (?:us |you |them )?"
    + NUM_PATTERN + r"\b[^.?!\d]{0,30}?\b(?:and|but|yet|only|just)\b(?: (?:only|just))? " + NUM_PATTERN
    + r"\b(?: of (?:them|those|it))? (?:arrived|came|turned up|showed up|were delivered|got delivered|"
    r"were in the (?:box|delivery|van)|were ready|were there|made it|landed|got here)\b")


def mark_short(text: str) -> str:
    """``text`` with " zzshort" after each count had that is fewer than the count ordered."""
    out, last = [], 0
    for m in _ORDERED_HAD.finditer(text):
        n1, n2 = m.groups()
        if n1 in ("a", "an") or n2 in ("a", "an"):
            continue
        if count_value(n2, None, None) < count_value(n1, None, None):
            out.append(text[last:m.end()] + " zzshort")
            last = m.end()
    return "".join(out) + text[last:] if out else text


# "it took 9 days, it used to take 2", "the licence used to cost 30 a seat and now costs 45": an
# amount now against the amount it used to be; mark_used_to() writes " zzmorethanbefore" or
# " zzlessthanbefore" after the second (more time or money is worse for whoever waits or pays).
_AMT = (r"(?:about |around |roughly |nearly |almost |over |under |just |only |a whole |a full )?([$£€])?"
        + NUM_PATTERN + r"(k)?(?: (?:full|whole|working|business|long))?" + UNIT_PATTERN)
# What may follow a bare number that borrows the other amount's unit ("it used to take 2", "took
# four hours, it used to take one, now ..."), not a noun of its own ("two full weekends").
_BARE_END = re.compile(r"(?:$|[,;:.!?)]| (?:and|but|now|so|then|today|these days|this \w+|instead|before|at most)\b)")
_NOW_VERB = r"(?:takes?|took|taking|costs?|costing|paying|pay|charges?|charging|charged|billed)"
_THEN_VERB = r"used to (?:take|cost|pay|charge|bill)"
_USED_TO = (
    re.compile(r"\b" + _NOW_VERB + r" (?:us |me |them |you )?" + _AMT + r"\b[^.?!]{0,25}?\b" + _THEN_VERB
               + r"(?: us| me| them| you)? " + _AMT + r"\b"),
    re.compile(r"\b" + _THEN_VERB + r"(?: us| me| them| you)? " + _AMT + r"\b[^.?!]{0,30}?\b" + _NOW_VERB
               + r" (?:us |me |them |you )?" + _AMT + r"\b"),
)


def mark_used_to(text: str) -> str:
    """``text`` with " zzmorethanbefore" or " zzlessthanbefore" after an amount now and the
    amount it used to be (either order) that differ, in time (a unit said once applies to
    both) or money (a currency sign, "k" or a money verb)."""
    marks: list[tuple[int, str]] = []
    for now_first, regex in enumerate(_USED_TO[::-1]):
        for m in regex.finditer(text):
            c1, n1, k1, u1, c2, n2, k2, u2 = m.groups()
            if n1 in ("a", "an") and not u1 or n2 in ("a", "an") and not u2:
                continue
            money = bool(c1 or c2 or k1 or k2) or re.search(r"\b(?:cost|pay|paying|charge|bill)", m.group())
            if not (u1 or u2 or money):
                continue
            if (u1 or u2) and money and not (u1 and u2):
                continue
            if (u1 or u2) and not (u1 and u2):
                bare = max(m.end(2), m.end(3)) if not u1 else max(m.end(6), m.end(7))
                if not _BARE_END.match(text, bare):
                    continue
            a, b = count_value(n1, k1, u1 or u2), count_value(n2, k2, u2 or u1)
            then, now = (b, a) if now_first else (a, b)
            if then != now and not any(end == m.end() for end, _ in marks):
                marks.append((m.end(), " zzmorethanbefore" if now > then else " zzlessthanbefore"))
    for end, word in sorted(marks, reverse=True):
        text = text[:end] + word + text[end:]
    return text


# Words of a plan in time: what turns "move our team to Asana" from a fact into leaving.
_PLAN_WHEN = (r"(?:next (?:week|month|quarter|year|term|spring|summer|autumn|winter)|this (?:coming )?"
              r"(?:quarter|year|summer|autumn|winter|spring)|from (?:january|february|march|april|may|june|"
              r"july|august|september|october|november|december|next|the (?:start|end|new year))|"
              r"(?:by|at|before) the end of|(?:in|from|by) q[1-4]|when (?:the|our) (?:contract|renewal|term)|"
              r"once (?:the|our) (?:contract|renewal|term)|after (?:the|our) renewal)")
# What a team moves that says a supplier is being left (not a meeting, a date or a room).
_MOVED = (r"(?:team|teams|staff|business|accounts?|data|users|orders|volume|spend|payroll|workload|support|"
          r"shipments|freight|seats|licen[cs]es|everything|operations|fleet|deliveries|banking|customers|"
          r"invoicing|billing|help ?desk|crm|email|hosting|site|stores|pipeline|tickets|bookings|"
          r"travel|policies|policy|pension|savings|mortgage)")
NINTH: tuple[tuple[str, str, float], ...] = (
    # A renewal in doubt: "we're not sure we'll renew", "the renewal is under review",
    # "reviewing the renewal", "we may not renew", "holding off on the renewal".
    ("renewal_in_doubt", r"\bnot (?:sure|certain|convinced)(?: (?:if|whether|that))? (?:we|well|we will|we can|"
                         r"were going to|to|its worth|it makes sense to) (?:\w+ )?renew"
                         r"|\brenewal (?:is |has been |was )?(?:put )?(?:under review|on hold|being reviewed|in question|"
                         r"up in the air|not a given|not guaranteed|under discussion)"
                         r"|\b(?:reviewing|reconsidering|questioning|rethinking|pausing|holding off (?:on )?) "
                         r"(?:the|our|this years|next years) renewal\b"
                         r"|\b(?:may|might|probably will|likely|unlikely to) not renew\b|\bunlikely to renew\b"
                         r"|\bundecided (?:about|on) (?:the )?renew", -2.4),
    # Leaving told as a plan with a date: "we're planning to move our team to Asana next
    # quarter", "migrating the warehouse team to a different carrier from January". Not a move
    # to an office, a room, a plan or a date ("moving the finance team to the new office").
    ("moving_elsewhere", r"\b(?:move|moving|migrate|migrating|switch|switching|transfer|transferring|shift|"
                         r"shifting|port|porting|take|taking)\b (?:all (?:of )?)?(?:our|the|my)\b[^.?!,]{0,25}?\b"
                         + _MOVED + r"\b (?:over )?(?:to|onto) "
                         r"(?!(?:the |our |a |an |your )?(?:new |bigger |larger |smaller |main |other |second |"
                         r"\d+\w* )?(?:office|offices|building|site|floor|hub|depot|warehouse|room|desk|branch|"
                         r"city|location|campus|unit|server|region)s?\b)"
                         r"(?!(?:you|your|yours|us|the \d+\w*|\d+\w*|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
                         r"january|february|march|april|may|june|july|august|september|october|november|"
                         r"december)\b)"
                         r"(?!(?:the |an? |our )?(?:\w+ )?(?:plan|tier|version|edition|package|bundle|app|week|"
                         r"month|schedule|rota|shift|date)\b)"
                         r"(?:(?:a different|another|an alternative|a cheaper|a rival|a competitor)\b"
                         rf"|(?:\w+ ){{1,3}}?{_PLAN_WHEN}\b)", -2.4),
    # Closing the account: "please send the steps to export our data and close the account",
    # "we'd like to terminate the contract", "notice of termination".
    ("closing_account", r"\b(?:close|closing|terminate|terminating|end|ending|shut|shutting)(?: down)? (?:our|my|the)"
                        r" (?:whole |entire )?(?:account|contract|subscription|membership)\b"
                        r"(?! (?:for|of|at|in) (?:our|the|my) (?:old|former|previous|closed|other|\w+ (?:branch|office|site)))"
                        r"|\bnotice (?:to terminate|of termination|to cancel)\b"
                        r"|\bexport (?:all )?(?:of )?(?:our|my) (?:\w+ )?data (?:and|before) (?:we )?(?:close|cancel|leave|go)\b",
     -2.4),
    # Scare quotes around what was sold (lower_text keeps them as double quotes): the "free"
    # delivery, the 'premium' lounge, the "express" shipping, a new 'service fee'.
    ("scare_quotes", r"\"(?:free|premium|express|priority|instant|fast|quick|easy|simple|dedicated|same[- ]day|"
                     r"next[- ]day|guaranteed|vip|fast[- ]track|seamless|smart|unlimited|24/7|upgraded?|"
                     r"complimentary|included|flexible|luxury|superior|deluxe|executive|support|service|"
                     r"customer service|help ?desk|helpline|fix|refund|discount|deal|offer|bonus|special|"
                     r"exclusive|improved|enhanced|new and improved|service fee|admin fee|handling fee|"
                     r"convenience fee|small fee|processing fee|courtesy call|loyalty \w+)\"", -2.4),
    # Fewer had than ordered: "we ordered 40 cases and 31 arrived" (marked by mark_short).
    ("short_delivered", r"\bzzshort\b", -2.4),
    # An amount now against what it used to be (marked by mark_used_to): "it took 9 days, it
    # used to take 2" is a complaint, "month-end used to take a week and now takes a day" praise.
    ("more_than_before", r"\bzzmorethanbefore\b", -2.4),
    ("less_than_before", r"\bzzlessthanbefore\b", 2.4),
    # Help that wasn't: "the support team wasn't much help", "not a lot of use".
    ("not_much_help", r"\b(?:wasnt|werent|isnt|arent|not|was not|were not|is not|hasnt been|havent been|"
                      r"hardly|barely|of little|little) (?:(?:much|very much|a lot of|any|of (?:much|any)|really any|"
                      r"that much|a great deal of|very|that|particularly|terribly) )?(?:help|use|helpful|useful)\b"
                      r"(?! (?:at all )?(?:needed|required))", -2.2),
    # "worth every penny", "worth the money" (not "not worth it", "is it worth ...?").
    ("worth_it", r"(?<!not )(?<!isnt )(?<!wasnt )(?<!hardly )(?<!barely )(?<!never )(?<!is it )(?<!if its )"
                 r"\bworth (?:every (?:penny|cent|pound|dollar|euro|minute|second)|the (?:money|price|cost|wait|"
                 r"upgrade|investment|fee|extra))\b", 2.4),
    # Trouble caught before it landed: "your fraud team stopped the odd transaction before it
    # cleared", "they spotted the error before we did". Not "before we could" (stopped from).
    ("caught_before", r"\b(?:caught|spotted|flagged|stopped|blocked|noticed|fixed|sorted|corrected|picked up on|"
                      r"warned us about|rang us about)\b[^.?!]{0,40}\bbefore (?:it|we|i|they|anyone|the \w+|our \w+) "
                      r"(?:cleared|went out|went through|did|noticed|hit|reached|shipped|went live|even|"
                      r"became|turned into|got to|left)\b", 2.2),
    # Surprise at speed or ease: "I didn't expect the rebate to be processed this quickly".
    ("surprised_fast", r"\b(?:didnt|did not|never|wasnt|werent|hadnt) expect(?:ing|ed)?\b[^.?!]{0,50}\b(?:so|this|that|as) "
                       r"(?:quick|quickly|fast|soon|easy|easily|smooth|smoothly|cheap|helpful|painless|"
                       r"straightforward|simple|promptly)\b", 2.2),
    # Customers who pass the company on: "we recommended you to two partner firms", "the
    # Lisbon team have asked for licences too".
    ("passed_on", r"\b(?:recommended|referred|introduced|recommending|referring) (?:you|your (?:\w+ )?(?:team|firm|"
                  r"company|service|app|tool|product|people)|the (?:app|tool|service|platform|team)) to\b"
                  r"|\b(?:asked|asking|want|wants|wanting|signed up|signing up|requested) (?:for )?(?:their own |its own )?"
                  r"(?:licen[cs]es|seats|accounts|logins|access)(?: too| as well)\b", 2.2),
    # Gone before it could be used: "the flight credit expired before we could use it".
    ("gone_before_use", r"\b(?:expired|lapsed|ran out|sold out|closed|ended|ran down|was withdrawn|was cancelled|"
                        r"disappeared|vanished) before (?:we|i|anyone|they|she|he) (?:could|got to|had a chance to|"
                        r"were able to|was able to)\b", -2.2),
    # A renewal told as done or under way ("we're renewing at the same price", "they renewed
    # for two more years") is a customer staying: the doubt rows above pull "renew" towards
    # complaint without it. Not a renewal with a catch ("but", "only if", "reluctantly").
    ("renewing_as_usual", r"\b(?:we|were|we are|weve|we have|they|theyre|they are|theyve|they have|[a-z]+ "
                          r"(?:has|have|is|are)) (?:just |happily |gladly |already |now |also )?(?:renewed|renewing)\b"
                          r"(?![^.?!]{0,60}\b(?:but|though|although|however|despite|if|unless|only|reluctantly|"
                          r"grudgingly|for now|one last|last time|final)\b)"
                          # A renewal told with its term is renewed_for_term's (eleventh pass).
                          r"(?![^.?!]{0,40}\b(?:for (?:another|a further|\w+ more|one|two|three|four|five|\d+)(?: \w+)? "
                          r"(?:years?|months?|terms?)|until|till|through)\b)", 1.5),
    # Something still missing: "invoices still come without the VAT number on them"; not
    # "it still runs without a hitch".
    ("still_without", r"\bstill (?:\w+ ){0,2}?without (?!(?:a |any |one )?(?:single )?(?:hitch|hitches|problems?|"
                      r"issues?|fuss|trouble|hiccups?|glitch(?:es)?|complaints?|fail(?:ing|ure)?|errors?)\b)", -2.0),
)
