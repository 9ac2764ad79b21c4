"""`/feedback digest ...` (preview for anyone, settings for admins) and `/feedback alerts`."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.digest import render
from bot.digest import settings as digest_settings
from bot.digest.periods import WEEKDAYS, ScheduleError, parse_time, parse_timezone, parse_weekday
from bot.domain.alerts.owners import set_owner_alerts
from bot.slack.mrkdwn import clip, md
from handlers.commands.router import Call, Reply, reply, subcommand, toggle

log = logging.getLogger(__name__)

USAGE = (
    "*Weekly digest commands*\n"
    "• `/feedback digest`: a private preview of this period so far (anyone)\n"
    "• `/feedback digest channel #channel`: where it is posted\n"
    "• `/feedback digest schedule monday 09:00`: weekday and local time\n"
    "• `/feedback digest timezone Europe/Berlin`: the time zone of the schedule\n"
    "• `/feedback digest on` | `off`: post it or not\n"
    "• `/feedback digest chart on` | `off`: the 8-week chart in the digest's thread\n"
    "• `/feedback digest weigh off` | `tier` | `value`: let the ranking weigh remarks by their "
    "customer's tier or yearly value (off by default)\n"
    "Only admins can change settings."
)
_CHANNEL_ESCAPED = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")


@subcommand("digest", usage="/feedback digest [channel #c | schedule <day> <HH:MM> | timezone <Area/City> | on | off | chart on|off | weigh off|tier|value | status]",
            summary="preview this week's digest privately; admins set where and when it is posted",
            order=60)
async def digest(call: Call) -> Reply:
    word, _, rest = call.text.strip().partition(" ")
    word, rest = word.lower(), rest.strip()
    if word in ("", "preview"):
        return await _preview(call)
    if word in ("help", "?"):
        return reply(USAGE)
    if word in ("status", "settings"):
        ws = await digest_settings.workspace(call.services, call.team_id)
        return reply(digest_settings.describe(ws, call.services.settings.default_timezone))
    if word not in ("channel", "schedule", "timezone", "tz", "on", "off", "chart", "weigh"):
        return reply(md(":grey_question: I don't know `digest {}`.\n", clip(word, 40)) + USAGE)
    try:  # saving refuses a non-admin (bot.domain.acting.NotAdmin, told as it says)
        if word == "channel":
            return await _channel(call, rest)
        if word == "schedule":
            return await _schedule(call, rest)
        if word in ("timezone", "tz"):
            tz = parse_timezone(rest)
            return await _save(call, f"Time zone set to {tz}.", timezone=tz)
        if word in ("on", "off"):
            return await _save(call, f"Weekly digest turned {word}.", digest_enabled=word == "on")
        if word == "weigh":
            return await _weigh(call, rest)
        return await _chart(call, rest)
    except ScheduleError as e:
        return reply(md(":warning: {}", str(e)))  # it may quote what was typed


async def _preview(call: Call) -> Reply:
    d = await digest_settings.preview(call.services, call.team_id)
    ws = await digest_settings.workspace(call.services, call.team_id)
    note = digest_settings.describe(ws, call.services.settings.default_timezone)
    body = render.preview_blocks(d, note)
    return {"text": render.fallback_text(d), "blocks": body, "response_type": "ephemeral"}


async def _user_tz(call: Call) -> str | None:
    try:
        user = (await call.client.users_info(user=call.user_id)).get("user") or {}
    except SlackApiError:
        return None
    tz = user.get("tz")
    return tz if isinstance(tz, str) and tz else None


async def _save(call: Call, done: str, **values: Any) -> Reply:
    ws = await digest_settings.save(call.services, call.team_id, by=call.user_id,
                                    by_tz=await _user_tz(call), asker=call.asker, **values)
    log.info("digest: team=%s settings changed by %s: %s", call.team_id, call.user_id, sorted(values))
    return reply(f":white_check_mark: {done}\n{digest_settings.describe(ws, call.services.settings.default_timezone)}")


async def _channel(call: Call, ref: str) -> Reply:
    if not ref:
        return reply(":warning: Which channel? For example `/feedback digest channel #product`.")
    channel_id = await _resolve_channel(call, ref)
    if channel_id is None:
        return reply(md(":warning: I can't find the channel `{}`. Pick it from the list as you type "
                        "`#`, e.g. `/feedback digest channel #product`.", clip(ref, 100)))
    try:
        info = (await call.client.conversations_info(channel=channel_id)).get("channel") or {}
    except SlackApiError as e:
        if e.response.get("error") == "channel_not_found":
            return reply(f":warning: I can't see <#{channel_id}>. If it is private, invite me first "
                         "with `/invite @Earshot` in that channel, then try again.")
        log.warning("digest: conversations.info %s failed team=%s: %s", channel_id, call.team_id,
                    e.response.get("error"))
        return reply(f":warning: Slack wouldn't tell me about <#{channel_id}> "
                     f"(`{e.response.get('error')}`). Please try again in a moment.")
    if info.get("is_archived"):
        return reply(f":warning: <#{channel_id}> is archived. Choose another channel.")
    if info.get("is_im") or info.get("is_mpim"):
        return reply(":warning: The digest goes to a channel, not a direct message.")
    if not info.get("is_member"):
        return reply(f":warning: I'm not in <#{channel_id}> yet, so I couldn't post there. "
                     f"Type `/invite @Earshot` in <#{channel_id}>, then run this command again.")
    return await _save(call, f"The digest will be posted to <#{channel_id}>.", digest_channel_id=channel_id)


async def _resolve_channel(call: Call, ref: str) -> str | None:
    ref = ref.strip()
    m = _CHANNEL_ESCAPED.match(ref)
    if m:
        return m.group(1)
    if _CHANNEL_ID.match(ref):
        return ref
    name = ref.lstrip("#").lower()
    if not name:
        return None
    cursor = None
    for _ in range(20):  # at most 20 pages of 200
        try:
            resp = await call.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=200,
                cursor=cursor)
        except SlackApiError as e:
            log.warning("digest: conversations.list failed: %s", e.response.get("error"))
            return None
        for ch in resp.get("channels") or []:
            if ch.get("name") == name:
                return str(ch["id"])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return None


async def _schedule(call: Call, rest: str) -> Reply:
    parts = rest.split()
    if len(parts) != 2:
        raise ScheduleError("Use `/feedback digest schedule <weekday> <HH:MM>`, e.g. "
                            "`/feedback digest schedule monday 09:00`.")
    weekday, time = parse_weekday(parts[0]), parse_time(parts[1])
    return await _save(call, f"Schedule set to {WEEKDAYS[weekday].capitalize()} {time}.",
                       digest_weekday=weekday, digest_time=time)


WEIGH_SAID = {
    "off": "The ranking counts every remark alike.",
    "tier": "The ranking now weighs each remark by its customer's tier (Enterprise 3, Mid-market 2, "
            "other 1; no registered customer 1).",
    "value": "The ranking now weighs each remark by its customer's yearly value (1 + value / the "
             "median value of the registered customers; no value 1).",
}


async def _weigh(call: Call, rest: str) -> Reply:
    value = rest.lower()
    if value not in WEIGH_SAID:
        raise ScheduleError("Use `/feedback digest weigh off`, `weigh tier` or `weigh value`.")
    return await _save(call, WEIGH_SAID[value], digest_weigh=value)


async def _chart(call: Call, rest: str) -> Reply:
    value = rest.lower()
    if value not in ("on", "off"):
        raise ScheduleError("Use `/feedback digest chart on` or `/feedback digest chart off`.")
    return await _save(call, f"Chart turned {value}.", digest_chart=value == "on")


@subcommand("alerts", usage="/feedback alerts on|off",
            summary="process owners: turn the (at most hourly) DM about new complaints on or off", order=61)
async def alerts(call: Call) -> Reply:
    return await toggle(
        call, set_owner_alerts,
        usage="Use `/feedback alerts off` to stop the DMs about new complaints on processes "
              "you own, or `/feedback alerts on` to get them again (at most one an hour).",
        off=":no_bell: Complaint DMs turned off. Turn them back on with `/feedback alerts on`.",
        on=":bell: Complaint DMs turned on: at most one an hour when customers complain "
           "about a process you own.")

