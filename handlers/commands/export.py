"""``/feedback export [csv|jsonl]``: an admin gets the workspace's remarks as a file in
their DM with Earshot (files.getUploadURLExternal + files.completeUploadExternal)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bot.domain.privacy import export
from handlers.commands.router import Call, Reply, file_as_text, reply, subcommand

log = logging.getLogger(__name__)


@subcommand("export", usage="/feedback export [csv|jsonl]",
            summary="get this workspace's remarks as a file in your DM (admins)", order=89)
async def export_remarks(call: Call) -> Reply:
    if call.text.strip().lower() not in ("", *export.FORMATS):
        return await file_as_text(call)  # "/feedback Export is slow" is feedback
    fmt = (call.text.split() or ["csv"])[0].lower()
    if fmt not in export.FORMATS:
        return reply("Pick a format: `/feedback export csv` or `/feedback export jsonl`.")
    name = export.filename(call.team_id, fmt, call.services.clock())
    with tempfile.TemporaryDirectory(prefix="earshot-export-") as tmp:
        path = Path(tmp) / name
        with path.open("w", encoding="utf-8", newline="") as out:
            n = await export.write(out, call.services.sessions, call.team_id, fmt, asker=call.asker)
        try:
            dm = (await call.client.conversations_open(users=call.user_id))["channel"]["id"]
            await call.client.files_upload_v2(
                channel=dm, file=str(path), filename=name, title=f"Earshot remarks ({fmt})",
                initial_comment=f"{n} remark(s) from this workspace. Columns: see Earshot's README.",
            )
        except SlackApiError as e:
            log.warning("export: team=%s upload failed: %s", call.team_id, e.response.get("error"))
            return reply(f":warning: The export could not be uploaded ({e.response.get('error')}).")
    return reply(f":outbox_tray: Sent {n} remark(s) as `{name}` to your DM with Earshot.")
