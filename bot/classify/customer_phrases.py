"""Customer remarks to a service company (issue 23, item 5) as named rules, in the form of
business_phrases.py; lexicon.py adds them to its phrase rules."""

from __future__ import annotations

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
                           r"ruining|overbooking|bumping|misplacing|breaking|holding (?:us|me)|the (?:generic|"
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
)
