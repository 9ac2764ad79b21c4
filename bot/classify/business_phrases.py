"""Plain business English (issue 23): complaints and praise that carry no charged word, or
carry the opposite one, as named rules (name, pattern on lower-cased text without
apostrophes, VADER-scale weight). Named, so a test can show each one is what turns its
example; lexicon.py adds them to its phrase rules. Written from our own dev sets
(bench/data/tone_business_dev*.csv), never from the check set."""

from __future__ import annotations

from .business_eighth import EIGHTH
from .business_eleventh import ELEVENTH
from .business_ninth import NINTH
from .business_seventh import SEVENTH
from .business_sixth import SIXTH
from .business_tenth import TENTH

# Plain business English (issue 23): complaints and praise that carry no charged word, or
# carry the opposite one. Named, so a test can show each one is what turns its example.
_PRAISED = (r"(?:great|oh great|just great|wonderful|fantastic|awesome|perfect|brilliant|nice|"
            r"lovely|love|loving|gotta love|so glad|thanks|thank you)")
_NUMW = r"(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|[3-9]|\d\d+)"
_LONG = (r"(?:over |almost |nearly |more than |about )?(?:" + _NUMW + r" (?:working |business |full )?days"
         r"|(?:a|an|one|two|several|a few|many|" + _NUMW + r") (?:working )?(?:weeks?|months?))\b")
_DAYNAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
          r"december)")
_TROUBLE = (r"(?:outage|outages|downtime|bug|bugs|crash|crashes|error|errors|delay|delays|"
            r"price increase|price hike|surcharge|fee|fees|incident|ticket)")
