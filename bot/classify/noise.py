"""What is not feedback, in a watched channel or a backfill: greetings, thanks, "+1",
"resolved", out-of-office replies, joins and other system notices, and status lines such as
"Ticket #4821 was closed".

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
                     "guys there welcome back howdy greetings".split())
THANKS = frozenset("thanks thank you thx ty tysm cheers appreciated appreciate much many lot lots so "
                   "very great awesome perfect nice cool amazing brilliant lovely kudos".split())
ACK = frozenset("ok okay k kk yes yep yup no nope sure noted got it will do done resolved fixed "
                "closed solved merged shipped same here me too agreed agree lgtm sounds works "
                "working on it looking into this that checking ack roger understood np problem "
                "welcome fine great good +1 1 plus one".split())
FILLER = frozenset("a an the and for it this that all to you guys again now just i we 's is "
                   "was be will all".split())

_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|:[a-z0-9_+\-']+:")
_WORD = re.compile(r"[+]?\w+(?:'\w+)?")

_OOO = re.compile(
    r"\b(out of (the )?office|ooo\b|auto(matic)?[- ]?reply|away from (the )?office|on (annual |parental )?"
    r"leave|on vacation|on holiday|currently away|i('| a)m away|back on \w+day|limited access to "
    r"(email|slack))", re.I)
# ... and said the way an automatic reply says it: when they are back.
_OOO_SHAPE = re.compile(r"\b(until|will be back|back (on|in)|return(ing)? (on|in)|limited access|"
                        r"auto(matic)?[- ]?reply|respond (when|on|after))\b", re.I)
_STATUS = re.compile(
    r"^\s*(?:(?:ticket|case|issue|conversation|request|order|incident|pr|pull request)\s*)?#?\s?[\w\-]*\d[\w\-]*\s+"
    r"(?:was|has been|is now|got)\s+(?:closed|solved|resolved|assigned|reassigned|updated|reopened|"
    r"merged|created|opened|deployed|escalated|snoozed|archived|deleted)\b.{0,80}$"
    r"|^\s*[\w .'\-]{1,60}?\s+(?:changed|set|updated)\s+the\s+(?:status|priority|assignee|topic|"
    r"channel (?:topic|purpose|name))\b.{0,80}$"
    r"|^\s*(?:status|priority|assignee)\s+(?:changed|updated|set)\s+(?:from|to)\b.{0,80}$"
    r"|^\s*reminder:\s.{0,200}$"
    r"|^\s*<?@?[\w .'\-]{1,60}>?\s+has (?:joined|left) the (?:channel|group)\.?\s*$", re.I | re.S)


def words_of(text: str) -> list[str]:
    """The message's words, lower-cased, without mentions, links and emoji."""
    return _WORD.findall(_MARKUP.sub(" ", text).lower())


def noise(text: str, *, subtype: str | None = None) -> str | None:
    """Why ``text`` is not feedback ("greeting", "thanks", "acknowledgement", "out of office",
    "status line", "notice", "no words"), or None when it may be."""
    if subtype in NOTICE_SUBTYPES:
        return "notice"
    words = words_of(text)
    if not words:
        return "no words"
    if len(text) <= 600 and _OOO.search(text[:300]) and _OOO_SHAPE.search(text):
        return "out of office"
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    if len(text.strip().splitlines()) == 1 and _STATUS.match(first_line):
        return "status line"
    if len(words) > 8:
        return None
    courtesy = GREETING | THANKS | ACK | FILLER
    if not all(w in courtesy for w in words):
        return None
    if any(w in THANKS and w not in ACK for w in words) and ("thank" in text.lower() or "thx" in words
                                                            or "ty" in words or "cheers" in words
                                                            or "kudos" in words or "tysm" in words):
        return "thanks"
    if any(w in GREETING and w not in ACK | FILLER | THANKS for w in words):
        return "greeting"
    return "acknowledgement"
