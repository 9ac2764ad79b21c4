"""``/feedback customer ...`` (admins change the customer registry; anyone lists it).

Parsing lives here; the rules live in bot/domain/customers/rules.py and customer_registry.py, which raises
``CustomerError`` with a message we show as is.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.domain.customers import registry as customers
from bot.domain.customers import rules as valid
from bot.domain.customers.crm.run import hand_back, last_syncs
from bot.domain.customers.crm.sync import CRM_FIELDS
from bot.domain.customers.registry import Update
from bot.domain.customers.rules import CustomerError, Entry
from bot.slack.mrkdwn import fit, join, md, mention, safe
from handlers.commands.process import take_name
from handlers.commands.router import Call, Reply, reply, subcommand

log = logging.getLogger(__name__)

USAGE = """*The customer registry* (admins change it; anyone lists it):
• `/feedback customer add Acme Corp` — a new customer (quote a name that starts like another: `"Acme Labs"`)
• `/feedback customer alias Acme Corp ACME, Acme Inc` — other spellings, comma-separated; `alias remove Acme Corp ACME`
• `/feedback customer tier Acme Corp Enterprise` — free text: Enterprise, Mid-market, SMB…; `none` clears it
• `/feedback customer value Acme Corp $120k` — yearly value (120000, 120,000, 1.5M); `none` clears it
• `/feedback customer owner Acme Corp @alice` — the account owner; `none` clears it
• `/feedback customer connect Acme Corp T0ACME123` or `connect Acme Corp ext-acme-*` — a Slack Connect team id, or a channel-name rule; `disconnect` undoes it
• `/feedback customer remove Acme Corp`
• `/feedback customer crm-owns Acme Corp tier, value, owner` — hand fields set here back to the CRM sync (docs/customers.md)
• `/feedback customer sync` — how the last CRM sync went (admins)
• `/feedback customer list` — every customer (anyone)
• `/feedback customer alerts off` / `on` — account owners: stop (or resume) the daily note about your customers' remarks and the DMs when an improvement answering them ships or works"""

LIST_LIMIT = 2900


async def _list(call: Call) -> Reply:
    entries = await customers.list_customers(call.services.sessions, call.team_id)
    if not entries:
        return reply("No customers in the registry yet. An admin can add one: "
                     "`/feedback customer add Acme Corp`.")
    lines = [f"• {customers.describe(e)}" for e in entries]
    return reply(fit(f"*Customers* ({len(entries)}):\n" + "\n".join(lines), LIST_LIMIT))


async def _sync_status(call: Call) -> Reply:
    """The last sync from each CRM: when, whether it finished, what it did (outside names made safe)."""
    rows = await last_syncs(call.services.sessions, call.team_id, asker=call.asker)
    if not rows:
        return reply("No CRM sync has run for this workspace yet (`earshot customers sync`, docs/customers.md).")
    parts = []
    for r in rows:
        when = f"<!date^{int((r.finished_at or r.started_at).timestamp())}^{{date_short_pretty}} {{time}}|{r.started_at:%Y-%m-%d %H:%M} UTC>"
        state = "finished" if r.ok else ("running" if r.finished_at is None else "stopped")
        parts.append(f"*{r.crm}* ({state}, {when}):\n" + "\n".join(md("> {}", line) for line in r.summary.splitlines()[:25]))
    return reply(fit("\n".join(parts), LIST_LIMIT))


async def _known_user(call: Call, user_id: str | None) -> None:
    """Refuse an owner Slack does not know (or a bot)."""
    if user_id is None:
        return
    try:
        user = (await call.client.users_info(user=user_id)).get("user") or {}
    except SlackApiError as e:
        if e.response.get("error") == "user_not_found":
            raise CustomerError(f"Slack knows no user {user_id}. Mention the owner (e.g. @alice).") from None
        log.warning("customer: users.info %s failed: %s", user_id, e.response.get("error"))
        return
    if user.get("deleted") or user.get("is_bot"):
        raise CustomerError(f"<@{user_id}> cannot own a customer (a deactivated account or a bot).")


