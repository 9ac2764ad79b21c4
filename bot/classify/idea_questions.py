"""Ideas asked as questions about who is working on what, and offers timed to a feature, that
the idea model misreads; and a teammate's access asked "too", which it reads as an idea
(issue 23, item 2, twelfth pass). Each is a named logit shift added to suggestion.SHIFTS,
read from suggestion.lower_text's form (lower case, apostrophes dropped).

For ideas (positive):
* `anyone_working_on`: "is anyone working on a bulk upload...?", "are any of your developers
  looking into shift swaps?"; not "is anyone working on my ticket / the outage?".
* `intention_of`: "any intention of taking card payments?", "does the company intend to add
  ...?"; the cue `plans_for` reads "any intention of" at too little weight; not a service
  (`intention_service` below).
* `the_moment_you`: an offer timed to a capability ("the moment you support recurring
  bookings we'll go annual", "the day there's an open API we'll move the group across",
  "once you've got SSO we'll roll it out"); not "the minute the engineer arrives we'll ring".
* `really_after`: the thing wanted most, told as "what we're really after / looking for is
  ...", "the thing we miss most is...", "what our managers really want is..."; not a service
  (`after_service` below), nor one's own goal ("what I want is to understand...").
* `holding_back`: "the only thing holding us back ... is the lack of X", "the final piece
  for our finance team would be X".
* `vote_for`: "+1 to X", "add my vote for X"; not "+1 to what Sam said".
* `something_we_might`: "is offline sync something we might get this year?"; not "is a
  refund something we can expect?".
* `badly_needs`: "the timesheet page badly needs a copy button"; not "...badly needs fixing".
* `keeps_asking_if`: "our office manager keeps asking if the diary could show holidays";
  not "the bank keeps asking if we could send...".
* `been_discussed`: "has a tablet check-in mode been discussed on your side?", "has anyone
  asked for a Welsh translation before?"; not "has my complaint been discussed?".
* `product_learn`: "can the stock app learn to reorder...", "could the booking form ask
  guests about...": a new behaviour asked of the product.
* `itd_save`: "it'd save the office a morning a week if...", "it would help the pickers
  enormously to see..."; not "...if someone called us back", and not "it would help X if Y",
  which the cues read (`justify` stays off when "if" follows).
* `why_cant_show`: "why can't the delivery note show our company number?" (the cue
  `why_cant_it` reads it at too little weight); not "why can't the app let me log in?".
* `thoughts_on`: "any thoughts on letting clients upload...?"; not "any thoughts on the price?".
* `moves_towards`: "are there any moves towards a cheaper charity plan?".
* `tier_for`: "we'd jump straight to the top tier for proper role permissions"; not "...for a
  discount".

Against (a support request or a complaint, told in an idea's words):
* `teammate_access`: a login, account or access asked for a teammate, or a teammate added
  to the workspace ("can you give Priyanka a login too?", "could you set Tom up with an
  account?", "can you add Lucy to our workspace?").
* `intention_service`: "any intention of refunding us / answering my emails?".
* `after_service`: "what we really want is our money back / an apology".
* `again_service`: a document sent "a second time", "once more".
* `seats_added`: "we need two more seats added before Monday": an order, not a proposal.
"""

from __future__ import annotations

from .tool_names import TOOLS

# What a person does for a customer: the services that the idea openings also ask for.
_SERVICE_VERB = (
    r"(?:actually |ever |finally |properly |even )?(?:refund|repay|repaid|repl(?:y|ies|ied|ying)|"
    r"answer|respond|call|ring|phon(?:e|ing)|get(?:ting)? back|pay|paid|compensat(?:e|ing)|"
    r"reimburs(?:e|ing)|credit|hono(?:u)?r|apologi[sz](?:e|ing)|fix|sort|contact|send|tell|"
    r"let(?:ting)? us know|cancel|waiv(?:e|ing)|chas(?:e|ing)|escalat(?:e|ing))(?:s|ed|ing|ling)?\b"
)
# What a service leaves us waiting for, the object that follows an idea's opening instead.
_WAITED = (
    r"(?:my|our|an? apology|apologies|the (?:refund|outage|problem|issue|fault|bug|error|"
    r"ticket|complaint|case|fix|incident|delay|invoice|bill|credit)|a (?:refund|credit|call|"
    r"callback|reply|response|fix|patch|answer|replacement|discount|visit|date)|refunds?|"
    r"money|compensation|someone|somebody|a person|a human|an? engineer|an? manager|"
    r"an? explanation|an? update|the money|for (?:you|someone|somebody|a)|it|this|that|"
    r"fixing|sorting|resolving|getting (?:back|my|our))\b"
)
_OFFER = (
    r"(?:well|we will|were|we are|wed|we would|ill|i will|im|i am|theyll|they will)"
    r"(?: \w+){0,2}? (?:go|going|move|moving|buy|buying|sign|signing|roll|rolling|upgrade|"
    r"upgrading|switch|switching|bring|bringing|take|taking|put|putting|pay|paying|renew|"
    r"renewing|commit|committing|expand|expanding|extend|use|using|get|getting|onboard|"
    r"migrate|migrating|add|adding|double|order|ordering|jump|be (?:buying|signing|moving|"
    r"upgrading|switching|on board))\b"
)
_LOGIN = (
    r"(?:login|log-in|log in|logon|sign-in|sign in|account|password|seat|licen[cs]e|user|"
    r"username|access|admin rights|admin access|pin|profile)"
)