BUSINESS: tuple[tuple[str, str, float], ...] = (
    ("churn", r"\bchurn(?:ing|ed|s)?\b|\bmov(?:ing|ed|e) (?:over )?to (?:a |another |the )?competitor"
              r"|\b(?:wont|will not|not going to|not planning to|dont plan to|decided not to) renew"
              r"|\b(?:not|wont be|will not be|arent|are not) renewing\b"
              # Shopping for a replacement: "looking at other vendors", "evaluating alternatives".
              r"|\b(?:looking at|evaluating|trialling|trialing|talking to|shopping around for) "
              r"(?:other|another|alternative|a new|a different) (?:vendors?|providers?|suppliers?|"
              r"tools?|banks?|carriers?|platforms?)\b"
              r"|\bcancel(?:ling|ing|led|ed|s)? (?:their|our|the|my|its) "
              r"(?:subscription|contract|account|plan|licen[cs]es?|seats)", -2.6),
    ("price_rise", r"\b(?:price|prices|pricing|fee|fees) (?:increase|increases|hike|hikes|rise|rises|jump)\b"
                   r"|\b(?:raised|increased|hiked|doubled) (?:the |our |their |your )?"
                   r"(?:prices?|fees?|rates?|subscription)\b", -2.0),
    ("wants_money_back", r"\b(?:want|wants|wanted|asking for|asked for|demand|demanding|demanded|"
                         r"requesting|requested|need|needs|still no|waiting for) (?:a |their |our |my |the |"
                         r"a full )?(?:refund|money back|credit note|chargeback)\b", -2.0),
    ("happened_twice", r"\b(?:arrived|came|sent|billed|charged|processed|posted|emailed|delivered|"
                       r"showed up|appeared|went out|ran|fired|imported|created|deducted|debited|"
                       r"paid|shipped|taken)(?: out)? (?:twice|two times|three times|double)\b", -2.0),
    ("not_bad", r"\bnot (?:bad|too bad|half bad|terrible|awful|a problem|disappointed)(?: at all)?\b"
                r"|\bcouldnt (?:be happier|be more (?:pleased|happy|satisfied|thrilled))\b"
                r"|\bcant (?:complain|fault (?:it|them|you))\b"
                # "hard to fault the courier", "can't find anything to criticise".
                r"|\b(?:cant|cannot|couldnt) fault (?:the|our|their|his|her|anything)\b"
                r"|\b(?:hard|difficult|impossible) to (?:fault|find fault|critici[sz]e)\b"
                r"|\b(?:cant|cannot|couldnt) find (?:anything|a thing|much) to "
                r"(?:critici[sz]e|fault|complain about)\b"
                r"|\bno (?:problems?|issues?) (?:at all|whatsoever)\b", 2.8),
    ("sarcastic_praise", rf"\b{_PRAISED}[ ,.!]+(?:another|yet another|more|one more|a new) {_TROUBLE}\b"
                         r"|\b(?:love|loving|enjoy|enjoying|gotta love|nothing like) (?:paying|being charged|"
                         r"getting charged|being billed|getting billed|waiting|being on hold|chasing)\b"
                         r"[\w ]{0,20}\b(?:twice|double|again|extra|for nothing|every|more)\b"
                         # "love that the instant transfer takes four days"
                         r"|\b(?:love|loving|gotta love) (?:that|how) (?:the|our|your|a|an|their)\b[^.?!]{0,40}"
                         r"\b(?:takes|took|still|costs|now costs|charges|needs)\b", -3.2),
    # Praise opening a remark that then reports a failure: "lovely, the update moved every
    # button", "great job, the parcel went to our old address for the third time".
    ("sarcastic_opener", rf"^(?:oh |well |just )?(?:{_PRAISED}|superb|amazing|marvellous|terrific|"
                         r"excellent|super|good|great job|well done|nice one|perfect timing|"
                         r"thanks (?:so much|a lot)|just what (?:we|i) needed)[,.!]+ [^.?!]{0,70}\b"
                         r"(?:another|for the \w+ time|no longer|down|offline|logs? (?:me|us) out|died|"
                         r"broke|broken|wiped|lost|late|later|missing|moved every|wrong|old address|"
                         r"declined|failed|has left|someone elses|every \w+ minutes|for a (?:whole|full) (?:hour|day|minute|week)|"
                         r"increase|price rise)\b"
                         r"|^thanks (?:so much |a lot )?for (?:the |another )?(?:surprise|extra|hidden)\b", -3.0),
    # Asking or being let down again, counted: "the third time I've asked", "the fifth time
    # this week", "how many times do we have to ...".
    ("repeat_count", r"\b(?:second|third|fourth|fifth|sixth|seventh|umpteenth|nth|\d+(?:st|nd|rd|th)) "
                     r"time (?:i|we|ive|weve|id|wed|they|theyve|you|this|that|in a row|running)\b"
                     r"|\bhow many (?:more )?times\b", -2.0),
    # Good news told as a fact: speed ("back within the hour", "a day early", "two clicks").
    ("quick_turnaround", r"\bwithin (?:the hour|an hour|the day|a day|a week|minutes|hours|the same day|"
                         r"(?:a few|\d+|two|three|five|ten|twenty|thirty) (?:minutes|hours|days))\b"
                         r"|\bthe (?:next|following) (?:morning|day)\b|\bthe same (?:day|afternoon|morning)\b"
                         r"|\b(?:a|one|two|three|\d+) (?:days?|weeks?) early\b|\b(?:one|two|a single|a couple "
                         r"of) clicks?\b|\bwhile (?:we|i) (?:were|was) (?:still )?on the (?:call|phone|line)\b"
                         r"|\binstead of (?:two|three|four|five|six|ten|\d+|a week|weeks|days|hours|months)\b"
                         r"(?![^.?!]{0,20}\bzz(?:over|insteadup)\b)",  # "takes two days instead of two hours"
     2.2),
    # Trouble that went away: "complaints dropped by half", "they waived the late fee".
    ("trouble_gone", r"\b(?:errors?|complaints?|tickets?|returns?|abandoned carts?|chargebacks?|"
                     r"failures?|defects?|downtime|delays?|mistakes?|no-shows?|costs?|spend)\b[\w ]{0,15}\b"
                     r"(?:dropped|fell|fallen|halved|gone down|down by|disappeared|vanished|dried up)\b"
                     r"|\b(?:waived|refunded|wrote off|written off) (?:the |our |a |my |their )?(?:\w+ )?"
                     r"(?:fee|charge|penalty|surcharge|fees|charges)\b", 2.4),
    # A negated failure since a change: "not lost a pallet since the new scanners went in",
    # "no reason to call support since the switch", "never once been wrong".
    ("no_trouble_since", r"\b(?:not|no|never|havent|hasnt|zero)\b[\w ]{0,25}\b(?:fail\w*|lost|missed|"
                         r"errors?|outages?|downtime|issues?|problems?|complaints?|crash\w*|late|wrong|"
                         r"chargebacks?|bounced|reason to (?:call|complain|chase|ring|contact))\b[\w ]{0,20}"
                         r"\bsince\b|\bnever once (?:been )?(?:wrong|late|down|failed|missed)\b", 2.4),
    # Complaints asked as questions: "what is the point of ...", "who decided ...",
    # "does anyone read ...", "where did the credit go?", "can anyone explain why ...".
    ("pointed_question", r"\bwhat(?:s| is) the point\b|\bhow (?:hard|difficult) can it be\b"
                         r"|\bwho (?:decided|thought|approved|signed off)\b|\bhow many more\b"
                         r"|\bwhat exactly are\b|\bhow is (?:it|this|that) (?:acceptable|ok|okay|fair)\b"
                         r"|\b(?:can|could) (?:anyone|someone|somebody|you) (?:explain|tell (?:me|us)) why\b"
                         r"|\b(?:does|do|is|will) (?:anyone|anybody|someone|somebody)\b[^?.!]{0,25}"
                         r"\b(?:actually|ever|even|read|care|monitor\w*)\b|\b(?:can|could|is there) "
                         r"(?:anyone|anybody|someone|somebody)\b[^?.!]{0,25}\b(?:actually|ever|even)\b"
                         r"|\bwhere (?:is|are|did|has|have) (?:my|our|the) (?:\w+ )?(?:refund|money|credit|order|"
                         r"parcel|package|delivery|engineer|driver|replacement|compensation|callback|"
                         r"shipment)\b", -2.4),
    # Broken promises and slipping dates: "due in March and we're still on the beta",
    # "said Tuesday, then Thursday, and now next week", "pushed back three times".
    ("broken_promise", r"\b(?:promised|due|meant to|supposed to|committed|assured|told us|was told|"
                       r"were told|said|showed|announced)\b[^.?!]{0,50}\b(?:and|but)\b[^.?!]{0,25}\b"
                       r"(?:now|still|nothing|moved|slipped|isnt|wasnt|hasnt|havent|didnt)\b"
                       r"|\bthen\b[^.?!]{0,30}\band now\b|\bstill (?:listed|marked|shown) as (?:coming soon"
                       r"|planned|in beta)\b|\b(?:pushed (?:back|out)|slipped|postponed|rescheduled)\b"
                       r"[^.?!]{0,15}\b(?:again|twice|three times|four times|\w+ times)\b", -2.2),
    # Work done by hand because the product does not do it: "re-keys every order",
    # "fixing the import by hand", "a spreadsheet on the side", "one at a time".
    ("hand_work", r"\bby hand\b|\bmanually\b|\bre-?(?:keys?|keying|keyed|types?|typing|typed)\b"
                  r"|\bone (?:by one|at a time)\b|\bline by line\b|\bon the side\b|\bworkaround\b"
                  r"|\bspend(?:s|ing)?\b[^.?!]{0,30}\b(?:hours?|an? (?:day|afternoon|morning)|days|half a day)"
                  r"\b[^.?!]{0,15}\b(?:fixing|chasing|reconciling|copying|correcting|checking|cleaning|"
                  r"redoing|re-?entering|sorting out)\b", -2.0),
    # Customers leaving, told as a fact: "gave notice", "went with someone else",
    # "two of our clients switched to ...", "asked us to close their account".
    ("churn_fact", r"\b(?:gave|given) (?:us )?(?:their )?notice\b|\bwent with (?:someone else|another|a "
                   r"competitor|a rival)\b|\blost (?:the |our |a |an )?(?:\w+ ){0,2}(?:account|client|"
                   r"customer|deal|contract|tender)s? to\b|\b(?:asked|want|wants|wanted|told) (?:us )?to "
                   r"(?:close|terminate|cancel|end) (?:their|the|our|his|her) (?:account|contract|"
                   r"subscription)\b|\b(?:clients?|customers?|members?|stores?|franchisees?|"
                   r"distributors?|subscribers?)\b[^.?!]{0,25}\b(?:switched|moved|defected|churned) "
                   r"(?:over )?to\b(?! (?:the |our |an? )?(?:\w+ )?(?:plan|tier|billing|version|invoices?)\b)",
     -2.4),
    # Money facts: billed for what was cancelled, paying more for the same, quote vs bill.
    ("billed_wrongly", r"\b(?:charged|billed|debited|invoiced)\b[^.?!]{0,30}\b(?:we|they|i) (?:had )?"
                       r"(?:cancelled|canceled|downgraded|removed|returned|closed)\b"
                       r"|\b(?:pay|paying|charged|charge) (?:extra|more)\b[^.?!]{0,40}\b(?:we had|used to|"
                       r"last year|for free|included)\b|\bquoted\b[^.?!]{0,40}\b(?:but|and|yet)\b"
                       r"[^.?!]{0,25}\b(?:invoiced|billed|charged)\b|\b(?:although|though|but|even though) "
                       r"(?:the |our )?(?:contract|quote|agreement|order form|terms) (?:says|said|states)\b",
     -2.2),
    # Third pass (issue 23): money and waiting told as bare facts, good news as numbers.
    # Two amounts that should agree and do not: "the order form says 40 and we got 32",
    # "billed for 20 seats and only 14 are used", "300 more than the quote".
    ("said_got", r"\b(?:said|says|listed|lists|quoted|agreed(?: on)?|promised|confirmed|shows|showed|"
                 r"advertised|(?:was|is) for|meant to be|supposed to be|(?:price|rate|quote|estimate) "
                 r"(?:is|was))\b[^.?!]{0,30}?\b(\d[\d,]*)\b[^.?!]{0,30}\b(?:and|but|yet)\b[^.?!]{0,40}"
                 r"\b(?:invoices?|invoiced|bill|billed|charged|charges|paid|pay|got|received|had|has|"
                 r"came|arrived|debited|timesheet)\b[^.?!]{0,25}?\b(?!\1\b)\d[\d,]*\b"
                 r"(?![^.?!]{0,6}\bzzunder\b)"  # less than said: business_seventh's under_expected
                 r"|\b(?:billed|charged|invoiced|paying|paid) (?:us )?for (\d+) \w+[^.?!]{0,10}\b(?:and|but|"
                 r"yet|though|when)\b[^.?!]{0,15}\b(?:only )?(?!\2\b)\d+\b"
                 r"|\b(?:more|higher) than (?:the |our |what )?(?:quote|quoted|estimate|agreed|contract|"
                 r"we (?:agreed|were quoted|were told))\b", -2.2),
    # Waiting, counted: "pending for nine days", "in review since the 3rd", "took them four
    # weeks to reply", "it has been two months since we asked", "booked for Tuesday and
    # it's now Friday". Two days and under is not counted ("open for two days while ...").
    ("waited_long", rf"\b(?:been|sat|sitting|stuck|still|is|are|was)\b[^.?!]{{0,25}}\b(?:open|pending|"
                    r"unanswered|unassigned|unresolved|in review|under review|in transit|in progress|"
                    r"processing|queued|on back ?order|awaiting \w+|on the (?:waitlist|waiting list)|with (?:you|your (?:\w+ )?team|"
                    r"your side))\b"
                    rf"[^.?!]{{0,15}}\b(?:for {_LONG}|since (?:the \d+\w*|{_DAYNAME}|{_MONTH}|last \w+)\b)"
                    rf"|\b(?:took|has taken|had taken) (?:them|you|your \w+|the \w+|support|us)? ?{_LONG} to\b"
                    rf"|\b(?:been|its|it is) {_LONG} since\b"
                    # "it's been a week and the account is still locked": the wait, then the state.
                    r"|\b(?:its|it has|weve|we have|ive|i have) been (?:over |almost |nearly |more than )?"
                    r"(?:a|an|one|two|three|four|five|six|ten|several|\d+) (?:full )?(?:days?|weeks?|months?) "
                    r"(?:and|but|now and)\b[^.?!]{0,40}\b(?:still|nothing|nobody|no one|not|yet)\b"
                    r"|\b(?:booked|due|scheduled|promised|expected|confirmed)\b[^.?!]{0,30}\band (?:its|it is) now\b",
     -2.2),
    # Still in a waiting state: "still showing as in progress", "still awaiting approval"
    # (a bare "still pending" is the older "still ..." phrase rule's).
    ("still_pending", r"\bstill (?:(?:showing|marked|listed|shown|sitting|set) (?:as |at )?)?(?:"
                      r"processing|in progress|in review|under review|awaiting|in transit|queued|"
                      r"unassigned|unresolved|on back ?order)\b"
                      r"|\bstill (?:showing|marked|listed|shown|sitting|set) (?:as |at )?pending\b", -2.0),
    # Time given back, and numbers that went the right way: "saves our finance team a day",
    # "gives the analysts back six hours", "cut the stocktake from two days to four hours".
    ("time_saved", r"\b(?:saves?|saved|saving|frees? up|freed up|gives? (?:\w+ ){0,3}back|gave (?:\w+ ){0,3}"
                   r"back)\b[^.?!]{0,30}\b(?:a|an|one|half a|\d+|two|three|four|five|six|several|ten) "
                   r"?(?:full |whole |good )?(?:hours?|days?|weeks?|mornings?|afternoons?|minutes)\b"
                   r"|\b(?:cut|cuts|brought|brings|reduced|shortened|halved)\b[^.?!]{0,40}\bfrom "
                   r"(?:\w+ ){0,2}to (?:\w+ )?\w+", 2.2),
)
# Fourth pass (issue 23): which way money moved, questions about a long-open item, good
# news told as trouble that stopped, and faint praise.
_MONEY = (r"(?:bill|bills|invoice|invoices|price|prices|pricing|fee|fees|rate|rates|charges?|costs?|"
          r"spend|premium|premiums|renewal|tariff|quote|subscription|lease|rent)")
