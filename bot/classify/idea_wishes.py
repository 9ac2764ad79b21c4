"""Offers, wishes and plans asked about that the idea model's rows are too few to learn
(issue 23, item 2, eleventh pass). Each is a named logit shift added to suggestion.SHIFTS,
read from suggestion.lower_text's form (lower case, apostrophes dropped, ":" spaced out).

* `bring_over_if`: sites or people brought over for a capability "if there was..." ("we'd
  bring our other two depots over if there was a shared stock view"); the sixth pass's
  `offer_if` knows "renew / switch / move", not "bring / take / put"; not a threat ("we'd take
  our business elsewhere if there was another outage").
* `tester_offer`: an offer to test a feature not yet built ("happy to be a beta tester...",
  "count us in as guinea pigs for...", "glad to trial the new screen if you build it"); not
  "happy to test the fix once you ship it" or "the beta keeps crashing".
* `all_we_need`: the one thing left, told as "all we need now is...", "all that's missing
  is...", "the only gap for us is..."; not a service waited for ("all we need now is the
  signed lease", "...is for someone to ring us back").
* `planning_change`: a plan asked about with a verb that opens or extends the product ("are
  you planning to open the API...", "is the plan to let resellers..."); not "are you planning
  to call us back?" nor "...an outage window?".
* `label_idea`: a remark that opens with its own label ("suggestion: ...", "idea - ...",
  "next on our wishlist: ...", "top of our wish list - ..."); not "suggestion box is full".
* `change_everything`: a thing that "would change everything" or "be a game-changer" (the
  ninth pass's `dream_if` read "game changer" but not the hyphen); not a price rise that
  would change everything for our budget.
* `something_that`: "can we get something that warns us..." asks for a new thing; not "can
  we get someone out...".
* `fork_out`: an offer to pay told in other words ("we'd happily shell out / stump up /
  fork out for...", "we'd pay a premium for..."); not "we'd have to fork out for...".
* `others_do`: what every other tool tried does ("every other invoicing app we've tried
  remembers..."); not "every other supplier charges less".
* `rival_reason`: a rival's feature given as the reason ("your competitor has X and that's
  the only reason we haven't switched"); not "...has cheaper plans and that's why we're
  leaving".
* `itd_good`: "it'd be amazing to have..." (the cue `modal_good` wants a modal after "it'd",
  which the dropped apostrophe joined to it); not "it'd be great to get a reply today".
* `talk_to_tool`: whether the product will connect to another tool one day ("any chance the
  rota will talk to QuickBooks?", "will the app hook up to Sage at some point?"); not "will
  the app connect to Xero again after the update?".
"""

from __future__ import annotations

from .tool_names import TOOLS

# A service waited for, which "all we need now is..." does not propose.
_WAITED = (
    r"(?:the|your|you|for|to|someone|somebody|anyone|it|them|that|this|his|her|their|"
    r"(?:a |an |some )?(?:call ?back|callback|reply|response|refund|answer|engineer|technician|"
    r"decision|credit|word|date|time|slot|quote|invoice|po|signature|copy|number|code|password|"
    r"login|confirmation|approval|sign ?off|payment|go-ahead|green light))\b"
)
_CONNECT = (
    r"(?:talk to|speak to|hook (?:up|in)(?: to| with)?|plug into|link (?:up )?(?:to|with)|"
    r"connect (?:to|with)|sync (?:to|with)|integrate with|work with|pull from|push to)"
)
_SOME_DAY = r"(?:one day|some day|someday|at some point|eventually|down the line|in (?:the )?future)"

