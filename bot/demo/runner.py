"""Play the story: the real bot on loopback, the Slack stand-in, and a clock that moves.

One process holds everything: `FakeSlack` (the bundled stand-in) on 127.0.0.1, the bot
started by the same function as `earshot serve` (bot.server.serve.start_http), its own settings
(a throwaway token and signing secret, SLACK_API_URL = the stand-in, a temporary SQLite
database unless a URL is given), and a simulated clock. The clock is the stand-in's
workspace clock: message timestamps come from it, and the bot's `Services.clock` reads it,
so a remark typed on "Tuesday of week 2" is dated then and the scheduler sees Monday
09:00 arrive three times.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.config import Settings
from bot.demo import loop_play
from bot.demo import story as s
from bot.demo.readback import (
    Shown,
    digest_posts,
    message_of,
    names,
    option_value,
    remark_rows,
    shown_since,
)
from bot.demo.render import Names
from bot.domain.services import Services
from bot.fakeslack import FakeSlack, Workspace
from bot.server.scheduler import DigestScheduler
from bot.server.serve import start_http
from bot.slack import blocks as b
from bot.slack import modals
from storage.migrate import upgrade_async
from storage.repositories import InboxRepository

log = logging.getLogger("earshot.demo")

SETTLE_TIMEOUT = 15.0


class DemoError(Exception):
    """Something a person can fix (port taken, database unreachable); the message says how."""


@dataclass
class Played:
    step: s.Step
    at: dt.datetime
    shown: list[Shown] = field(default_factory=list)
    error: str | None = None


@dataclass
class PostedDigest:
    week: int
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    due_at: dt.datetime
    posts: int  # chat.postMessage calls with this digest: must be 1
    chart: bytes | None = None
    chart_name: str | None = None


@dataclass
class Options:
    database_url: str | None = None
    port: int = 0
    keep: bool = False


def _settings(fake: FakeSlack, *, database_url: str, port: int) -> Settings:
    # Every value the demo depends on is given explicitly, so a developer's environment or
    # .env (a real token, another emoji) cannot change what the demo shows.
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]  # pydantic-settings' own init argument, not a field
        slack_bot_token=SecretStr(fake.bot_token),
        slack_signing_secret=SecretStr(fake.signing_secret),
        slack_app_token=None,
        slack_api_url=fake.api_url,
        database_url=database_url,
        host="127.0.0.1",
        port=port or 3000,
        capture_emoji="memo,speech_balloon",
        captured_emoji="inbox_tray",
        log_level="WARNING",
        admin_users="",
        classify_threshold=None,
        run_scheduler=False,
        digest_grace_hours=24,
        default_timezone="UTC",
    )
    # Port 0 (any free port) is not a valid PORT for `earshot serve`, but binding it is
    # exactly what the demo wants: no race with another program between choosing and binding.
    return settings if port else settings.model_copy(update={"port": 0})


def build_workspace(start: dt.datetime, team_id: str = s.TEAM_ID) -> Workspace:
    """The stand-in's workspace: Northwind Metrics, its people and channels, a Slack
    Connect channel shared with Kestrel Freight, the clock at the story's start."""
    ws = Workspace(team_id=team_id, team_name=s.TEAM_NAME, domain=s.TEAM_DOMAIN,
                   start_ts=start.timestamp())
    for p in s.TEAMMATES:
        ws.add_user(p.user_id, p.name, p.real_name, is_admin=p.admin, is_owner=p.admin, tz="UTC")
    kid, kname, kdomain = s.KESTREL_TEAM
    ws.add_team(kid, kname, kdomain)
    ws.add_user(s.MAYA.user_id, s.MAYA.name, s.MAYA.real_name, team_id=kid, tz="UTC")
    humans = [p.user_id for p in s.TEAMMATES]
    for room in s.ROOMS.values():
        members = humans + ([s.MAYA.user_id] if room.slack_connect else [])
        ws.add_channel(room.name, id=room.channel_id, members=members, purpose=room.purpose,
                       is_ext_shared=room.slack_connect,
                       shared_team_ids=[team_id, kid] if room.slack_connect else None)
    return ws


