"""What is not feedback, in a watched channel or a backfill: greetings and thanks (also in
the common European languages: "merci", "danke"), laughter ("lol"), "+1", "resolved",
out-of-office replies, joins and other system notices, and helpdesk status lines such as
"Ticket #4821 was closed" or "Conversation #123 closed by Sam".

Rules, not a model: a message is noise only when *all* of its words are courtesy or
acknowledgement words (so "thanks for nothing, the refund is still missing" is feedback),
or when it is, whole, an automatic reply or a status line. ``noise()`` returns the reason
(shown in ``/feedback watch status``) or None.
"""

from __future__ import annotations

import re

# Slack subtypes that are notices, not anyone speaking (Slack's message subtypes list).
NOTICE_SUBTYPES = frozenset({
    "channel_join", "channel_leave", "group_join", "group_leave", "channel_topic",
    "channel_purpose", "channel_name", "channel_archive", "channel_unarchive", "group_topic",
    "group_purpose", "group_name", "group_archive", "group_unarchive", "pinned_item",
    "unpinned_item", "reminder_add", "bot_add", "bot_remove", "channel_convert_to_private",
    "huddle_thread", "sh_room_created", "tombstone", "ekm_access_denied", "joiner_notification",
})

GREETING = frozenset("hi hello hey hiya yo morning afternoon evening good gm all everyone team folks "
                     "guys there welcome back howdy greetings "
                     # the same in the languages customers and colleagues write in most
                     "hola buenos buenas dias días bonjour bonsoir salut hallo moin servus guten "
                     "morgen tag ciao buongiorno olá ola bom dia hoi hej à tous todos alle tutti".split())
# Words that make a short courtesy message a thank-you ("merci", "danke schön", "grazie mille").
THANK_WORDS = frozenset("thanks thank thx ty tysm cheers kudos merci danke dankeschön gracias grazie "
                        "obrigado obrigada bedankt tack takk kiitos".split())
THANKS = THANK_WORDS | frozenset("you appreciated appreciate much many lot lots so very great awesome "
                                 "perfect nice cool amazing brilliant lovely beaucoup mille muchas muito "
                                 "vielen schön schoen dank je wel så mycket".split())
ACK = frozenset("ok okay k kk yes yep yup no nope sure noted got it will do done resolved fixed "
                "closed solved merged shipped same here me too agreed agree lgtm sounds works "
                "working on it looking into this that checking ack roger understood np problem "
                "welcome fine great good +1 1 plus one".split())
FILLER = frozenset("a an the and for it this that all to you guys again now just i we 's is "
                   "was be will all".split())
# Laughter on its own: "lol", "haha", "hehe", "jajaja", "mdr", "xD", "kkkk", "lmao".
_LAUGH = re.compile(r"(?:l+o+l+z?|lmf?a+o+|rofl|(?:h[ae]){2,}h?|(?:ja){2,}j?|(?:je){2,}|mdr+|x+d+|k{3,})")

_EMOJI = r":[a-z0-9_+\-']+:"  # a Slack emoji code, ":white_check_mark:"
# Holiday wishes: "Happy holidays!", "Merry Christmas everyone", "Happy new year team".
_SEASON = re.compile(r"^\W*(?:happy|merry|season'?s)\s+(?:holidays?|christmas|xmas|new year|thanksgiving|easter|"
                     r"diwali|eid|hanukkah|halloween|lunar new year|friday|monday|weekend|greetings)\b", re.I)
SEASON_WORDS = frozenset("happy merry season seasons holiday holidays christmas xmas new year thanksgiving "
                         "easter diwali eid hanukkah halloween lunar friday monday weekend greetings".split())
# "I'm OOO today", "OOO until Monday", "out of office tomorrow": short, and first person or bare.
_OOO_SHORT = re.compile(r"^\W*(?:i\W?m\s+|i am\s+|i'll be\s+|i will be\s+|currently\s+)?"
                        r"(?:ooo|out of (?:the )?office|off|away|on (?:annual |parental )?leave|on vacation|"
                        r"on holiday)\b", re.I)
