"""`/feedback hooks`: the tracker webhook URLs and this workspace's secret (admins), and
`/feedback hooks out ...`, outbound webhooks (handlers/commands/hooks_out.py)."""

from __future__ import annotations

from bot.domain.loop import trackers
from bot.domain.workspace.permissions import NOT_ADMIN, is_admin
from handlers.commands import hooks_out
from handlers.commands.router import Call, Reply, reply, subcommand


@subcommand("hooks", usage="/feedback hooks [rotate | linear <signing secret> | out ...]",
            summary="admins: tracker webhooks (a closed GitHub/Linear issue ships its improvement); "
                    "`hooks out`: send events to your own URL",
            order=73)
async def hooks(call: Call) -> Reply:
    first, _, after = call.text.strip().partition(" ")
    if first.lower() == "out":  # the admin rule is checked in the domain
        return await hooks_out.run(call, after)
    if not await is_admin(call.services, call.client, call.team_id, call.user_id):
        return reply(NOT_ADMIN)
    word, _, rest = call.text.strip().partition(" ")
    word = word.lower()
    if word == "linear":
        secret = rest.strip()
        if len(secret) < 16 or " " in secret:
            return reply(":warning: Paste the signing secret Linear shows for the webhook: "
                         "`/feedback hooks linear lin_wh_...`.")
        await trackers.set_linear_secret(call.services, call.team_id, secret)
        return reply(":white_check_mark: Linear signing secret saved; completed Linear issues now ship "
                     "the improvements that link to them.")
    if word not in ("", "rotate"):
        return reply("Use `/feedback hooks`, `/feedback hooks rotate` or `/feedback hooks linear <secret>`.")
    secret = await trackers.ensure_secret(call.services, call.team_id, rotate=word == "rotate")
    base = (call.services.settings.public_url or "https://<your Earshot host>").rstrip("/")
    rotated = ":arrows_counterclockwise: New secret: update it in GitHub.\n" if word == "rotate" else ""
    return reply(
        f"{rotated}*Tracker webhooks* (a closed issue or merged pull request ships the improvement "
        "linking to it)\n"
        f"• GitHub: payload URL `{base}/hooks/github?team={call.team_id}`, content type "
        f"`application/json`, secret `{secret}`, events *Issues* and *Pull requests*\n"
        f"• Linear: URL `{base}/hooks/linear?team={call.team_id}`, then paste Linear's signing secret "
        "with `/feedback hooks linear <secret>`\n"
        "`/feedback hooks rotate` makes a new GitHub secret. Keep this message private.")
