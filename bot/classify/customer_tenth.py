"""Customer remarks to a service company, tenth pass (issue 23, item 5): complaints told as
what the company should do ("you guys need a new website", "learn how to treat people",
"get it together"), asks for a human ("need to speak to an actual person"), a delay that
keeps growing ("still delayed", "further delayed") and a customer who is done ("we are
officially done", "learned my lesson"). Named rules in customer_phrases.py's form
(customer_phrases.py appends them to CUSTOMER). Written from the kinds of errors on the
airline set's dev fifth (complaints read as neutral); no tweet copied or trained on."""

from __future__ import annotations

# Whom a demand is addressed to: the company, as "you", "you guys", "u", "y'all".
_YOU = r"(?:you|u|you guys|you all|yall|ya)"
# What a customer tells a company it lacks or must learn.
_LACKS = (r"(?:some (?:serious |real |better |more )?\w+|a new (?:website|site|app|system|ceo|management|plane|planes|fleet)|better \w+|more (?:staff|agents|people|"
          r"employees|training|seats|planes|gates)|get (?:better|more|new) \w+|to (?:learn|fix|train|hire|improve|get (?:it|your act) "
          r"together|do better|step up|start (?:caring|listening|answering)|stop (?:lying|overbooking|losing)|"
          r"work on|figure out|rethink|reconsider|get your|update your|invest in))")

TENTH: tuple[tuple[str, str, float], ...] = (
    # What the company should do, told to it: "you guys need some serious training", "you
    # really need a new website", "have better customer service at ...", "get it together",
    # "learn how to treat people", "please do something about the wifi". Not a question
    # ("do you need my booking number?", "what do you need from me?") or a plain "you need
    # to bring ID".
    ("you_need_to", r"(?<!\bdo )(?<!\bwhat do )(?<!\bif )(?<!\bwill )(?<!\bwould )\b" + _YOU
                    + r" (?:really |seriously |desperately |clearly |definitely |badly )?(?:need|needs|should|"
                    r"gotta|have to|must) " + _LACKS + r"\b"
                    r"|\bget (?:it|your act|your \w+) together\b|\bneeds? to learn\b|\blearn (?:how|some|to) "
                    r"(?:to )?(?:treat|respect|run|communicate|manners|customer service)\b"
                    r"|\bplease (?:do something about|fix your|update your|improve your|hire more)\b"
                    r"|^have better \w+", -2.2),
    # Asking for a human, as a customer who has had enough of the channel does: "need to chat
    # with an actual human", "I would like a supervisor to talk to", "can I speak to a real person".
    ("ask_for_human", r"\b(?:speak|talk|chat|get through) (?:to|with) (?:an? )?(?:actual|real|live) (?:human|person)\b"
                      r"|\bneed (?:an? )?(?:actual|real|live) (?:human|person)\b"
                      # "talk to a supervisor" is business_sixth's escalation; this is the ask turned round
                      r"|\b(?:supervisor|manager) to (?:talk|speak) to\b", -2.0),
    # A delay that keeps growing: "still delayed?", "continues to be further delayed",
    # "delayed more and more these days". (The existing rule reads "delayed ... again".)
    ("delay_growing", r"\b(?:still|further|continues to be|keeps? (?:getting|being)) (?:being )?delayed\b"
                      r"|\bdelayed (?:more and more|further|even more|yet again)\b"
                      r"|\b(?:another|yet another|second|third) delay\b", -2.0),
    # Done with the company: "we are officially DONE", "learned my lesson about this airline",
    # "last time I book with you". Not "done, thanks" (an answer to an ask).
    ("done_with_you", r"\b(?:we are|were|im|i am|we re) (?:officially|so|totally|completely) done\b"
                      r"|\blearned (?:my|our) lesson\b|\b(?:so|officially|totally) done with (?:you|this|your)\b",
     -2.4),
    # The phone line as the trouble: "got hung up on", "the line disconnects", "high call
    # volumes, call back later", "your number is busy".
    ("phone_trouble", r"\b(?:hung|hang|hangs|hanged|hanging) up on\b|\b(?:got|was|keep getting|kept getting) "
                      r"(?:hung|hanged) up\b|\b(?:line|call|phone|it) (?:just )?(?:disconnects|disconnected|"
                      r"drops|dropped|cuts out)\b|\bhigh call volumes?\b|\bbusy signal\b|\bnumber is (?:always )?"
                      r"busy\b", -2.0),
    # "what a joke", "that's a joke, right?": VADER reads "joke" as praise (+1.2). Not "tell
    # me a joke" or "the pilot's joke".
    ("what_a_joke", r"\b(?:what a|thats a|that is a|this is a|such a|its a|its all a|total|complete|"
                    r"absolute|a bad|the biggest|biggest) joke\b|\b(?:you are|youre|you guys are|u r) (?:a|such a|"
                    r"an absolute|a complete|a total) joke\b", -2.4),
    # A demand asked as "how about ...?": "how about an update on flight 475", "how about
    # answering the phone?", "how about starting without the robotic response?". Not "how
    # about the 5pm flight instead?" or "how about we meet on Friday?".
    ("how_about_demand", r"^how about (?:some|an? (?:update|answer|reply|response|phone|refund|apology|"
                         r"explanation|call)|you (?:just )?(?:answer|reply|respond|fix|try|actually|stop|start)|"
                         r"starting|actually|answering|responding|replying|fixing|refunding|telling|doing|"
                         r"getting|having|not)\b", -2.0),
    # What the customer is owed, asked as where it is: "where's my voucher?", "where is our
    # refund", "where's the reply you promised". (where_is_mine reads bags and tickets.)
    ("where_is_owed", r"\bwhere(?: is|s| are) (?:my|our|the) (?:\w+ )?(?:vouchers?|refunds?|dm|reply|response|"
                      r"call ?back|credit|compensation|money|reimbursement|answer|email|miles)\b", -2.2),
    # A small thing asked for as "... would be nice": "some water would be nice", "an
    # update would be nice". Not the wish "it would be nice if the app had dark mode".
    ("would_be_nice", r"\b(?:a|an|some|any) (?:\w+ )?(?:update|reply|response|answer|water|food|info|"
                      r"information|communication|apology|call ?back|heads up|notice) would be nice\b", -2.0),
    # Praise words around the trouble, which is how sarcasm is told: "great job losing one
    # of my bags", "thanks for the seat that doesn't recline", "must be nice to take your
    # phone off the hook", "love being assigned a middle seat". Not "great job fixing it"
    # or "love being able to pick my seat". ("love paying twice" is business sarcastic_praise.)
    ("praise_for_trouble", r"\b(?:great|nice|good|fantastic|awesome|excellent|stellar) job (?:\w+ )?(?:losing|"
                           r"delaying|cancell?ing|stranding|ignoring|breaking|misplacing|overbooking|leaving|"
                           r"keeping (?:us|me) (?:waiting|in the dark))\b"
                           r"|\bthanks? (?:you )?for (?:the|a|my|our) (?:\w+ ){1,2}(?:that|which) (?:doesnt|didnt|wont|"
                           r"isnt|wasnt|never|dont|cant|wouldnt|couldnt)\b"
                           r"|\bmust be nice to\b|\blove (?:being (?:stuck|assigned|put|moved|bumped|charged|left|"
                           r"ignored|told)|paying for|having to|waiting|sitting (?:on|in|at))\b",
     -2.4),
)