# Slack mrkdwn around a status line ("*Ticket #4821* was closed", "~old~") and emoji after it.
_FORMAT = re.compile(rf"(?<!\w)[*_~`]+|[*_~`]+(?!\w)|{_EMOJI}")
# "Thanks Carla!", "thank you so much Sam Lee :pray:": a thank-you and a name (capitalised as
# written), nothing after: not "Thanks Hank! Passing it on." (more is said), not "thanks Acme
# for the refund that never came".
_THANKS_NAME = re.compile(
    r"^\W*(?:thanks|thank you|thx|ty|cheers|merci|danke|gracias|grazie)(?:\s+(?:so much|a lot|very much))?"
    rf",?\s+(?-i:[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?)\s*[!.]*\s*(?:{_EMOJI}\s*)*$", re.I)

_MARKUP = re.compile(rf"<[@#!][^>]*>|<https?://[^>]*>|{_EMOJI}")
_WORD = re.compile(r"[+]?\w+(?:'\w+)?")

_OOO = re.compile(
    r"\b(out of (the )?office|ooo\b|auto(matic)?[- ]?reply|away from (the )?office|on (annual |parental )?"
    r"leave|on vacation|on holiday|currently away|i('| a)m away|back on \w+day|limited access to "
    r"(email|slack))", re.I)
# ... and said the way an automatic reply says it: when they are back.
_OOO_SHAPE = re.compile(r"\b(until|will be back|back (on|in)|return(ing)? (on|in)|limited access|"
                        r"auto(matic)?[- ]?reply|respond (when|on|after))\b", re.I)

# Helpdesk status lines, as Zendesk, Intercom, Freshdesk and HubSpot post them: "Ticket #4821
# was solved", "Conversation #123 closed by Sam", "Ticket 4821 status changed to Solved",
# "Status of ticket #123 changed to Resolved", "Ticket #987 moved to Closed", "Sam closed
# conversation #2154", "Status: pending", "Assignee changed". A line that says more than
# the status ("... but the bug is still there", "... without an answer", a question) is not
# one: someone is speaking.
_NOT_BARE = (r"(?![^\n]*(?:\?|\b(?:but|without|no|not|never|still|again|yet|although|though|because|"
             r"why|even|nobody|wrong|mistake|accident|i|we|my|our|us|\w+n[’']t)\b))")
_NOUN = r"(?:ticket|conversation|case|request|issue|incident|order|chat|pr|pull request)"
_ID = r"(?:#|no\.?\s?)?\s?[\w\-]*\d[\w\-]*"
# A subject between the id and the status: "#123 - Login loop - status changed to ...".
_SUBJECT = (r"(?:\s+[-–—:]\s+[^\n]{1,80}?\s+[-–—:]|\s*:\s*[^\n]{1,80}?\s+[-–—:]"
            r"|\s+[\"“][^\"”\n]{1,80}[\"”])?")
_VERB = (r"(?:closed|solved|resolved|reopened|re-opened|assigned|reassigned|unassigned|updated|merged|"
         r"created|opened|deployed|escalated|snoozed|archived|deleted|marked as [\w\-]+(?: [\w\-]+)?)")
_STATE = r"[\w\-]+(?:\s(?!to\b|by\b)[\w\-]+){0,3}"
_CHANGE = (rf"(?:(?:status|state|stage|pipeline stage|priority|assignee)\s+(?:was\s+|has been\s+)?"
           rf"(?:changed|updated|set|moved)|moved|set|changed)\s+(?:from\s+{_STATE}\s+)?to\s+{_STATE}")
# "... by Sam", "... to Priya", "... via email"; not "closed in ten minutes, amazing" (praise).
_TAIL = r"(?:\s+(?:by|to|from|via|as)\s+[^\n.!?,;]{1,40}?)?\s*[.!]?\s*$"
_HEAD = (rf"(?:(?:your|the)\s+)?(?:{_NOUN}\s*{_ID}|#?\d[\w\-]*|{_NOUN}(?=\s+[\"“])"
         rf"|{_NOUN}(?=\s+(?:was|has|is|got|{_VERB}|status|state|stage|moved|set|changed)\b))")