class Demo:
    """The running demo: stand-in, bot, simulator and what was shown along the way."""

    def __init__(self, options: Options, *, now: Callable[[], dt.datetime] | None = None) -> None:
        self.options = options
        wall = (now or (lambda: dt.datetime.now(dt.UTC)))()
        self.story_start = s.start_of_story(wall)
        # A fresh team id per run on a database the person named, so runs never share rows
        # (or digest claims); the throwaway SQLite file always starts empty.
        self.team_id = s.TEAM_ID if options.database_url is None else "T0NW" + secrets.token_hex(4).upper()
        self.state = build_workspace(self.story_start, self.team_id)
        self.fake = FakeSlack(bot_token="xoxb-demo-" + secrets.token_hex(8),
                              signing_secret=secrets.token_hex(16), state=self.state)
        self.tmp: Path | None = None
        self.settings: Settings | None = None
        self.runtime: Any = None
        self.http: Any = None
        self.port = 0
        self.sim: Any = None
        self.messages: dict[str, tuple[str, str]] = {}  # story name -> (channel, ts)
        self.confirmations: dict[tuple[str, str], Shown] = {}  # (message name, user) -> shown
        self.played: list[Played] = []
        self.digests: list[PostedDigest] = []
        self.scheduler: Any = None
        self.scheduler_ticks = 0

    # ------------------------------------------------------------------ clock
    def clock(self) -> dt.datetime:
        """The simulated now (the stand-in's workspace clock), for the bot's Services."""
        return dt.datetime.fromtimestamp(self.state.now(), dt.UTC)

    def move_to(self, at: dt.datetime) -> None:
        ahead = (at - self.clock()).total_seconds()
        if ahead > 0:
            self.state.advance(ahead)

    # ------------------------------------------------------------------ lifecycle
    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def database_label(self) -> str:
        url = self.settings.database_url if self.settings else ""
        if url.startswith("sqlite"):
            return "SQLite (a throwaway file)" if self.options.database_url is None else "SQLite"
        return "PostgreSQL"

    async def start(self) -> None:

        await self.fake.start()
        url = self.options.database_url
        if url is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="earshot-demo-"))
            url = f"sqlite+aiosqlite:///{self.tmp / 'earshot-demo.db'}"
        self.settings = _settings(self.fake, database_url=url, port=self.options.port)
        try:
            # The demo owns its database: bring the schema up to date (PostgreSQL included).
            await upgrade_async(self.settings.database_url)
        except Exception as e:
            raise DemoError(f"cannot prepare the database ({type(e).__name__}: {e}). "
                            "Check --database-url.") from None
        services = Services.create(self.settings)
        services.clock = self.clock
        try:
            self.http, self.runtime, self.port = await start_http(self.settings, services=services)
        except OSError as e:
            raise DemoError(f"port {self.options.port} on 127.0.0.1 is in use ({e.strerror}). "
                            "Pass another --port, or leave --port out to pick a free one.") from None
        self.sim = self.fake.simulator(self.events_url)
        # The real digest clock, driven by hand: each `poll()` is one scheduler tick (reload
        # schedules, post whatever is due); its "now" is `services.clock`, the demo's clock.

        self.scheduler = DigestScheduler(self.runtime.services)

    async def stop(self) -> None:
        """Stop everything started, in reverse order, within a bounded time."""
        async def steps() -> None:
            if self.http is not None:
                await self.http.cleanup()
                self.http = None
            if self.runtime is not None:
                await self.runtime.stop()
                await self.runtime.services.close()
                self.runtime = None
            await self.fake.stop()

        try:
            await asyncio.wait_for(steps(), timeout=15)
        except TimeoutError:
            log.warning("demo: shutdown took too long; exiting anyway")
        finally:
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:  # noqa: ASYNC109
        """Wait until the bot has finished every delivery it acknowledged."""

        deadline = time.monotonic() + timeout
        while True:
            async with self.runtime.services.sessions() as session:
                if await InboxRepository(session).pending_count() == 0:
                    return
            if time.monotonic() > deadline:
                raise DemoError("the bot did not finish its work in time")
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------------ playing
    def user_id(self, key: str) -> str:
        return s.PEOPLE[key].user_id

    def channel_id(self, key: str) -> str:
        return s.ROOMS[key].channel_id

    async def play(self, step: s.Step) -> Played:
        """Play one step at its time; returns what the bot showed people meanwhile."""
        self.move_to(self.story_start + step.at.offset())
        played = Played(step, self.clock())
        mark = len(self.fake.calls)
        delivery = None
        if isinstance(step, s.WeekEnds):
            await self.week_ends(step, played)
        else:
            delivery = await self._act(step)
            await self.settle()
        played.shown += shown_since(self.fake, mark, delivery)
        self._remember_confirmations(step, played)
        self.played.append(played)
        return played

    async def _act(self, step: s.Step) -> Any:
        sim = self.sim
        if isinstance(step, s.Registry | s.Improve | s.Ship | s.Batch):
            return await loop_play.act(self, step)
        if isinstance(step, s.Say):
            thread = self.messages[step.thread][1] if step.thread else None
            msg = await sim.say(self.user_id(step.who), self.channel_id(step.room), step.text,
                                thread_ts=thread)
            if step.name:
                self.messages[step.name] = (self.channel_id(step.room), msg["ts"])
            return None
        if isinstance(step, s.React):
            channel, ts = self.messages[step.message]
            return await sim.react(self.user_id(step.who), channel, ts, step.emoji)
        if isinstance(step, s.Forward):
            channel, ts = self.messages[step.message]
            await sim.forward(self.user_id(step.who), channel, ts, "dm", step.comment)
            return None
        if isinstance(step, s.Mention):
            channel, ts = self.messages[step.message]
            text = f"<@{self.state.bot_user_id}> {step.note}".strip()
            await sim.say(self.user_id(step.who), channel, text, thread_ts=ts)
            return None
        if isinstance(step, s.Command):
            return await sim.slash(self.user_id(step.who), self.channel_id(step.room), step.text)
        if isinstance(step, s.Shortcut):
            return await self._shortcut(step)
        if isinstance(step, s.Edit):
            channel, ts = self.messages[step.message]
            author = self.state.get_message(channel, ts)["user"]
            await sim.edit(author, channel, ts, step.text)
            return None
        if isinstance(step, s.Delete):
            channel, ts = self.messages[step.message]
            author = self.state.get_message(channel, ts)["user"]
            await sim.delete(author, channel, ts)
            return None
        if isinstance(step, s.Correct):
            return await self._correct(step)
        raise TypeError(f"unknown step {step!r}")

    async def _shortcut(self, step: s.Shortcut) -> Any:

        user = self.user_id(step.who)
        channel, ts = self.messages[step.message]
        opened = len(self.fake.calls_to("views.open"))
        await self.sim.shortcut(user, channel, ts, modals.CALLBACK_ID)
        await self.fake.wait_for("views.open", count=opened + 1, timeout=SETTLE_TIMEOUT)
        view = self.state.last_view(user=user, type="modal")
        assert view is not None
        values: dict[str, Any] = {
            modals.BLOCK_PROCESS: self._option(view.get("blocks", []), modals.ACTION_PROCESS, step.process),
            modals.BLOCK_SENTIMENT: step.sentiment,
        }
        if step.customer:
            values[modals.BLOCK_CUSTOMER] = step.customer
        if step.note:
            values[modals.BLOCK_NOTE] = step.note
        return await self.sim.submit_view(user, values)

    async def _correct(self, step: s.Correct) -> Any:

        user = self.user_id(step.who)
        shown = self.confirmations.get((step.message, user))
        if shown is None:
            raise DemoError(f"no confirmation was shown to {step.who} for {step.message}")
        channel = shown.channel or self.channel_id("general")
        # The process menu loads the current processes when opened, as in Slack.
        options = await self.sim.suggest(user, shown.message["blocks"], b.ACTION_PROCESS,
                                         channel=channel)
        found = self._option([{"elements": [{"action_id": b.ACTION_PROCESS, "options": options}]}],
                              b.ACTION_PROCESS, step.process)
        return await self.sim.click_ephemeral(user, shown.message["blocks"], b.ACTION_PROCESS,
                                              channel=channel, value=found)

    async def remarks(self) -> list[dict[str, Any]]:
        """Every remark the bot filed, readable (for the CSV and the summary)."""
        return await remark_rows(self.runtime.services, self.state, self.team_id)

    def names(self) -> Names:
        return names(self.state)

    @staticmethod
    def _option(blocks: list[dict[str, Any]], action_id: str, label: str) -> str:
        try:
            return option_value(blocks, action_id, label)
        except LookupError as e:
            raise DemoError(str(e)) from None

    def _remember_confirmations(self, step: s.Step, played: Played) -> None:
        name = getattr(step, "message", None)
        who = getattr(step, "who", None)
        if not name or not who:
            return
        for shown in played.shown:
            if shown.kind == "ephemeral" and shown.user == self.user_id(who):
                self.confirmations[(name, shown.user)] = shown

    # ------------------------------------------------------------------ the weekly digest
    async def week_ends(self, step: s.WeekEnds, played: Played) -> None:
        """Monday 09:00 has come: let the scheduler post what is due, then tick again to
        show that a second run (another process, a restart) posts nothing more."""
        channel = s.DIGEST_ROOM.channel_id
        before = len(digest_posts(self.fake, channel))
        files_before = set(self.state.files)
        for minutes in (2, 7):  # two scheduler ticks after the slot
            self.move_to(self.story_start + step.at.offset() + dt.timedelta(minutes=minutes))
            await self.scheduler.poll()
            await self.scheduler.owner_alerts()
            self.scheduler_ticks += 1
            await self.settle()
        posts = digest_posts(self.fake, channel)[before:]
        if not posts:
            played.error = "no digest was posted"
            return
        first = posts[0]
        msg = message_of(first.params)
        chart_name, chart = None, None
        for fid in self.state.files:
            if fid in files_before:
                continue
            f = self.state.files[fid]
            if f.get("content") and str(f.get("name", "")).lower().endswith(".png"):
                chart_name, chart = str(f["name"]), bytes(f["content"])
        self.digests.append(PostedDigest(
            week=step.week, channel=channel, ts=str(first.response.get("ts", "")),
            text=str(msg.get("text", "")), blocks=list(msg.get("blocks") or []),
            due_at=self.story_start + step.at.offset(), posts=len(posts), chart=chart, chart_name=chart_name,
        ))

    # ------------------------------------------------------------------ reading back
__all__ = ["Demo", "DemoError", "Options", "Played", "PostedDigest", "Shown", "build_workspace"]