WISH_SHIFTS: tuple[tuple[str, str, float], ...] = (
    (
        "bring_over_if",
        r"\b(?:wed|we would|well|we will|we could|id|i would|theyd|they would) (?:\w+ ){0,2}?"
        r"(?:bring|take|put|get|migrate|transfer|onboard|consolidate|shift)\b[^.?!]{0,60}\bif "
        r"there (?:was|were|is|was ever)\b"
        # a threat or a problem, not a capability
        r"(?![^.?!]*\b(?:elsewhere|another|again|any more|anymore|longer|problem|issue|outage|"
        r"breach|delay)\b)",
        3.0,
    ),
    (
        "tester_offer",
        r"\b(?:happy|glad|keen|willing|delighted|eager|would love|wed love|count (?:us|me) in|"
        r"put (?:us|me) (?:down|forward)|sign (?:us|me) up|volunteer)\b[^.?!]{0,40}\b(?:beta|"
        r"pilot|early (?:version|access|build|release)|guinea pigs?|testers?|test (?:site|users?|"
        r"customers?))\b(?! (?:is|was|keeps|has|crashes|crashed|broke|isnt|wont|doesnt|working|"
        r"fixed|again)\b)|\b(?:happy|glad|keen|willing|delighted|eager) to (?:\w+ ){0,2}?(?:test|"
        r"trial|try|pilot)\b(?! (?:the |your |a |that |this )?(?:fix|patch|hotfix|update|"
        r"workaround|repair)\b)[^.?!]{0,50}\b(?:if|when|once) you (?:ever )?(?:build|make|add|"
        r"do|release|launch|ship|develop|bring out|get round to)\b",
        2.5,
    ),
    (
        "all_we_need",
        rf"\ball (?:we|i|the team|our \w+) (?:really |still )?(?:need|want|lack|miss|are missing)"
        rf"(?: now| still| now really)? (?:is|are) (?!{_WAITED})\w+|\ball (?:thats|that is) "
        rf"(?:missing|lacking|left)(?: now| still)? (?:is|are) (?!{_WAITED})\w+|\bthe only "
        rf"(?:gap|thing missing|thing we miss|thing we lack|piece missing)(?: left)?(?: for "
        rf"(?:us|me|our \w+|the team))? (?:is|are) (?!{_WAITED})\w+",
        2.0,
    ),
    (
        "planning_change",
        r"^(?:hi |hey |so |also )?(?:(?:are|is) (?:you|you guys|the team|your team) (?:planning|"
        r"intending|hoping|thinking)(?: on| to| of| about)?|is (?:the|there a|there any) plan(?: "
        r"on| to| for)?) (?:to )?(?:open|opening|let|letting|allow|allowing|enable|enabling|"
        r"expose|exposing|extend|extending|bring|bringing|launch|launching|introduce|"
        r"introducing|roll out|rolling out|release|releasing|publish|publishing)\b"
        r"(?! (?:the |your |a |an )?(?:office|branch|shop|store|lines?|phones|helpdesk|desk|on|"
        r"at|again)\b)",
        2.5,
    ),
    (
        "label_idea",
        r"^(?:(?:a |one |quick |small |little |feature |product |another |my |our |tiny |"
        r"friendly )?(?:suggestion|idea|feature request|request|wish)(?: for you| here)?"
        r"|next on (?:my|our|the) (?:wish ?list|list)|top of (?:my|our|the) (?:wish ?list|list))"
        r"(?: -|,)? (?!(?:is|was|are|were|box|boxes|of|about|that|from|has|had|seems|sounds|"
        r"doesnt|didnt|wasnt|isnt|went|got|and|s|number|id|form|sent|submitted|ticket)\b)\w+",
        2.0,
    ),
    (
        "change_everything",
        r"^(?![^.?!]*\b(?:price|prices|cost|costs|fee|fees|increase|rise|outage|delay|cancel|"
        r"losing|lose|bill|budget)\b)[^.?!]*\b(?:would|could|will|itd|thatd|wouldd) (?:really |"
        r"honestly |totally |genuinely )?(?:change everything|transform|be a game-?changer|be a "
        r"game changer|be huge for us|change our lives)\b",
        2.0,
    ),
    (
        "something_that",
        r"^(?:hi |hey |so |also )?(?:can|could) (?:we|i|you|you guys) (?:please )?(?:get|have|"
        r"build|make|add|put in|rig up|knock up) (?:us )?(?:something|a thing|a feature|a tool|"
        r"a widget|a setting)(?: \w+)? (?:that|which) \w+",
        2.0,
    ),
    (
        "fork_out",
        r"\b(?:wed|we would|id|i would|theyd|they would|happy to|willing to|ready to) (?:happily "
        r"|gladly |definitely |totally |even |also |easily )?(?:fork out|shell out|stump up|"
        r"splash out|cough up|pay a premium|pay a bit more|pay top dollar|pay handsomely)\b"
        r"(?: \w+){0,3}? for\b",
        2.0,
    ),
    (
        "others_do",
        r"\b(?:every|all the|any|most) other (?:\w+ ){0,2}?(?:tools?|apps?|crms?|systems?|"
        r"platforms?|providers?|suppliers?|software|packages?)\b(?: (?:we|i|weve|ive|that we|that "
        r"i) (?:\w+ )?(?:tried|used|looked at|trialled|demoed|had|seen))? (?:already |also |just "
        r"|all )?(?!(?:charges|costs|crashes|fails|takes|seems|looks|works|is|was|has been)\b)"
        r"\w+s\b",
        1.5,
    ),
    (
        "rival_reason",
        r"^(?![^.?!]*\b(?:cheaper|lower|price|prices|better (?:support|service)|leaving|"
        r"cancel)\b)[^.?!]*\b(?:rivals?|competitors?|competition)(?: \w+)? (?:has|have|had|"
        r"offers?|does|lets|gives|includes?|supports?|comes with)\b[^.?!]{0,60}\b(?:the (?:only )?"
        r"reason|thats (?:what|why)|that is (?:what|why)|keeps? (?:asking|bringing|mentioning)|"
        r"bringing (?:it )?up|tempting)\b",
        2.5,
    ),
    (
        "itd_good",
        r"\b(?:itd|thatd) (?:really |also |just |so )?be (?:really |so |very |super |absolutely |"
        r"just )?(?:nice|great|good|amazing|brilliant|lovely|handy|useful|helpful|fantastic|"
        r"awesome|ideal|perfect|wonderful) (?:if|to (?:have|see|get|be able))\b(?! (?:a |an )?"
        r"(?:my|our|reply|response|refund|call|callback|update|answer|word)\b)",
        1.0,
    ),
    (
        "talk_to_tool",
        # "when will the app sync with Outlook?" is the cue ask_ahead's already
        rf"\b(?:(?<!when )(?:will|would|might|could) (?:the|your|this|it) (?:\w+ ){{0,2}}?|(?:the|your|this|"
        rf"it)(?: \w+){{0,2}}? (?:will|would|might|could) )(?:ever |one day |eventually )?"
        rf"{_CONNECT} (?:(?:the )?{TOOLS}\b(?! again)|[^.?!]{{0,30}}\b{_SOME_DAY})",
        2.0,
    ),
)
