"""The act a remark asks for (theme_vectors.py weighs it): *ask* (a question, or a request to
read or tell: ``what's on my calendar``, ``tell me my alarms``, ``show unread emails``) or
*do* (a command to change something: ``cancel my order``, ``turn off the lights``).

Told by the word a remark opens on past politeness (``command_head.HEAD_SKIP``). A question
word or a verb of reading is *ask*. The opening word is *do* only when it is a verb: a common
English verb of the list below, or any word followed by what a command's object opens on
(``mute the tv``, ``snooze it``, ``turn off``). A remark opening on a noun (``invoice never
arrived``, ``no invoice received yet``) or a function word (``my card is...``) has no act:
the sixth theme pass read every such opener as a command and split an invoice process.
On since the eighth theme pass (``theme_vectors.ACT_WEIGHT`` 1.2: docs/classifier.md,
"Themes, eighth pass").
"""

from __future__ import annotations

from typing import Literal

from .command_head import HEAD_QUESTION, HEAD_SKIP
from .text import STOPWORDS, routing_words

Act = Literal["ask", "do"]

WH = frozenset("what whats how hows why when whens where wheres which who whos whose whom".split())
# Verbs asking to read or tell: a request for information, as a question is.
READ_VERBS = frozenset(
    """tell show read list check find give confirm look search let say know see describe
    explain display lookup report remind define spell recommend suggest locate""".split()
)
# Common English verbs a request opens on (base forms; general, not from any evaluation
# set). Many are nouns too (``order``, ``book``, ``charge``): as a remark's first word past
# politeness they are read as verbs.
COMMAND_VERBS = frozenset(
    """accept activate add adjust allow answer apply approve arrange assign attach back block
    book bring buy calculate call cancel change charge choose clean clear close collect
    compare complete compose connect contact continue convert cook copy correct create cut
    deactivate decrease delete deliver deposit dial disable disconnect download drop edit
    email empty enable end enter erase exchange fill finish fix follow forward freeze get go
    hear help hide hold include increase inform install invite join keep launch learn leave
    listen load lock log lower mail make mark message move mute note notify open order pause
    pay pick place play post prepare print provide put raise rate reach record reduce refund
    register reject reload remember remove rename renew repeat replace reply request
    reschedule reserve reset respond restart resume return run save schedule send set share
    shut sign silence skip sort speak start stop submit subscribe swap switch take talk text
    top track transfer translate try tune turn tweet type undo unlock unmute unsubscribe
    update upgrade upload use verify wake watch withdraw write""".split()
)
# What a command's object or particle opens on, right after its verb.
OBJECT_WORDS = frozenset(
    """a an the my me this that these those all some off on up down out it us him her them
    your our any every""".split()
)


def act(text: str) -> Act | None:
    """``ask``, ``do``, or None (opens on a noun or a function word, or has no words)."""
    words = [w for w in routing_words(text) if not w.isdigit()]
    for i, w in enumerate(words):
        if w in HEAD_SKIP:
            continue
        if w in WH or w in HEAD_QUESTION or w in READ_VERBS:
            return "ask"
        if w in STOPWORDS:
            return None
        if w in COMMAND_VERBS or (i + 1 < len(words) and words[i + 1] in OBJECT_WORDS):
            return "do"
        return None
    return None
