"""Playing the loop's steps of the story: *Start an improvement* clicked on a posted digest
and its modal submitted (signed block_actions and view_submission through the simulator),
the GitHub ``issues`` webhook signed as GitHub signs it, and a week of ``/feedback`` lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.demo import story as s
from bot.domain.loop import trackers
from bot.slack import improvements as ui

SETTLE_TIMEOUT = 15.0


class LoopStepError(Exception):
    """The story cannot go on (the digest has no such item, say); the message says why."""


@dataclass
class HookAnswer:
    """The webhook's HTTP answer, shown like a reply in the demo's output."""

    status: int
    body: dict[str, Any]

    def json(self) -> dict[str, Any]:
        return {"text": f"GitHub webhook → HTTP {self.status}: {self.body.get('result') or self.body}"}


async def act(demo: Any, step: s.Step) -> Any:
    if isinstance(step, s.Improve):
        return await improve(demo, step)
    if isinstance(step, s.Ship):
        return await ship(demo, step)
    if isinstance(step, s.Batch):
        last = None
        for line in step.lines:
            last = await demo.sim.slash(demo.user_id(step.who), demo.channel_id(step.room), line)
        return last
    raise TypeError(f"unknown step {step!r}")


async def improve(demo: Any, step: s.Improve) -> Any:
    digest = next((d for d in demo.digests if d.week == step.week), None)
    if digest is None:
        raise LoopStepError(f"no week {step.week} digest to start an improvement from")
    button = None
    for block in digest.blocks:
        accessory = block.get("accessory") or {}
        text = (block.get("text") or {}).get("text", "")
        if str(accessory.get("action_id", "")).startswith(ui.ACTION_START) and f". {step.process}*" in text:
            button = accessory
    if button is None:
        raise LoopStepError(f"the week {step.week} digest has no Improve item for {step.process}")
    user = demo.user_id(step.who)
    opened = len(demo.fake.calls_to("views.open"))
    await demo.sim.click(user, button["action_id"], channel=digest.channel, ts=digest.ts)
    await demo.fake.wait_for("views.open", count=opened + 1, timeout=SETTLE_TIMEOUT)
    view = demo.state.last_view(user=user, type="modal")
    if view is None:
        raise LoopStepError("the improvement form did not open")
    values: dict[str, Any] = {ui.BLOCK_PROCESS: button["value"], ui.BLOCK_TITLE: step.title,
                              ui.BLOCK_DESCRIPTION: step.description, ui.BLOCK_LINK: step.link,
                              ui.BLOCK_OWNER: user}
    for block in view.get("blocks", []):
        if str(block.get("block_id", "")).startswith(ui.BLOCK_REMARKS):
            # As proposed: every complaint ticked (Slack sends the initial options back).
            values[block["block_id"]] = [o["value"] for o in block["element"].get("initial_options") or []]
    return await demo.sim.submit_view(user, values)


def github_issue_closed(link: str, closer: str, closed_at: dt.datetime) -> dict[str, Any]:
    """An ``issues`` event with action ``closed``, shaped as GitHub sends it (trimmed)."""
    stamp = closed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    repo = link.split("github.com/", 1)[1].split("/issues/", 1)[0]
    number = int(link.rsplit("/", 1)[1])
    return {
        "action": "closed",
        "issue": {"url": f"https://api.github.com/repos/{repo}/issues/{number}", "html_url": link,
                  "number": number, "title": "Invoices: current VAT number and signed price", "state": "closed",
                  "state_reason": "completed", "closed_at": stamp, "updated_at": stamp,
                  "user": {"login": closer}},
        "repository": {"full_name": repo, "html_url": f"https://github.com/{repo}"},
        "sender": {"login": closer, "type": "User"},
    }


async def ship(demo: Any, step: s.Ship) -> HookAnswer:
    # The admin set the webhook up on GitHub with the URL and secret `/feedback hooks` shows.
    secret = await trackers.ensure_secret(demo.runtime.services, demo.team_id)
    body = json.dumps(github_issue_closed(step.link, s.PEOPLE[step.by].name, demo.clock())).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/demo",
               "X-GitHub-Event": "issues", "X-GitHub-Delivery": str(uuid.uuid4()),
               "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    url = f"http://127.0.0.1:{demo.port}/hooks/github?team={demo.team_id}"
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        answer = await resp.json(content_type=None)
        return HookAnswer(resp.status, answer if isinstance(answer, dict) else {"result": str(answer)})