BUSINESS += (
    # Paying more than before or than agreed: "the bill went from 260 to 420", "costs us 2k
    # more a month", "came in 300 over the quote", "the per-seat price doubles".
    ("costs_more", rf"\b{_MONEY}\b(?! (?:page|pages|team|sheet|calculator))[^.?!]{{0,30}}\b(?:doubled|doubles|tripled|triples|went up|gone up|"
                   r"jumped|rose|has risen|(?:is|was|were|are|came in|come in|comes in|went) (?:\d[\d,.]*%? |"
                   r"about |almost |nearly )?(?:higher|over|above|more))\b"
                   r"(?![^.?!]{0,30}\bbecause (?:we|they|you|our|the customer)\b)"
                   r"|\b(?:costs?|costing|cost|pay|paying|charged|charging) (?:us |them |me )?(?:about |around |"
                   r"roughly |almost |nearly |an extra |another )?(?:\d[\d,.]*k? ?%? ?|a lot |much |far |way )"
                   r"(?:more|extra)\b"
                   r"|\b(?:added|adds) (?:\d[\d,.]*|another \d+) to (?:this|the|our|last) (?:\w+ )?(?:bill|invoice)\b"
                   r"|\b(?:works out|worked out|turned out|ended up|is now|are now) (?:\w+ )?more expensive than\b"
                   r"|\bmore expensive than (?:before|last|we|what we|our|the quote|quoted|expected|budgeted)\b|\bcost (?:us )?more than\b"
                   r"|\bbilled (?:us )?\d[\d,.]* for (?:a|an|the) \w+ (?:listed|quoted|advertised|priced) at\b"
                   r"|\b(?:pay|paying) more for the same\b|\bended up costing (?:us|them|me)\b"
                   r"|\bcame in \d[\d,.]*k?%? (?:over|above|more than)\b", -2.2),
    # Paying less: "came in 300 under the quote", "costs us 2k less", "the bill halved",
    # "fees are down to 1.4%", "knocked 8% off", "twice the data for the same price".
    ("costs_less", rf"\b{_MONEY}\b(?! (?:page|pages|team|sheet|calculator))[^.?!]{{0,30}}\b(?:halved|dropped|fell|went down|came down|down to|"
                   r"down by|(?:is|was|were|are|came in|come in|comes in) (?:\d[\d,.]*%? |about |almost |"
                   r"nearly )?(?:lower|under(?! (?:review|consideration|discussion|negotiation|way|investigation|warranty|contract|notice))|below|less|cheaper)|(?:the )?(?:smallest|lowest)\b)"
                   r"|\b(?:costs?|costing|cost|pay|paying) (?:us |them |me )?(?:about |around |roughly |almost |"
                   r"nearly )?(?:\d[\d,.]*k? ?%? ?|a lot |much |far )less\b"
                   r"|\b(?:saves?|saving|saved) (?:us |them |me )?(?:about |around |roughly |almost |nearly |over )?"
                   r"\d[\d,.]*k?\b"
                   r"|\b\d[\d,.]*%? (?:cheaper|lower|less) than (?:we|what we|the ones? we|last|before|our|"
                   r"budget|budgeted|the quote|quoted|expected|the estimate)\b|\bknocked (?:\d[\d,.]*%?|a bit|something) off\b"
                   r"|\bcame in (?:\d[\d,.]*k?%? |well |just )?(?:under|below|cheaper|lower)\b"
                   r"|\b(?:twice|double) the \w+ for the same (?:price|money|cost)\b|\bat no (?:extra )?(?:charge|cost)\b",
     2.2),
    # Asking whether anyone will act on something long open: "has anyone read the email we
    # sent three weeks ago?", "any update on the refund we asked for in August?", "are we
    # ever getting the credit?". A plain "when does the rate card change?" is not one.
    ("long_open_question", r"\b(?:anyone|anybody|someone|somebody|any update|any news|an owner|ever|yet)\b"
                           r"[^.!]{0,60}\b(?:(?:back )?in " + _MONTH + r"|since (?:the \d+\w*|" + _MONTH
                           + r"|" + _DAYNAME + r"|last \w+)|from (?:last (?:week|month|quarter|year)|the \d+\w*|"
                           + _MONTH + r")|(?:weeks|months|a month) ago|last (?:month|quarter|year)|open since)\b"
                           r"[^.!]{0,40}\?"
                           r"|\b(?:are|am|is|will|do) (?:we|i|you|they|someone|anyone|anybody) ever "
                           r"(?:going|getting|get|going to|gonna|see|hear|receive|call|reply|fix)\b"
                           r"|\bif anyone\?"
                           r"|\b(?:from|since|in) (?:last (?:week|month|quarter|year)|the \d+(?:st|nd|rd|th)|"
                           + _MONTH + r")\b[^.!]{0,40}\b(?:yet|anyone|anybody|an owner)\b[^.!]{0,10}\?", -2.2),
    # Trouble that stopped after a change: "the VPN hasn't dropped once since the patch",
    # "no more chasing invoices since ...", "since the migration the export hasn't failed",
    # "we've gone three months without a billing dispute". Not "no reply since Monday".
    ("trouble_stopped", r"\b(?:hasnt|havent|has not|have not|not|never|nobody has|no one has)\b[^.?!]{0,30}"
                        r"\b(?:dropped|declined|bounced|crashed|failed|gone down|went down|had to (?:reset|call|"
                        r"chase|restart|re-?enter)|stockouts?|double bookings?|disputes?|incidents?)\b"
                        r"[^.?!]{0,25}\bsince\b"
                        r"|\bno more (?:chasing|calls|complaints|errors|outages|manual|late|missed|double)\b"
                        r"[^.?!]{0,40}\bsince\b"
                        r"|\bsince (?:the|we|our|they)\b[^.?!]{0,40}\b(?:hasnt|havent|has not|have not|not)\b"
                        r"[^.?!]{0,25}\b(?:failed|dropped|crashed|declined|gone down|missed|had an?)\b"
                        r"|\bstopped (?:complaining|calling|chasing|ringing|emailing) (?:us )?(?:about|since)\b"
                        r"|\bgone (?:\w+ )?(?:days|weeks|months|a month|a year) without (?:a|an|any|one)\b"
                        r"|\bcant remember the last time\b[^.?!]{0,40}\b(?:trouble|went down|failed|crashed|"
                        r"was late|broke|problem|issue|error)", 2.4),
    # Numbers people want higher, going up: "our NPS went up 12 points", "sign-ups doubled".
    ("metric_up", r"\b(?:nps|csat|satisfaction|conversions?|conversion rate|sign-?ups|signups|revenue|sales|"
                  r"uptime|retention|renewal rate|repeat orders|bookings|orders|reviews? scores?|ratings?|first-call resolution|"
                  r"on-?time (?:rate|deliveries)|first-time fix rate|delivery rate|response rate)\b"
                  r"[^.?!]{0,15}\b(?:went up|is up|are up|was up|were up|rose|jumped|climbed|doubled|tripled|"
                  r"up by|improved|grew|increased|shot up|soared)\b", 2.2),
    # Litotes praise: "wasn't nearly as painful as we feared", "wouldn't change a thing",
    # "far from the disaster we expected", "never had a smoother close".
    ("better_than_feared", r"\b(?:wasnt|isnt|was not|is not) (?:nearly |anywhere near |half )?as "
                           r"(?:painful|bad|hard|difficult|slow|complicated|messy|expensive|disruptive) as\b"
                           r"|\bwouldnt change a (?:single )?thing\b|\bfar from (?:the|a) (?:disaster|nightmare|"
                           r"mess|headache)\b|\bnever (?:had|seen|known|done) (?:a|an) (?:smoother|better|easier|"
                           r"faster|quicker|cleaner|calmer)\b", 2.6),
    # Faint praise that is a complaint: "I wouldn't call that helpful", "could have gone
    # better", "can't say the new system has been an improvement", "not exactly quick".
    ("faint_praise", r"\bwouldnt (?:call|describe) (?:that|it|this|them|the(?: \w+){1,3}) (?:\w+ )?(?:helpful|good|"
                     r"great|fast|quick|easy|an improvement|a success|reliable|support|service)\b"
                     r"|\bcould (?:have|of) (?:gone|been) (?:a lot |a bit |much |far )?better\b"
                     r"|\bcant say\b[^.?!]{0,50}\b(?:an improvement|helpful|helped|better|worth it|improved)\b"
                     r"|\b(?:not|isnt|wasnt|arent|werent) exactly (?:quick|fast|cheap|helpful|easy|smooth|"
                     r"reliable|ideal|great|painless|straightforward|responsive)\b"
                     r"|\bhardly (?:what|helpful|ideal|fast|quick|worth|an improvement)\b", -2.4),
)

