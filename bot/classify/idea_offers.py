"""Offers and idioms people use to ask for a product change, and bug reports told with
"should ... but", that the idea model's rows are too few to learn (issue 23, item 2, tenth
pass). Each is a named logit shift added to suggestion.SHIFTS, read from
suggestion.lower_text's form (lower case, apostrophes dropped: "we'd" is "wed").

* `switch_if`: a move offered for a capability ("if you had SSO we'd move the whole team
  over", "we'd ditch the other provider if the booking system took deposits", "the moment you
  support Face ID we'll get our couriers on it"); not "if you had told us we'd have planned",
  "we'd switch if it wasn't so expensive", nor a fix ("if you fixed it we'd stay": a
  complaint, suggestion.stay_if_fixed).
* `crying_out`: a thing the product lacks, told as a need of the product or of the team
  ("the settings page is crying out for a bulk edit", "we're desperate for a way to...",
  "the diary could do with a colour per room"); not a person's reply or a refund waited for.
* `missing_piece`: the one thing missing told as such ("the only thing missing is...",
  "all that's left on our wishlist is...") and "ideally the X would...".
* `doable_tail`: a request followed by "is that doable / possible / feasible?": the writer
  asks whether it can be built (a service asked for keeps its own shift against).
* `copy_them`: another provider's feature held up, then asked for ("your rival lets parents
  top up...; any chance of that?", "our last provider emailed payslips - can you do the
  same?").
* `please_build`: "please" before a verb that builds or changes the product ("please let me
  sign in with my own ID", "please enhance the backup and enable Drive"); not "please add me
  to...", "please let us know...", "please remove the charge", nor "please fix..." or
  "please resend...", which ask for a repair or a service. Tuned on SemEval-2019 Task 9's
  training and trial splits, where our rows taught "please" mostly as a support request's.
* `should_but`: against. What should happen set against what does ("the total should be
  40 but it shows 400", "tax should be 20 percent but the invoice says 25"): a bug report,
  not a proposal.
"""

from __future__ import annotations

# What is offered: moving people, sites or work over, or buying more.
_MOVE = (
    r"(?:move|switch|bring|migrate|roll|drop|ditch|put|get|sign|upgrade|buy|adopt|take|"
    r"consolidate|replace|go all in|shift|transfer|onboard)"
)
# A capability the product would have (not "had told", "had been", "fixed").
_HAS = (
    r"(?:only )?(?:had|has|handled|handles|supported|supports|offered|offers|did|does|took|"
    r"takes|tracked|tracks|worked with|works with|integrated with|integrates with|synced with|"
    r"came with|comes with|included|includes|added|adds|could|let us|allowed|ran on|spoke to|"
    r"support|offer|add|have|handle|take|track|do|work with|integrate with|sync with|"
    r"come with|include|allow)"
    # not a threat: "if it takes another week", "if you do that again we'll move"
    r"(?![^.?!]{0,40}\b(?:again|another|longer|elsewhere|any more|anymore)\b)"
)
_WHO = r"(?:you|yours|you guys|your \w+(?: \w+)?|the \w+(?: \w+)?|it)"
_WE = r"(?:wed|we would|well|we will|we could|id|i would|ill|theyd|they would|the whole \w+ would)"
# A person's service waited for, which a "need" of it does not propose.
_SERVICE_THING = (
    r"(?:a |an |some )?(?:call ?back|callback|reply|response|refund|update|answer|engineer|"
    r"technician|decision|fix|credit|word|holiday|break|coffee|drink)"
)
_OTHER = (
    r"(?:rivals?|competitors?|competition|other (?:\w+ )?(?:tools?|apps?|providers?|suppliers?|"
    r"systems?|platforms?)|(?:old|previous|last|former) (?:\w+ ){0,2}?(?:tools?|system|provider|"
    r"app|crm|software|platform|supplier|package))"
)

OFFER_SHIFTS: tuple[tuple[str, str, float], ...] = (
    (
        "switch_if",
        rf"\b(?:if|once|the moment|as soon as|the day) {_WHO} {_HAS}\b(?! (?:told|said|been|known|"
        rf"warned|called|let us know|sent|given|fixed|sorted))[^.?!]{{0,60}}\b{_WE}(?! have\b)"
        rf"(?: \w+){{0,2}}? {_MOVE}\b|\b{_WE} (?:\w+ ){{0,2}}?{_MOVE}\b[^.?!]{{0,60}}\bif {_WHO} "
        rf"{_HAS}\b",
        2.5,
    ),
    (
        "crying_out",
        rf"\b(?:crying|screaming|begging|gagging|dying|itching) (?:out )?for (?!{_SERVICE_THING}\b)"
        rf"|\b(?:is|are|were|am|im|were all) (?:\w+ )?(?:desperate|crying out|begging) for "
        rf"(?!{_SERVICE_THING}\b)|\bcould (?:really |seriously |badly )?do with (?:a|an|some|more|"
        rf"better|the option|the ability) (?!{_SERVICE_THING}\b)",
        2.0,
    ),
    (
        "missing_piece",
        r"\bthe (?:only|one) (?:thing|gap|piece|bit|feature)s? (?:\w+ )?(?:missing|lacking|we miss|"
        r"we lack|were missing|left)\b|\ball (?:thats|that is) (?:\w+ )?(?:left|missing) (?:on|from) "
        r"(?:our|my|the) (?:wish ?list|list)\b|^ideally (?:the|it|we|you|each|every|there|our|all|"
        r"staff|admins|customers)\b",
        1.5,
    ),
    (
        "doable_tail",
        r"(?:[?.!,-]|\band) ?(?:is|would) (?:that|this|it|something like (?:that|this)) (?:be )?"
        r"(?:doable|possible|feasible|an option|something you could (?:do|look at|build))\b",
        1.5,
    ),
    (
        "copy_them",
        rf"\b{_OTHER}\b[^?]{{0,100}}(?:\b(?:can|could|would|will) (?:you|yours|your \w+|you guys) "
        r"(?:do|offer|add|get|have|copy|match) (?:the same|that|this|something similar|similar)\b"
        r"|\bany chance of (?:that|the same|something similar)\b|\b(?:please )?copy (?:that|this|"
        r"them)\b)",
        3.0,
    ),
    (
        "please_build",
        r"\b(?:please|pls|plz)(?: please)*,? (?:do |just |also |at least |kindly |simply )?(?:add|"
        r"allow|let (?:us|me|users|developers|devs|apps|people)(?! know\b| hear\b)|enable|support|"
        r"provide|implement|"
        r"include|enhance|expose|extend|bring (?:back )?|make (?:it|the|a|an|this|that)|remove|"
        r"consider|introduce|open|publish|give (?:us|developers)|port|revise|improve|rethink|"
        r"reconsider)\b(?! (?:me|us|my|our|him|her|them|the (?:charge|fee|duplicate|late fee|"
        r"payment))\b)",
        2.0,
    ),
    (
        "should_but",
        r"\b(?:should|is supposed to|was supposed to|ought to) [^.?!]{0,50}?\bbut (?:it |its |the "
        r"\w+(?: \w+)? |that |this |i |we |they |instead |now |then )?(?:only |just |still |"
        r"actually |always |instead |now )?(?:says|said|shows|showed|reads|displays|displayed|"
        r"gives|gave|comes? (?:up|out|back|to)|came (?:up|out|back|to)|goes to|went to|returns|"
        r"returned|takes|took|keeps|kept|spins|hangs|crashes|crashed|fails|failed|errors|"
        r"charged|charges|have to|had to|nothing|is showing|is saying|sends|sent)\b",
        -2.5,
    ),
)