_STATUS = re.compile(
    rf"^\s*{_NOT_BARE}{_HEAD}{_SUBJECT}\s*:?\s+(?:(?:was|has been|is now|is|got)\s+)?(?:{_VERB}|{_CHANGE}){_TAIL}"
    rf"|^\s*{_NOT_BARE}(?:status|state) of (?:the )?{_NOUN}(?:\s*{_ID})?\s+(?:was\s+|has been\s+)?"
    rf"(?:changed|updated|set)\s+(?:from\s+{_STATE}\s+)?to\s+{_STATE}{_TAIL}"
    rf"|^\s*{_NOT_BARE}(?!(?:they|you|he|she|we|i|it|someone|somebody|support|nobody|no one|your|the)\b)"
    rf"[\w.'\-]+(?: [\w.'\-]+){{0,3}}\s+(?:has\s+)?(?:closed|solved|resolved|reopened|assigned|reassigned|"
    rf"merged|snoozed|escalated)\s+(?:the\s+)?{_NOUN}(?:\s*{_ID})?{_TAIL}"
    r"|^\s*[\w .'\-]{1,60}?\s+(?:changed|set|updated)\s+the\s+(?:status|priority|assignee|topic|"
    r"channel (?:topic|purpose|name))\b.{0,80}$"
    r"|^\s*(?:status|priority|assignee)\s+(?:changed|updated|set)\s+(?:from|to)\b.{0,80}$"
    # A ticket's field alone, as a helpdesk posts an update in the ticket's thread: "Status:
    # pending", "Priority: High", "Assignee changed", "Ticket status updated".
    rf"|^\s*{_NOT_BARE}(?:{_NOUN}(?:\s*{_ID})?\s+)?(?:status|state|priority|assignee|group)\s*:\s*"
    r"[\w\-]+(?:\s[\w\-]+){0,2}\s*\.?\s*$"
    rf"|^\s*(?:{_NOUN}\s+)?(?:status|state|priority|assignee|group)\s+(?:was\s+|has been\s+)?"
    r"(?:changed|updated|set|removed|cleared)\s*[.!]?\s*$"
    r"|^\s*reminder:\s.{0,200}$"
    r"|^\s*<?@?[\w .'\-]{1,60}>?\s+has (?:joined|left) the (?:channel|group)\.?\s*$", re.I | re.S)


def words_of(text: str) -> list[str]:
    """The message's words, lower-cased, without mentions, links and emoji."""
    return _WORD.findall(_MARKUP.sub(" ", text).lower())


def noise(text: str, *, subtype: str | None = None) -> str | None:
    """Why ``text`` is not feedback ("greeting", "thanks", "acknowledgement", "out of office",
    "status line", "laughter", "notice", "no words"), or None when it may be."""
    if subtype in NOTICE_SUBTYPES:
        return "notice"
    words = words_of(text)
    if not words:
        return "no words"
    if len(text) <= 600 and _OOO.search(text[:300]) and _OOO_SHAPE.search(text):
        return "out of office"
    if len(words) <= 6 and _OOO_SHORT.match(text) and _OOO.search(text):
        return "out of office"
    lines = text.strip().splitlines()
    if len(lines) == 1 and _STATUS.match(_FORMAT.sub("", lines[0]).strip()):
        return "status line"
    if len(words) > 8:
        return None
    if _SEASON.match(text) and all(w in GREETING | THANKS | FILLER | SEASON_WORDS for w in words):
        return "greeting"
    if all(_LAUGH.fullmatch(w) for w in words):
        return "laughter"
    courtesy = GREETING | THANKS | ACK | FILLER
    if not all(w in courtesy or _LAUGH.fullmatch(w) for w in words):
        return "thanks" if _THANKS_NAME.match(text.strip()) else None
    if any(w in THANK_WORDS for w in words):
        return "thanks"
    if any(w in GREETING and w not in ACK | FILLER | THANKS for w in words):
        return "greeting"
    return "acknowledgement"