# Fifth pass (issue 23): counts that disagree, hold and queue times, days of waiting, renewals
# at risk, effort that was spared, speed told as a plain fact, charges added or repeated.
_WCNT = r"(?:one|a single|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_CNT = r"(?:" + _WCNT + r"|\d+)"
# Between a count said and a count got ("... and we've had ..."), and the other way round.
_GOT_MID = (r"[^.?!]{0,40}\b(?:and|but|yet)\b[^.?!]{0,30}?\b(?:got|get|getting|had|have|received|receive|"
            r"now get|were sent|are sent|came|arrived)\b[^.?!]{0,15}?")
_SAID_MID = (r"[^.?!]{0,50}\b(?:and|but|yet|when|though)\b[^.?!]{0,30}\b(?:contract|agreement|order|quote|"
             r"plan|terms|we asked for|we ordered|you said)\b[^.?!]{0,20}?")
# A call or queue of a quarter of an hour or more ("45 minutes", "over an hour").
_LONGCALL = (r"(?:over |nearly |almost |more than |a full |a whole )?(?:(?:1[5-9]|[2-9]\d|\d{3}) ?"
             r"(?:minutes|mins)|(?:fifteen|twenty|thirty|forty|fifty|sixty|ninety)(?:-\w+)? (?:minutes|mins)"
             r"|(?:an?|one|two|three|[1-9]) (?:hours?|hrs?)(?: and (?:\w+ )?(?:minutes|mins))?)\b")