async def _run(call: Call, verb: str, rest: str) -> Reply:
    known = [e.name for e in await customers.list_customers(call.services.sessions, call.team_id)]
    if verb == "add":
        name = valid.clean_name(take_name(rest, [])[0] if rest[:1] in "\"'“" else rest)
        changed = await customers.change(call.services.sessions, call.team_id, None,
                                         customers.Add(Entry(name=name)), asker=call.asker)
        return reply(f":white_check_mark: {changed.message} Set its tier, value, owner and Slack "
                     + md("with `/feedback customer tier|value|owner|connect {} ...`.", name))
    name, arg = take_name(rest, known)
    if not name:
        raise CustomerError(f"Name the customer: `/feedback customer {verb} Acme Corp ...`.")
    edit: customers.Edit
    if verb == "remove":
        edit = customers.Remove()
    elif verb == "alias":
        remove = False
        head, _, tail = arg.partition(" ")
        if head.lower() in {"remove", "rm", "delete"}:
            remove, arg = True, tail
        elif head.lower() == "add":
            arg = tail
        aliases = tuple(valid.clean_name(a, what="An alias") for a in arg.split(",") if a.strip())
        if not aliases:
            raise CustomerError(f"Give the alias: `/feedback customer alias {name} ACME`.")
        edit = (Update(remove_aliases=aliases, message="Removed from *{name}*'s aliases: " + join(aliases) + ".")
                if remove else Update(add_aliases=aliases, message="*{name}* is also known as " + join(aliases) + "."))
    elif verb == "tier":
        tier = valid.clean_tier(arg)
        edit = Update(set_fields={"tier": tier}, message="*{name}*'s tier is " + safe(tier or "cleared") + ".")
    elif verb == "value":
        value = valid.parse_value(arg)
        edit = Update(set_fields={"yearly_value": value},
                      message="*{name}*'s yearly value is " + (f"{value:,}" if value is not None else "cleared") + ".")
    elif verb == "owner":
        owner = valid.clean_owner(arg)
        await _known_user(call, owner)
        edit = Update(set_fields={"owner": owner},
                      message="*{name}*'s account owner is " + (mention(owner) if owner else "cleared") + ".")
    elif verb in {"connect", "disconnect"}:
        refs = [r for r in arg.replace(",", " ").split() if r]
        if not refs:
            raise CustomerError(f"Give a Slack Connect team id or a channel rule: "
                                f"`/feedback customer {verb} {name} T0ACME123` or `ext-acme-*`.")
        teams = tuple(valid.clean_team(r) for r in refs if valid.is_team_ref(r))
        rules = tuple(valid.clean_rule(r) for r in refs if not valid.is_team_ref(r))
        if verb == "connect":
            edit = Update(add_teams=teams, add_rules=rules,
                          message="*{name}* is now recognised by " + ", ".join([*teams, *(f"`{r}`" for r in rules)]) + ".")
        else:
            edit = Update(remove_links=(*teams, *rules), message="*{name}* is no longer recognised by "
                          + ", ".join([*teams, *(f"`{r}`" for r in rules)]) + ".")
    elif verb == "crm-owns":
        fields = [f.strip().lower() for f in arg.replace(",", " ").split() if f.strip()]
        if not fields or [f for f in fields if f not in CRM_FIELDS]:
            raise CustomerError(f"Name the fields the CRM owns again ({', '.join(CRM_FIELDS)}): "
                                f"`/feedback customer crm-owns {name} tier, value`.")
        n = await hand_back(call.services.sessions, call.team_id, fields, customer=name, asker=call.asker)
        return reply(md(":white_check_mark: The CRM sync now sets {}'s {} ({}).", name, ", ".join(fields),
                        "changed" if n else "it already did"))
    else:
        return reply(USAGE)
    changed = await customers.change(call.services.sessions, call.team_id, name, edit, asker=call.asker)
    return reply(f":white_check_mark: {changed.message}")


@subcommand("customer", usage="/feedback customer add|alias|tier|value|owner|connect|remove|list|alerts",
            summary="the customer registry: tiers, yearly value, account owners (admins change it)",
            aliases=("customers",), order=46)
async def customer_command(call: Call) -> Reply:
    head, _, rest = call.text.strip().partition(" ")
    verb, rest = head.lower(), rest.strip()
    if verb in {"", "list", "ls"}:
        return await _list(call)
    if verb == "alerts":
        if rest.lower() not in {"on", "off"}:
            return reply("Usage: `/feedback customer alerts off` (or `on`).")
        on = rest.lower() == "on"
        await customers.set_customer_alerts(call.services.sessions, call.team_id, call.user_id, on=on)
        return reply(":bell: You will hear, at most daily, when your customers' remarks are captured, "
                     "and when an improvement answering them ships or works."
                     if on else ":no_bell: You will no longer hear about your customers' remarks, nor about "
                     "the improvements answering them. `/feedback customer alerts on` turns it back on.")
    if verb not in {"add", "alias", "tier", "value", "owner", "connect", "disconnect", "remove", "crm-owns", "sync"}:
        return reply(USAGE)
    if verb == "sync":
        return await _sync_status(call)
    try:  # each change refuses a non-admin itself (bot.domain.acting.NotAdmin, told as it says)
        return await _run(call, verb, rest)
    except CustomerError as e:
        return reply(md(":warning: {}", str(e)))  # it may quote what was typed
