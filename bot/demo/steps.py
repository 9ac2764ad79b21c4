"""The demo's cast (Northwind Metrics, its people and rooms) and the kinds of step the story
is made of. Pure data, no I/O; the script itself is bot/demo/story.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# ---------------------------------------------------------------------------- the cast

TEAM_ID = "T0NORTHWND"
TEAM_NAME = "Northwind Metrics"
TEAM_DOMAIN = "northwind-metrics"


@dataclass(frozen=True)
class Person:
    key: str
    user_id: str
    name: str  # Slack handle
    real_name: str
    role: str
    team_id: str = TEAM_ID
    admin: bool = False


ALICE = Person("alice", "U0ALICE001", "alice", "Alice Moreau", "Head of Customer Success", admin=True)
BOB = Person("bob", "U0BOB00001", "bob", "Bob Okafor", "Support lead")
CARLA = Person("carla", "U0CARLA001", "carla", "Carla Reyes", "Account executive")
DAN = Person("dan", "U0DAN00001", "dan", "Dan Kowalski", "Head of operations (owns Billing)")
# A customer, speaking for herself in a Slack Connect channel shared with Kestrel Freight.
KESTREL_TEAM = ("T0KESTREL1", "Kestrel Freight", "kestrel-freight")
MAYA = Person("maya", "U0MAYA0001", "maya.lindqvist", "Maya Lindqvist", "Ops director, Kestrel Freight",
              team_id=KESTREL_TEAM[0])

TEAMMATES = (ALICE, BOB, CARLA, DAN)
PEOPLE = {p.key: p for p in (*TEAMMATES, MAYA)}


def first_name(who: str) -> str:
    """How the captions name a person of the story."""
    return PEOPLE[who].real_name.split()[0]


@dataclass(frozen=True)
class Room:
    key: str
    channel_id: str
    name: str
    purpose: str
    slack_connect: bool = False


GENERAL = Room("general", "C0GENERAL1", "general", "Company-wide")
SUPPORT = Room("support", "C0SUPPORT1", "support", "Support team: tickets, calls, escalations")
SALES = Room("sales", "C0SALES001", "sales", "Deals, renewals and call recaps")
PRODUCT = Room("product", "C0PRODUCT1", "product", "Product team; the weekly feedback digest lands here")
KESTREL = Room("kestrel", "C0KESTREL1", "ext-kestrel-freight",
               "Slack Connect: Northwind Metrics <> Kestrel Freight", slack_connect=True)
ROOMS = {r.key: r for r in (GENERAL, SUPPORT, SALES, PRODUCT, KESTREL)}

DIGEST_ROOM = PRODUCT
WEEKS = 7  # three weeks of feedback, then the loop closes over four more

# ---------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class At:
    """``day`` 0 is the Monday the story starts (UTC); ``time`` is HH:MM that day."""

    day: int
    time: str

    def offset(self) -> dt.timedelta:
        hours, minutes = (int(x) for x in self.time.split(":"))
        return dt.timedelta(days=self.day, hours=hours, minutes=minutes)

    def label(self) -> str:
        week, weekday = divmod(self.day, 7)
        return f"Week {week + 1} · {('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[weekday]} {self.time}"


@dataclass(frozen=True)
class Say:
    """A message in a channel (``thread``: the name of the message it replies to)."""

    at: At
    who: str
    room: str
    text: str
    name: str | None = None
    thread: str | None = None

    def caption(self) -> str:
        return f"{first_name(self.who)} posts in #{ROOMS[self.room].name}"


@dataclass(frozen=True)
class React:
    """A capture emoji on a message (a second person reacting is an endorsement)."""

    at: At
    who: str
    message: str
    emoji: str = "memo"

    def caption(self) -> str:
        return f"{first_name(self.who)} reacts :{self.emoji}:"


@dataclass(frozen=True)
class Forward:
    """Forward a message to the bot's DM; the original lives only in the share attachment."""

    at: At
    who: str
    message: str
    comment: str = ""

    def caption(self) -> str:
        return f"{first_name(self.who)} forwards a message to Earshot"


@dataclass(frozen=True)
class Mention:
    """``@Earshot`` in the thread of ``message``: files that thread's parent."""

    at: At
    who: str
    message: str
    note: str

    def caption(self) -> str:
        return f"{first_name(self.who)} mentions @earshot in a thread"


@dataclass(frozen=True)
class Shortcut:
    """"File customer feedback" on a message, then the modal submitted."""

    at: At
    who: str
    message: str
    process: str
    sentiment: str
    customer: str = ""
    note: str = ""

    def caption(self) -> str:
        return f"{first_name(self.who)} files a message with the shortcut"


@dataclass(frozen=True)
class Command:
    """``/feedback <text>`` typed in a channel."""

    at: At
    who: str
    room: str
    text: str

    def caption(self) -> str:
        word = self.text.split(" ", 1)[0] if self.text and not self.text.startswith("[") else "…"
        return f"{first_name(self.who)} types /feedback {word}"


@dataclass(frozen=True)
class Edit:
    """The author edits a message (a captured one: the remark follows)."""

    at: At
    message: str
    text: str

    def caption(self) -> str:
        return "A captured message is edited"


@dataclass(frozen=True)
class Delete:
    """The author deletes a message (a captured one: Earshot forgets its text)."""

    at: At
    message: str

    def caption(self) -> str:
        return "A captured message is deleted"


@dataclass(frozen=True)
class Correct:
    """One click in the private confirmation: the remark goes under ``process``."""

    at: At
    who: str
    message: str
    process: str

    def caption(self) -> str:
        return f"{first_name(self.who)} corrects a filing with one click"


@dataclass(frozen=True)
class WeekEnds:
    """Monday 09:00 comes: the scheduler posts the week's digest (exactly once)."""

    at: At
    week: int

    def caption(self) -> str:
        return f"Monday 09:00: the week {self.week} digest is due"


@dataclass(frozen=True)
class Improve:
    """*Start an improvement* on the ``process`` item of the week ``week`` digest, then the
    modal submitted with the complaints it proposes (all ticked) and these fields."""

    at: At
    who: str
    week: int
    process: str
    title: str
    description: str
    link: str

    def caption(self) -> str:
        return f"{first_name(self.who)} presses Start an improvement on the week {self.week} digest"


@dataclass(frozen=True)
class Ship:
    """GitHub sends the signed ``issues`` webhook: the linked issue was closed."""

    at: At
    link: str
    by: str

    def caption(self) -> str:
        return f"{first_name(self.by)} closes the GitHub issue; GitHub calls /hooks/github"


@dataclass(frozen=True)
class Batch:
    """A week of routine feedback typed with ``/feedback`` (one remark per line)."""

    at: At
    who: str
    room: str
    lines: tuple[str, ...]
    summary: str

    def caption(self) -> str:
        return f"{first_name(self.who)} files {len(self.lines)} remarks: {self.summary}"


@dataclass(frozen=True)
class Registry:
    """An admin imports the customer registry from a file, as ``earshot customers import
    FILE`` does: the customers' tiers, yearly values, account owners and Slack Connect team."""

    at: At
    who: str
    file: str  # the file's name, as the admin would type it
    text: str  # its YAML

    def caption(self) -> str:
        return f"{first_name(self.who)} imports the customer registry ({self.file})"


Step = (Registry | Say | React | Forward | Mention | Shortcut | Command | Edit | Delete | Correct
        | WeekEnds | Improve | Ship | Batch)