BUSINESS += (
    # Two counts that should agree and do not, in words or figures: "the contract says one
    # invoice and we got three", "covers two visits and we've had one", "we asked for a single
    # statement and now get six". Equal counts, or no getting verb after "and", do not fire;
    # two figures ("says 24 and we received 18") are `said_got`'s.
    ("count_mismatch", rf"\b(?:says?|said|covers?|covered|includes?|included|promised|asked for|ordered|"
                       rf"agreed(?: on| to)?|meant to (?:get|be)|supposed to (?:get|be))\b[^.?!]{{0,20}}?"
                       rf"(?:\b({_WCNT})\b{_GOT_MID}\b(?!\1\b){_CNT}\b|\b\d+\b{_GOT_MID}\b{_WCNT}\b)"
                       rf"|\b(?:got|get|getting|received|receive|were sent|are sent)\b[^.?!]{{0,10}}?"
                       rf"(?:\b({_WCNT})\b{_SAID_MID}\b(?!\2\b){_CNT}\b|\b\d+\b{_SAID_MID}\b{_WCNT}\b)",
     -2.2),
    # The same thing counted in a short period: "the third charge this week", "for the
    # fourth month running", "debited on the 2nd and again on the 3rd".
    ("nth_in_period", r"\b(?:second|third|fourth|fifth|sixth|\d+(?:nd|rd|th)) (?:charge|debit|invoice|bill|"
                      r"reminder|letter|email|call|engineer|courier|agent|person|ticket|price rise|"
                      r"price increase|outage|incident|delay|fee)s? (?:this|in (?:a|one|the same|two|three)|"
                      r"today|running|for the same)\b"
                      # not a price held: "stayed flat for the third year running" (tenth pass)
                      r"|(?<!flat )(?<!frozen )(?<!unchanged )(?<!steady )(?<!same )"
                      r"\bfor the (?:second|third|fourth|fifth|sixth|\w+th) (?:month|week|day|quarter|year|"
                      r"invoice|bill) (?:running|in a row)\b"
                      r"|\b(?:debited|charged|billed|invoiced|deducted)\b[^.?!]{0,30}\b(?:and|then) again\b",
     -2.2),
    # A charge added on: "now 200 a month on top of the licence", "the invoice adds 75 for
    # freight", "a 35 admin charge on every invoice now".
    ("new_charge", r"\bnow (?:an? |costs? |charges? )?(?:extra |another )?\d[\d,.]*k?%?\b[^.?!]{0,25}"
                   r"\bon top of\b"
                   r"|\b(?:invoice|bill|statement|renewal|quote)s? (?:now )?(?:adds?|added)\b (?:an? (?:extra|new) )?"
                   r"\d"
                   r"|\b(?:charge|fee|surcharge|levy)\b (?:on|to|for) (?:every|each|all)\b[^.?!]{0,25}\bnow\b",
     -2.2),
    # Long on the phone or in a queue: "spent 40 minutes on the chat", "kept me on the line
    # for 50 minutes", "twenty-five minutes in the queue", "the hold time was over an hour".
    # Under a quarter of an hour ("the average call takes five minutes") does not count.
    ("contact_wait", rf"\b(?:spent|spend|spending)\b {_LONGCALL} (?:on (?:the )?(?:chat|phone|line) )?(?:on hold|"
                     r"in (?:the |a )?(?:\w+ )?queue|waiting|trying|getting through|listening|just to|to (?:cancel|"
                     r"change|update|get|fix|sort|report|ask|reset|close|move)|before (?:anyone|someone|a person|"
                     r"an agent|we got|i got))"
                     rf"|\bkept (?:me|us) (?:on the (?:line|phone)|on hold|waiting|holding)\b[^.?!]{{0,10}}\bfor "
                     rf"{_LONGCALL}"
                     rf"|\b{_LONGCALL} (?:in|on) (?:the |a )?(?:phone |call |chat )?(?:queue|hold|line)\b"
                     rf"|\bhold (?:time|times|music)\b[^.?!]{{0,40}}\b{_LONGCALL}", -2.2),
    # Waiting counted in days, or slipping: "day 9 of waiting for the export", "promised for
    # Monday and it's Thursday", "the call keeps being moved".
    ("waiting_days", r"\bday (?:\d+|\w+) of (?:waiting|chasing|no (?:reply|response|word))\b"
                     r"|\b(?:week|month) (?:\d+|two|three|four|five|six) of (?:waiting|chasing)\b"
                     rf"|\b(?:promised|booked|due|scheduled|confirmed|expected)\b[^.?!]{{0,30}}\b(?:for|on|by) "
                     rf"{_DAYNAME}\b[^.?!]{{0,20}}\b(?:and|but) (?:its|it is|today is) (?:now |already )?"
                     rf"{_DAYNAME}\b"
                     r"|\bkeeps? (?:being|getting) (?:moved|pushed|postponed|rescheduled|delayed|put off|bumped)\b",
     -2.2),
    # A renewal at risk, said without "cancel": "letting the contract run out", "justify the
    # spend before we renew", "three quotes before the renewal", "your line is on it".
    ("renewal_at_risk", r"\b(?:let|letting|lets) (?:the |our |this |your )?(?:contract|subscription|licen[cs]es?|"
                        r"plan|agreement|account) (?:run out|lapse|expire)\b"
                        r"|\b(?:justify|justifying|review|reviewing|question|questioning) (?:the |our |this |your )?"
                        r"(?:spend|cost|costs|price|value|budget line|line item|contract)\b[^.?!]{0,40}\bbefore "
                        r"(?:we |the |it |our )?(?:renew|renewal|sign)"
                        r"|\b(?:two|three|four|several|other|competing|more|\d) quotes before (?:the |we |our |this )?"
                        r"renew"
                        r"|\b(?:you|your \w+)(?: is| are|re)? (?:on the (?:chopping block|cut list|list to cut)|on it|"
                        r"up for review|being reviewed)\b", -2.4),
    # Service that got worse: "no longer answering within the day", "no longer includes setup".
    ("no_longer", r"\bno longer (?:answer|respond|repl|call|ship|deliver|includ|offer|pick|get(?:s|ting)? back|"
                  r"turn|cover|send|work)\w*", -2.2),
    # Effort spared: "I didn't have to chase once", "we haven't had to ring the helpdesk since
    # March", "didn't ask for anything twice", "without us even asking".
    ("effort_spared", r"\b(?:didnt|did not|never|havent|hasnt|have not|has not|not once) (?:have|had|need|"
                      r"needed|having|needing) to (?:chase|ask|call|ring|email|repeat|explain|re-?enter|"
                      r"follow up|resend|fill in|wait|phone|remind)\b"
                      r"|\b(?:didnt|did not|never) (?:ask|asked) (?:us |me )?(?:for )?(?:anything|it|the \w+) twice\b"
                      r"|\bwithout (?:us|me|anyone|our \w+) (?:even )?(?:asking|chasing|having to ask|prompting)\b"
                      r"|\bbefore (?:we|i)(?:d| had)? (?:even )?(?:asked|opened a ticket|raised (?:it|a ticket)|"
                      r"chased|reported it|called)\b", 2.4),
    # Speed told as a plain fact: "settled the claim in three working days", "finished by
    # lunchtime", "turned it around in an afternoon", "arrived in seconds", "the morning
    # after we reported it". Four days and under.
    ("done_quickly", r"\b(?<!will )(?<!will be )(?<!to be )(?<!should be )(?<!could be )(?:finished|done|sorted|fixed|settled|paid(?: out)?|live|back|turned (?:\w+ )?around|"
                     r"arrived|resolved|answered|approved|replaced|delivered|installed|signed)\b[^.?!]{0,40}"
                     r"\b(?:in (?:seconds|minutes|an? (?:afternoon|morning|hour)|under (?:a|an|one|\w+) (?:minute|"
                     r"hour|day)|(?:one|two|three|four|a|[1-4]) (?:working |business )?(?:days?|hours?|minutes))"
                     r"|by (?:lunchtime|lunch|the (?:next|second|following) (?:morning|day)|the end of the day)"
                     r"|before (?:we|i) (?:got home|hung up|left|finished))\b"
                     r"|\bthe (?:morning|day) after (?:we|i|you|they) (?:reported|called|asked|rang|ordered|emailed)\b"
                     r"|\bthe same hour\b", 2.2),
    # Paying less for more, fees waived: "covers 40 staff for less than we paid for 25",
    # "the account fees are waived for the first year".
    ("paid_less", r"\bfor less than (?:we |what we |they |the old \w+ )?(?:paid|pay|were paying|used to pay)\b"
                  r"|\b(?:fees?|charges?|costs?) (?:are|is|were|was|have been|has been) waived\b", 2.2),
    # Litotes the fourth pass lacked: "isn't half bad", "not a single missed delivery",
    # "can't say a bad word about".
    ("litotes_more", r"\b(?:isnt|wasnt|arent|werent) (?:half |too |that )?bad\b"
                     r"|\bnot (?:a )?(?:single|one) (?:missed|late|failed|lost|wrong|bounced|declined|dropped|"
                     r"double|broken|damaged|short)\b"
                     r"|\bcant say a (?:single )?(?:bad|negative|cross) word\b", 2.6),
    # Praise opening a remark that then says something happened again (not "working again").
    ("sarcastic_again", r"^(?:oh |well |just )?(?:great|brilliant|wonderful|fantastic|perfect|lovely|marvellous|"
                        r"superb|nice)[,.!]+ (?![^.?!]{0,60}\b(?:back|working|works|up and running|online|"
                        r"available|open|fixed|sorted|resolved|restored)\b)[^.?!]{0,60}\bagain\b", -2.6),
)
# Sixth to eighth passes (issue 23): business_sixth.py, business_seventh.py, business_eighth.py.
BUSINESS += SIXTH + SEVENTH + EIGHTH + NINTH + TENTH
# An offer to pay for something new ("we'd pay for an API", "I'd happily pay extra for an audit
# log") is interest, not a money complaint (issue 23, item 2, tenth pass); not "why would I pay
# for...", "we pay for priority support and...".
BUSINESS += (
    ("offer_to_pay", r"\b(?:wed|we would|id|i would|theyd|they would|(?:happy|willing|glad) to)"
                     r" (?:happily |gladly |definitely |totally |even |also |easily |still )?"
                     r"(?:pay|stump up|fork out)(?: extra| more| good money| a premium)? (?:for|to)\b", 1.5),
)
# Eleventh pass (issue 23, item 1): business_eleventh.py.
BUSINESS += ELEVENTH
