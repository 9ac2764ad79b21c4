"""``/feedback hooks out add|list|remove|test|resume|rotate``: outbound webhooks (admins; the rule is
checked in bot.domain.workspace.hooks_admin)."""

from __future__ import annotations

import datetime as dt

from bot.domain.workspace import hooks_admin
from bot.domain.workspace.hooks_events import EVENTS
from bot.slack.mrkdwn import Mrkdwn, md, mention
from handlers.commands.router import Call, Reply, reply

USAGE = (
    "Usage (admins): `/feedback hooks out add URL EVENT...`, `/feedback hooks out list`, "
    "`/feedback hooks out remove|test|resume|rotate <number or URL>`. Events: "
    + ", ".join(f"`{e}`" for e in EVENTS)
    + ", or `*` for all. Receivers verify the "
    "Standard Webhooks signature with the secret shown when the webhook is added (docs/webhooks-and-exports.md)."
)


def line(item: hooks_admin.Listed, now: dt.datetime | None = None) -> Mrkdwn:
    s = item.subscription
    by = mention(s.created_by) if s.created_by.startswith(("U", "W")) else md("{}", s.created_by)
    state = (
        md(
            ":pause_button: *paused* since {} UTC ({})",
            f"{s.paused_at:%Y-%m-%d %H:%M}",
            s.pause_reason or "",
        )
        if s.paused_at
        else md(":large_green_circle: active")
    )
    last = (
        md(", last delivered {} UTC", f"{s.last_success_at:%Y-%m-%d %H:%M}")
        if s.last_success_at
        else md("")
    )
    failing = (
        md(", {} failed in a row (last: {})", s.failures, s.last_error or "")
        if s.failures
        else md("")
    )
    grace = (
        md("; the old secret signs too until {} UTC", f"{s.previous_until:%Y-%m-%d %H:%M}")
        if now is not None and s.previous_until is not None and s.previous_until > now
        else md("")
    )
    dropped = md(" ({} dropped while paused)", s.dropped) if s.dropped else md("")
    return md(
        "• *#{}* `{}`: {}\n   {}; {} waiting{}{}{}{}; added by {}",
        s.id,
        s.url,
        ", ".join(s.events),
        state,
        item.pending,
        dropped,
        last,
        failing,
        grace,
        by,
    )


def rotated(r: hooks_admin.Rotated) -> Mrkdwn:
    s = r.subscription
    return md(
        ":arrows_counterclockwise: Webhook *#{}* (`{}`) has a new signing secret, shown this once:"
        "\n```{}```\nUntil {} UTC each request is signed with both the old and the new secret "
        "(`webhook-signature` carries two), so switch the receiver to the new one before then.",
        s.id,
        s.url,
        r.secret,
        f"{r.old_until:%Y-%m-%d %H:%M}",
    )


async def run(call: Call, text: str) -> Reply:
    words = text.split()
    if not words:
        return reply(USAGE)
    verb, rest = words[0].lower(), words[1:]
    services, team, asker = call.services, call.team_id, call.asker
    try:
        if verb == "list" and not rest:
            items = await hooks_admin.listed(services, team, asker=asker)
            if not items:
                return reply(
                    "No outbound webhooks. Add one: `/feedback hooks out add https://... remark.created`."
                )
            return reply(
                str(md("*Outbound webhooks*\n"))
                + "\n".join(str(line(i, call.services.clock())) for i in items)
            )
        if verb == "add" and len(rest) >= 2:
            added = await hooks_admin.add(
                services, team, rest[0], rest[1:], by=call.user_id, asker=asker
            )
            s = added.subscription
            return reply(
                str(
                    md(
                        ":white_check_mark: Webhook *#{}* added: `{}` gets {}.\nIts signing secret, shown this once "
                        "(keep it in the receiver's secret store):\n```{}```\nRequests carry `webhook-id`, "
                        "`webhook-timestamp` and `webhook-signature` as the Standard Webhooks spec says. "
                        "Try it: `/feedback hooks out test {}`.",
                        s.id,
                        s.url,
                        ", ".join(s.events),
                        added.secret,
                        s.id,
                    )
                )
            )
        if verb == "rotate" and len(rest) == 1:
            turned = await hooks_admin.rotate(services, team, rest[0], asker=asker)
            return reply(str(rotated(turned)))
        if verb in ("remove", "test", "resume") and len(rest) == 1:
            if verb == "remove":
                gone = await hooks_admin.remove(services, team, rest[0], asker=asker)
                return reply(
                    str(
                        md(
                            ":wastebasket: Webhook #{} (`{}`) removed, with what it had waiting.",
                            gone.id,
                            gone.url,
                        )
                    )
                )
            if verb == "resume":
                back = await hooks_admin.resume(services, team, rest[0], asker=asker)
                return reply(
                    str(
                        md(
                            ":arrow_forward: Webhook #{} resumed; the {} events that waited are "
                            "being sent, in order.{}",
                            back.subscription.id,
                            back.pending,
                            md(
                                " {} older ones were dropped while it was paused.",
                                back.subscription.dropped,
                            )
                            if back.subscription.dropped
                            else md(""),
                        )
                    )
                )
            # Through the outbox like any event; the result follows privately when known.
            pinged = await hooks_admin.test(
                services,
                team,
                rest[0],
                asker=asker,
                reply_channel=call.channel_id or None,
                reply_user=call.user_id,
                request=call.trigger_id,
            )
            return reply(
                str(
                    md(
                        ":outbox_tray: Queued a signed `webhook.test` event `{}` for `{}`; "
                        "you'll hear here when it is taken, or why not.",
                        pinged.msg_id,
                        pinged.subscription.url,
                    )
                )
            )
    except hooks_admin.HookError as e:
        return reply(str(md(":warning: {}", str(e))))
    return reply(USAGE)
