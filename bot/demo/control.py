"""`earshot demo --keep`: a small door on loopback so `earshot demo send …` can act in the
fake workspace while the demo keeps running.

The running demo serves ``POST /send`` on 127.0.0.1 (a random port and a random token,
written to ``demo.json`` in the demo's folder). Each request is one person acting in
Slack: the demo plays it through the simulator, so the bot receives exactly what Slack
would send (signed, real-shaped), and the answer is what the bot showed, rendered as text.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.demo import story as s
from bot.demo.render import Style, boxed, message_lines
from bot.demo.runner import Demo, DemoError, Played

STATE_FILE = "demo.json"
ACTIONS = ("feedback", "say", "react", "forward", "mention", "week")


def at_now(demo: Demo, *, later_minutes: int = 1) -> s.At:
    """A story time a minute after the demo's clock (the clock only moves forward)."""
    now = demo.clock() + dt.timedelta(minutes=later_minutes)
    day = (now.date() - demo.story_start.date()).days
    return s.At(day, now.strftime("%H:%M"))


class Control:
    def __init__(self, demo: Demo, folder: Path) -> None:
        self.demo = demo
        self.folder = folder
        self.token = secrets.token_urlsafe(24)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self._said = 0

    @property
    def state_path(self) -> Path:
        return self.folder / STATE_FILE

    async def start(self) -> None:
        app = web.Application(client_max_size=256 * 1024)
        app.router.add_post("/send", self._send)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"
        state = {
            "control_url": self.url,
            "token": self.token,
            "events_url": self.demo.events_url,
            "api_url": self.demo.fake.api_url,
            "pid": os.getpid(),
            "team_id": self.demo.team_id,
            "people": {k: p.user_id for k, p in s.PEOPLE.items()},
            "channels": {r.name: r.channel_id for r in s.ROOMS.values()},
        }
        self.state_path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        os.chmod(self.state_path, 0o600)  # it holds the token

    async def stop(self) -> None:
        try:
            self.state_path.unlink(missing_ok=True)
        except OSError:
            pass
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def _send(self, request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, self.token):
            return web.json_response({"ok": False, "error": "bad token"}, status=401)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False, "error": "send JSON"}, status=400)
        try:
            result = await self.act(body if isinstance(body, dict) else {})
        except (DemoError, LookupError, ValueError) as e:
            return web.json_response({"ok": False, "error": str(e)}, status=400)
        return web.json_response({"ok": True, **result})

    async def act(self, body: dict[str, Any]) -> dict[str, Any]:
        """Play one action; returns what the bot showed, as text lines."""
        action = str(body.get("action", ""))
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        who = str(body.get("as") or {"say": "bob", "feedback": "carla"}.get(action, "alice")).lower()
        if who not in s.PEOPLE:
            raise ValueError(f"unknown person {who!r}; use one of {', '.join(s.PEOPLE)}")
        room = _room(str(body.get("channel") or ("sales" if action == "feedback" else "support")))
        at = at_now(self.demo)
        step: s.Step
        result: dict[str, Any] = {}
        if action == "feedback":
            step = s.Command(at, who, room, str(body.get("text", "")))
        elif action == "say":
            text = str(body.get("text", "")).strip()
            if not text:
                raise ValueError("say what? e.g. earshot demo send say \"Harbor loves the new export\"")
            self._said += 1
            name = f"sent-{self._said}"
            step = s.Say(at, who, room, text, name=name)
        elif action == "week":
            step = self._week_end()
        else:
            name = self._message_named(str(body.get("ts", "")))
            if action == "react":
                step = s.React(at, who, name, emoji=str(body.get("emoji") or "memo").strip(":"))
            elif action == "forward":
                step = s.Forward(at, who, name, comment=str(body.get("text") or ""))
            else:
                step = s.Mention(at, who, name, note=str(body.get("text") or ""))
        played = await self.demo.play(step)
        if isinstance(step, s.Say):
            result["ts"] = self.demo.messages[step.name or ""][1]
            result["channel"] = "#" + s.ROOMS[room].name
        if isinstance(step, s.WeekEnds):
            posted = [d for d in self.demo.digests if d.week == step.week]
            if posted:
                result["digest_file_hint"] = f"week {step.week} digest posted to #{s.DIGEST_ROOM.name}"
        result["shown"] = render_played(self.demo, played)
        if played.error:
            result["note"] = played.error
        return result

    def _week_end(self) -> s.WeekEnds:
        weeks = max((d.week for d in self.demo.digests), default=s.WEEKS)
        week = weeks + 1
        at = s.At(7 * week, "09:00")
        if self.demo.story_start + at.offset() <= self.demo.clock():
            raise ValueError("that week is over already")
        return s.WeekEnds(at, week)

    def _message_named(self, ts: str) -> str:
        ts = ts.strip()
        if not ts:
            raise ValueError("which message? pass its ts (printed by `earshot demo send say`)")
        for name, (_channel, known) in self.demo.messages.items():
            if known == ts:
                return name
        for channel in self.demo.state.channels.values():
            if ts in self.demo.state.messages.get(channel.id, {}):
                self.demo.messages[ts] = (channel.id, ts)
                return ts
        raise LookupError(f"no message with ts {ts} in the demo workspace")


def _room(name: str) -> str:
    name = name.strip().lstrip("#")
    for key, room in s.ROOMS.items():
        if name in (key, room.name, room.channel_id):
            return key
    raise ValueError(f"unknown channel #{name}; use one of "
                     + ", ".join("#" + r.name for r in s.ROOMS.values()))


def render_played(demo: Demo, played: Played, *, style: Style | None = None) -> list[str]:
    """What the bot showed people during a step, as framed text."""
    names = demo.names()
    lines: list[str] = []
    for shown in played.shown:
        who = f" to {names.user(shown.user)}" if shown.user else ""
        where = f" in #{names.channel(shown.channel)}" if shown.channel else ""
        title = {"ephemeral": f"private message{who}{where}", "reply": "the bot's reply (only you see it)",
                 "update": "the confirmation, updated in place", "modal": "a modal opened",
                 "message": f"posted{where}", "dm": "a direct message"}.get(shown.kind, shown.kind)
        lines += boxed(title, message_lines(shown.message, names, style=style), style=style)
    return lines
