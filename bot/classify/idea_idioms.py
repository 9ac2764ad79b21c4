"""Idioms people use to ask for a product change, or to ask a person for a service, that are
too rare in the idea model's training rows for a cue's weight to be learnt (issue 23, item 2,
ninth pass). Each is a named logit shift added to suggestion.SHIFTS and read, like the cues,
from suggestion.lower_text's form (lower case, apostrophes dropped).

* `roadmap_idiom`: a thing asked about as being planned, in the metaphors people use for a
  plan ("is X in the pipeline?", "on the cards", "on your radar", "in the works", "on the
  horizon", "on the agenda", "something you're working on", "something you'd look at").
* `odds_of`: the chance of a new thing asked about ("what are the odds of...", "how likely is
  it that you'll...", "any prospect of...", "is there scope to...", "dare I ask whether...",
  "are you open to...", "would you entertain...", "how hard would it be to..."); not a person
  asked for a service ("any chance of a call back?", "any chance you could refund...").
* `ever_will`: whether the product will ever do something ("will the widget ever take Apple
  Pay?", "could the app ever track mileage?"); not "will I ever get my refund?" or "will you
  ever answer?", complaints about a person.
* `hoping_next`: a wish for the next release ("hoping the next update brings...", "hoping
  you'll add...", "fingers crossed for an Android version"); not "hoping the engineer can
  make it" or "hoping to hear back".
* `dream_if`: a wish told as a picture of the product ("imagine if the reminders went out by
  themselves", "my dream would be one dashboard", "it'd be ace/fab if...").
* `service_if_you`: a person asked to do a service for the writer, told as a wish or a
  question ("it'd be great if someone could get back to me today", "can you email the lease
  when you get a chance?"): a support request, not an idea.
"""

from __future__ import annotations

# The things a support request asks a person to do, and the times it is asked for.
_SERVICE = (
    r"(?:get back|come back|call|ring|phone|email|e-mail|text|reply|respond|confirm|send|"
    r"resend|forward|post|chase|refund|cancel|credit|reverse|waive|reset|unlock|reissue|"
    r"check|look into|sort (?:it|this|that)|let (?:me|us) know|update (?:me|us)|push|move|"
    r"extend|bring forward|book|rebook|arrange|reschedule)"
)
_WHEN = (
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week)|asap|urgently|"
    r"(?:by|before|on) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|noon|"
    r"\d+\w*|the end of)|when you (?:get|have) a (?:chance|moment|minute)|back a (?:day|week))"
)

IDIOM_SHIFTS: tuple[tuple[str, str, float], ...] = (
    (
        "roadmap_idiom",
        r"\b(?:on|in) (?:the|your|their|its) (?:cards|pipeline|radar|horizon|agenda|works|"
        r"backlog|to-?do list|wish ?list|plans?)\b|\bsomething (?:you|youre|you are|youd|you would|"
        r"the team is|the team would) (?:\w+ )?(?:working on|planning|look at|looking at|"
        r"considering|consider|thinking about)\b|\bis there (?:any )?talk of\b",
        2.0,
    ),
    (
        "odds_of",
        r"\b(?:what are the (?:odds|chances)|whats the (?:odds|chance|likelihood)|how likely is it|"
        r"how (?:hard|difficult|easy|much work) would it be|(?:any |is there (?:any )?)(?:prospect|"
        r"likelihood|hope|scope)|dare i ask|are you open to|would you (?:guys )?entertain|"
        r"do you see yourselves|have you (?:\w+ )?ever (?:looked at|thought about|considered) (?:adding|building|offering|supporting|doing|a|an)|"
        r"(?:any|is there (?:any|an)) (?:interest|appetite) (?:in|for)|"
        r"any reason (?:why )?(?:the|your|you|we) (?:\w+ ){0,3}?(?:couldnt|cant|cannot|wouldnt))\b"
        rf"(?! (?:me|us|my|our|a (?:call ?back|callback|reply|refund|response|discount)|"
        rf"{_SERVICE} (?:me|us|my|our|the invoice|the order)))",
        2.0,
    ),
    (
        "ever_will",
        r"\b(?:will|would|could|might|can) (?:the|your|this|it|you) (?:\w+ ){0,3}?ever "
        r"(?!(?:get back|reply|respond|answer|arrive|turn up|come|call|ring|fix|refund|pay|"
        r"be (?:fixed|sorted|refunded|answered|delivered)))\w+|\b(?:the|your|this|it|you) (?:\w+ ){0,2}?"
        r"(?:will|would|could|might|can) ever (?!(?:get back|reply|respond|answer|arrive|turn up|come|call|"
        r"ring|fix|refund|pay|be (?:fixed|sorted|refunded|answered|delivered)))\w+"
        # the subject and "will" as one word once apostrophes drop: "you'll ever" is "youll ever"
        r"|\b(?:youll|itll|theyll|youd|itd) (?:\w+ )?ever (?!(?:get back|reply|respond|answer|"
        r"arrive|turn up|come|call|ring|fix|refund|pay|be (?:fixed|sorted|refunded|answered|"
        r"delivered)))\w+",
        2.0,
    ),
    (
        "hoping_next",
        r"\b(?:hoping|hope|fingers crossed|crossing (?:our|my) fingers)(?: that)? (?:for (?:a|an|some)|"
        r"(?:the|a) (?:next|new|future|coming) (?:update|release|version)|you(?:ll| will| guys| might|"
        r"can|could| do)?(?: \w+)? (?:add|bring|build|ship|introduce|include|support|offer|release|"
        r"bring out|roll out|launch))\b",
        2.0,
    ),
    (
        "dream_if",
        r"^imagine if (?!(?:you|i|we) (?:are|am|were|have|had)\b|youre|im\b)|\b(?:my|our) dream would be\b|\b(?:itd|it would|thatd|that would) be "
        r"(?:a dream|ace|fab|fabulous|superb|terrific|a lifesaver|a game changer|golden)\b",
        1.5,
    ),
    (
        "service_if_you",
        rf"\bif (?:you|someone|somebody|one of you|your team|the team) (?:could|can|would) (?:please )?"
        rf"{_SERVICE}\b|^(?:hi |hey |hello )?(?:can|could|would) you (?:please |kindly |be able to )?"
        rf"{_SERVICE} (?:\w+ ){{0,4}}?{_WHEN}\b",
        -4.0,
    ),
    (
        "chance_of_service",
        rf"\bany chance (?:of (?:a |an )?(?:call ?back|callback|reply|response|refund|update|answer|"
        rf"credit|word)|(?:you|someone|somebody) (?:could|can|would) (?:please )?{_SERVICE})\b",
        -2.0,
    ),
    (
        "others_would_love",
        r"^(?:our|my) (?:\w+ ){0,2}?(?:would|will) (?:really |absolutely )?(?:love|welcome|appreciate|"
        r"jump at|kill for)\b(?! (?:a |an )?(?:call|reply|refund|response|update|answer)\b)",
        1.5,
    ),
)
