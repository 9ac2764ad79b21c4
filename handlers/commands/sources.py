"""``/feedback sources`` (anyone) and ``/feedback api token create|list|revoke`` (admins)."""

from __future__ import annotations

from bot.domain.capture import sources
from bot.domain.workspace import api_tokens
from bot.slack.source_volumes import sources_text
from bot.slack.text import shown
from handlers.commands.router import Call, Reply, file_as_text, reply, subcommand
from storage.models import ApiToken


def token_line(t: ApiToken) -> str:
    by = f"<@{t.created_by}>" if t.created_by.startswith(("U", "W")) else shown(t.created_by)
    used = f"last used {t.last_used_at:%Y-%m-%d %H:%M} UTC" if t.last_used_at else "never used"
    return (f"• *{shown(t.name)}* ({t.scopes}): made {t.created_at:%Y-%m-%d} by {by}, {used}, "
            f"{t.rate_per_minute}/min")


TOKEN_USAGE = ("Usage: `/feedback api token create NAME [read|write|read,write]` (write, the intake API, "
               "by default), `/feedback api token list`, `/feedback api token revoke NAME` (admins). "
               "The API is described in docs/api.md.")


def made_text(made: api_tokens.Made, scopes: str) -> str:
    uses = {"write": "`POST /api/v1/remarks`", "read": "the read API (`GET /api/v1/remarks`, ...)",
            "read,write": "`POST /api/v1/remarks` and the read API (`GET /api/v1/remarks`, ...)"}
    return (f":key: Token *{made.name}* ({scopes}) made. Copy it now: it is shown only this once "
            f"and only its hash is kept.\n```{made.token}```\nSend it as "
            f"`Authorization: Bearer <token>` to {uses.get(scopes, 'the API')}.")


@subcommand("sources", usage="/feedback sources",
            summary="each source's volume, and integrations that went silent", order=60)
async def list_sources(call: Call) -> Reply:
    if call.text.strip():
        return await file_as_text(call)  # "/feedback Sources say the app crashes" is feedback
    now = call.services.clock()
    return reply(sources_text(await sources.volumes(call.services, call.team_id, now=now), now))


@subcommand("api", usage="/feedback api token create|list|revoke [NAME] [read|write|read,write]",
            summary="tokens for the intake and read APIs (admins)", order=61)
async def api_token(call: Call) -> Reply:
    words = call.text.split()
    if not words or words[0].lower() != "token":
        return await file_as_text(call)  # "/feedback API calls time out" is feedback
    if len(words) < 2 or words[1].lower() not in ("create", "list", "revoke"):
        return reply(TOKEN_USAGE)
    action, rest = words[1].lower(), words[2:]
    services = call.services
    try:
        if action == "list":
            tokens = await api_tokens.listed(services.sessions, call.team_id, asker=call.asker)
            if not tokens:
                return reply("No live API tokens. Make one: `/feedback api token create NAME`.")
            lines = [token_line(t) for t in tokens]
            return reply("*API tokens*\n" + "\n".join(lines))
        if action == "create" and 1 <= len(rest) <= 2:
            scopes = api_tokens.parse_scopes(rest[1] if len(rest) == 2 else None)
            made = await api_tokens.create(services.sessions, call.team_id, rest[0], by=call.user_id,
                                           at=services.clock(), scopes=scopes, asker=call.asker,
                                           rate_per_minute=services.settings.api_rate_per_minute)
            return reply(made_text(made, scopes))
        if len(rest) != 1:
            return reply(TOKEN_USAGE)
        await api_tokens.revoke(services.sessions, call.team_id, rest[0], at=services.clock(), asker=call.asker)
        return reply(f"Revoked *{shown(rest[0][:40])}*: its next request gets 401.")
    except api_tokens.TokenError as e:
        return reply(f":warning: {e}")
