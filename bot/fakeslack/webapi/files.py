"""files.getUploadURLExternal + files.completeUploadExternal (the bytes go to `/upload/v1/{key}`)."""

from __future__ import annotations

import secrets
import time
from typing import Any

from aiohttp import web

from ..state import SlackError, random_id
from .core import Params, WebAPICore, as_int


class FileMethods(WebAPICore):
    """The files family: external uploads shared into channels as `file_share` messages."""

    def files_get_upload_url_external(self, params: Params, request: web.Request) -> dict[str, Any]:
        """files.getUploadURLExternal: an upload URL on this server + a file id."""
        self._require(params, "filename", "length")
        file_id = random_id("F")
        key = secrets.token_urlsafe(16)
        self._upload_keys[key] = file_id
        self._upload_teams[key] = self.state  # the upload URL carries no token
        self.state.files[file_id] = {
            "id": file_id,
            "name": params["filename"],
            "title": params["filename"],
            "length": as_int(params["length"], 0),
            "alt_txt": params.get("alt_txt"),
            "snippet_type": params.get("snippet_type"),
            "content": None,
            "uploaded": False,
            "size": 0,
            "created": int(time.time()),
            "shares": {},
        }
        return {"upload_url": f"http://{request.host}/upload/v1/{key}", "file_id": file_id}

    def _file_object(self, f: dict[str, Any]) -> dict[str, Any]:
        s = self.state
        name = str(f["name"])
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else "text"
        mimetypes = {
            "png": "image/png",
            "jpg": "image/jpeg",
            "jpeg": "image/jpeg",
            "csv": "text/csv",
            "pdf": "application/pdf",
            "txt": "text/plain",
            "json": "application/json",
        }
        url = f"https://files.slack.com/files-pri/{s.team.id}-{f['id']}/{name}"
        channels = [c for c in f["shares"] if c.startswith("C")]
        groups = [c for c in f["shares"] if c.startswith("G")]
        ims = [c for c in f["shares"] if c.startswith("D")]
        shares: dict[str, Any] = {}
        for cid, entries in f["shares"].items():
            ch = s.channels[cid]
            bucket = "private" if ch.is_private else "public"
            shares.setdefault(bucket, {})[cid] = entries
        return {
            "id": f["id"],
            "created": f["created"],
            "timestamp": f["created"],
            "name": name,
            "title": f.get("title") or name,
            "mimetype": mimetypes.get(ext, "application/octet-stream"),
            "filetype": ext,
            "pretty_type": ext.upper(),
            "user": s.bot_user_id,
            "user_team": s.team.id,
            "editable": False,
            "size": f.get("size", 0),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(channels),
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": url.replace("files-pri", "files-pri/download", 1),
            "permalink": f"https://{s.team.domain}.slack.com/files/{s.bot_user_id}/{f['id']}/{name}",
            "permalink_public": f"https://slack-files.com/{s.team.id}-{f['id']}-{secrets.token_hex(5)}",
            "comments_count": 0,
            "is_starred": False,
            "shares": shares,
            "channels": channels,
            "groups": groups,
            "ims": ims,
            "has_more_shares": False,
            "has_rich_preview": False,
            "file_access": "visible",
            "alt_txt": f.get("alt_txt"),
        }

    def files_complete_upload_external(
        self, params: Params, request: web.Request
    ) -> dict[str, Any]:
        """files.completeUploadExternal: shares into channel_id/channels as a file_share message."""
        self._require(params, "files")
        entries = params["files"]
        if not isinstance(entries, list) or not entries:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] files must be an array"]},
            )
        stored = []
        for entry in entries:
            f = self.state.files.get(str(entry.get("id")))
            if f is None or not f["uploaded"]:
                raise SlackError("file_not_found")
            if entry.get("title"):
                f["title"] = entry["title"]
            stored.append(f)
        targets: list[str] = []
        if params.get("channel_id"):
            targets.append(str(params["channel_id"]))
        if params.get("channels"):
            targets.extend(c.strip() for c in str(params["channels"]).split(",") if c.strip())
        for target in targets:
            ch = self._channel_for_bot(target)
            if ch.is_archived:
                raise SlackError("is_archived")
            thread_ts = params.get("thread_ts") or None
            for f in stored:
                f["shares"].setdefault(ch.id, [])
            msg = self.state.post_message(
                ch.id,
                None,
                str(params.get("initial_comment") or ""),
                thread_ts=str(thread_ts) if thread_ts else None,
                blocks=params.get("blocks")
                if not params.get("initial_comment") and params.get("blocks")
                else None,
                bot=True,
                subtype="file_share",
                files=[],
                extra={"display_as_bot": False},
            )
            for f in stored:
                share = {
                    "reply_users": [],
                    "reply_users_count": 0,
                    "reply_count": 0,
                    "ts": msg["ts"],
                    "channel_name": ch.name,
                    "team_id": self.state.team.id,
                    "share_user_id": self.state.bot_user_id,
                    "source": "UNKNOWN",
                }
                if thread_ts:
                    share["thread_ts"] = str(thread_ts)
                f["shares"][ch.id].append(share)
            msg["files"] = [self._file_object(f) for f in stored]
        return {"files": [self._file_object(f) for f in stored]}