QUESTION_SHIFTS: tuple[tuple[str, str, float], ...] = (
    (
        "anyone_working_on",
        r"^(?:hi |hey |so |also |out of interest |just wondering )?(?:is|are) (?:any ?one|any ?body|"
        r"some ?one|some ?body|any of (?:your|the) (?:developers|devs|engineers|team|product "
        r"team|people)|your (?:developers|devs|engineers|team|product team)|the team)"
        r"(?: (?:on|at|in) (?:your|the) (?:end|side|team|company|product team))? (?:already |"
        r"actually |currently |now )?(?:working on|building|looking into|looking at|developing|"
        rf"coding|planning) (?!{_WAITED})"
        # a fault being fixed, whatever words come before it ("the SIM issue we logged")
        r"(?![^.?!]*\b(?:issues?|problems?|faults?|bugs?|errors?|tickets?|outages?|complaints?|"
        r"case|incident|delays?|refunds?|crash\w*|glitch\w*)\b)\w+",
        2.5,
    ),
    (
        "intention_of",
        r"\b(?:any|the|some) intention (?:of|to) (?!" + _SERVICE_VERB + r")\w+|\b(?:does|do) "
        r"(?:the|your) (?:company|team|business|firm|product team|developers|devs) (?:intend|"
        r"plan|mean|want) (?:to|on) (?!" + _SERVICE_VERB + r")\w+",
        1.5,
    ),
    (
        "the_moment_you",
        r"^(?:honestly |so |and )?(?:the (?:moment|minute|second|day|instant|week|month)|as soon "
        r"as|once|whenever) (?:you|youve|youre|your \w+|the (?:app|system|software|portal|"
        r"platform|product|tool|\w+ app)|it|there is|theres|there are) (?:\w+ )?(?:support|"
        r"supports|add|adds|offer|offers|launch|release|build|ship|bring out|introduce|got|get|"
        r"have|has|do|does|handle|handles|work|works|integrate|integrates|connect|connects|sync|"
        r"syncs|let|lets|allow|allows|can|an? (?:open|proper|public|working|decent|native|real)|"
        r"an? \w+ (?:api|app|integration|version|plan|tier)|single|sso|api)\b(?! (?:again|"
        r"properly|reliably|back|round|the (?:invoice|payment|contract|refund)|our|my)\b)"
        rf"[^.?!]{{0,60}}\b{_OFFER}",
        3.5,
    ),
    (
        "really_after",
        r"^(?:honestly |so |but |and |tbh )?(?:what (?:were|we are|we|im|i am|i|our (?:\w+ ){0,2}?"
        r"(?:team|staff|managers?|\w+ers|\w+ors|people|customers|clients)(?: are)?|(?:the|my) "
        r"team(?: are| is)?) (?:really |actually |most |truly )?(?:after|looking for|want|wants|"
        r"would love|would like|need|needs|miss|missing)|what (?:wed|id) (?:really |most )?(?:love|"
        r"like)|the (?:thing|one thing|feature|piece|bit) (?:we|wed|i|id|our \w+|the team) "
        r"(?:really |most )?(?:miss|need|want|love|like|keep asking for|keep coming back to|ask "
        r"for)|what would (?:help|make life easier for) (?:us|me|our \w+|the team) (?:the )?most)"
        # not "what I want is to know why...": one's own goal, which the cue own_goal reads
        rf"(?: most| more than anything)? (?:is|are|would be) (?!{_WAITED}|to\b)\w+",
        2.5,
    ),
    (
        "holding_back",
        r"\bthe (?:only |one |last |main |biggest )?(?:thing|gap) (?:holding (?:us|me|them|(?:our|"
        r"the) \w+) back|stopping (?:us|me|them|our \w+)|standing between (?:us|me) and)[^.?!]{0,50}"
        r"\b(?:is|are|would be) (?:the lack of|not having|a|an|some|proper|better)\b|\bthe "
        r"(?:final|last|missing) (?:piece|bit|step)(?: of the puzzle)?(?: for (?:us|me|our "
        rf"(?:\w+ )?\w+|the team))? (?:is|would be|will be) (?!{_WAITED})\w+",
        2.5,
    ),
    (
        "vote_for",
        r"^(?:\+?1|plus one|another vote|add my vote|add our vote|one more vote|my vote|our vote|"
        r"a vote from us|count (?:my|our) vote|put in a vote|a big \+1)(?: from (?:us|me))? "
        r"(?:to|for|on)(?: (?:adding|having|getting))? (?!(?:what|that|this|him|her|them|1|\d+|"
        r"everything|\w+s comment|the new|your new|the team)\b)\w+",
        3.0,
    ),
    (
        "something_we_might",
        r"^(?:so |also )?is (?!(?:my|our|the|an?) (?:refund|credit|callback|call|reply|answer|"
        r"response|discount|compensation|engineer|visit|replacement|fix|patch|apology)\b)"
        r"(?:\w+[ -]){1,5}?something (?:that )?(?:we|you|youre|youd|you guys|your team|the "
        r"team|customers|users)(?: \w+){0,2}? (?:get|see|have|expect|build|add|consider|"
        r"considering|look at|looking at|planning|working on|offer|support)\b",
        2.0,
    ),
    (
        "badly_needs",
        r"\bthe (?:\w+[ -]){1,3}?(?:badly|really|desperately|seriously|sorely) (?:needs|could use|"
        r"could do with|wants) (?:a|an|some|more|better|proper|its own) (?!(?:fix|repair|"
        r"engineer|technician|refund|restart|reboot|service|clean|update|patch|correction|reset|"
        r"look|check|replacement)\b)\w+",
        2.5,
    ),
    (
        "keeps_asking_if",
        r"\b(?:keeps?|kept|are always|is always|have been|has been|been) asking (?:if|whether|"
        r"why|when) (?:the|your|it|you) (?:\w+ ){0,3}?(?:could|would|can|will|might) (?:ever |one "
        r"day |also )?(?:show|export|sync|have|include|let|send|work with|connect|support|handle|"
        r"remember|list|print|pull|take|accept|offer|add|do|track|split|group|sort)\b",
        2.5,
    ),
    (
        "been_discussed",
        r"^(?:so |also )?has (?:a|an|any|the idea of|(?!(?:my|our|the|this|that|it)\b)\w+ \w+)"
        r"(?: [\w-]+){0,5}? (?:been|come up|ever been) (?:discussed|considered|raised|suggested|"
        r"talked about|mentioned|looked at|explored|thought about)\b|^(?:so |also )?has any ?"
        r"(?:one|body)(?: else)? (?:asked|requested|suggested|wanted|pushed) (?:for |about )?"
        rf"(?!{_WAITED})(?:a|an|the option|more|\w+ing)\b",
        2.5,
    ),
    (
        "product_learn",
        r"^(?:hi |so |also )?(?:could|can) the (?!(?:engineer|technician|driver|courier|team|"
        r"manager|staff|office|support|agent|person|rep|accountant|carers?|nurse|doctor|landlord|"
        r"bank)\b)(?:\w+[ -]){1,2}?(?:learn to|be taught to|be made "
        r"to|be set up to|start (?:to )?\w+|ask|nudge|prompt|warn|remind|alert|reorder|pre-?fill|"
        r"auto\w+)\b(?! (?:me|us) (?:for (?:my|the|a) )?(?:password|pin|code|login)\b)",
        2.5,
    ),
    (
        "itd_save",
        # "it would help X if Y" is left to the cues (justify stays off when "if" follows)
        r"\b(?:(?:itd|thatd) (?:really |honestly |genuinely )?(?:save|help) (?:us|me|the \w+|our "
        r"\w+|everyone|the whole \w+)(?: \w+){0,5}? (?:if|to (?:have|see|get))|(?:it|that) would "
        r"(?:really |honestly |genuinely )?(?:save|help) (?:us|me|the \w+|our \w+|everyone|the "
        r"whole \w+)(?: \w+){0,5}? to (?:have|see|get))\b"
        r"(?! (?:you|someone|somebody|anyone|they) (?:could |would |just )?(?:call|ring|phone|"
        r"send|email|reply|got back|get back|confirm|refund|answered|replied|called|rang)\b)",
        1.5,
    ),
    (
        "why_cant_show",
        # the cue why_cant_it reads these at too little weight; "can't" only: "why doesn't the
        # invoice show the discount?" reports a fault
        r"^why (?:cant|cannot|can not) (?:the|our|your|each|every) (?!(?:engineer|technician|"
        r"driver|courier|team|manager|staff|office|support|agent|person|rep)\b)(?:\w+[ -]){1,2}?"
        r"(?:show|have|include|list|display|carry|print|remember|let|allow|sync|send|tell|warn|"
        r"group|sort|hold|take|accept|link|pull|export)\b(?! (?:me|us) (?:log|sign|in|back|"
        r"through|access|open|save|pay)\b)",
        1.0,
    ),
    (
        "thoughts_on",
        r"\bany (?:thoughts|views|ideas|appetite|interest) (?:on|about|in|for) (?:adding|letting|"
        r"allowing|supporting|offering|building|making|including|introducing|opening|bringing|"
        r"giving)\b",
        1.0,
    ),
    (
        "moves_towards",
        r"\bany (?:moves?|movement|steps?|progress|work|push) (?:towards?|on) (?:a|an|adding|"
        r"supporting|offering|building|letting|making|opening|introducing)\b",
        2.0,
    ),
    (
        "tier_for",
        r"\b(?:wed|we would|well|we will|id|i would|theyd) (?:\w+ ){0,2}?(?:jump|go|move|upgrade|"
        r"switch|step|sign up|come) (?:\w+ ){0,2}?(?:to|onto|up to|for) (?:the|your) (?:top|"
        r"highest|premium|business|enterprise|pro|next|biggest|gold|full) (?:tier|plan|package|"
        r"level|bundle|licence|license) (?:for|if (?:it|you|there)|once|the (?:day|moment|minute) "
        r"(?:you|it|there))\b(?! (?:a|an|the|our|my) (?:discount|refund|credit|month|year)\b)",
        2.0,
    ),
    (
        "teammate_access",
        r"\b(?:can|could|would|will) you (?:please |also |just )*(?:give|get|set|sort|make|create|"
        r"issue|send)(?! (?:us|me|users|customers|clients|people|everyone|guests|all|each|every|"
        r"our (?:customers|clients|users|tenants|members|patients|guests))\b)(?: \w+)"
        rf"{{1,6}}? (?:a|an|his|her|their|own|new|another|separate|extra)(?: own| new)? {_LOGIN}"
        r"\b|\b(?:can|could|would|will) you (?:please |also |just )*set (?:\w+ ){1,3}?up with "
        rf"(?:a|an|his|her|their) (?:own |new )?{_LOGIN}\b|\b(?:can|could|would|will) you "
        rf"(?:please |also |just )*(?:add|put|move|invite|sign up|register|enrol|include) (?!(?:{TOOLS}"
        r"|this|that|it|these|those|an? (?:option|way|setting|feature|button))\b)(?:\w+ ){1,3}?(?:to|on|onto|into) (?:our|the|my) (?:\w+ )?(?:workspace|account|team|"
        r"channel|plan|billing|group|org|organisation|organization|subscription|rota|list|emails?|"
        r"contacts|admins|distribution list|mailing list)\b|^(?:could|can) (?!(?:you|we|i|the|it|"
        r"there|this|that|our|your|they|he|she|users|customers)\b)\w+(?: \w+){0,4}? (?:have|get) "
        rf"(?:his|her|their|a|an) (?:own )?{_LOGIN}\b",
        -3.0,
    ),
    (
        "intention_service",
        rf"\b(?:intention|intend|plans?|planning|mean) (?:of|to|on) {_SERVICE_VERB}",
        -2.5,
    ),
    (
        "after_service",
        r"\bwhat (?:were|we are|we|im|i am|i|our \w+(?: are)?|the team) (?:really |actually |"
        r"truly |now )?(?:after|looking for|want|wants|need|needs|expect|deserve)(?: now)? (?:is|"
        r"are) (?:our|my|an?|the|some|for|a full|a proper)? ?(?:money|refund|apology|credit|call|"
        r"answer|reply|response|explanation|compensation|someone|somebody|person|manager|update|"
        r"engineer|fix|cancellation|discount)\b",
        -2.5,
    ),
    (
        "again_service",
        r"\b(?:send|email|e-mail|forward|post|resend|re-send|text)\b[^.?!]{0,40}\b(?:statement|"
        r"invoice|receipt|bill|copy|contract|agreement|link|code|password|details|certificate|"
        r"quote|credit note|payslip|pay slip)s?\b[^.?!]{0,30}\b(?:a second time|again|once more|"
        r"one more time)\b",
        -2.0,
    ),
    (
        "seats_added",
        r"\b(?:need|needs|want|wants|wed like|id like|would like|wed need)(?: (?!(?:ability|option|way|able)\b)"
        r"\w+){0,4}? (?:seats?|licen[cs]es?|"
        r"users?|logins?|accounts?|sites?|branch(?:es)?|locations?) (?:added|removed|set up|"
        r"activated|deactivated|cancelled|switched on|turned on|turned off|moved|transferred|"
        r"reset|unlocked|upgraded|downgraded)\b(?! (?:automatically|by themselves|via|through|"
        r"when|whenever)\b)",
        -3.0,
    ),
)
