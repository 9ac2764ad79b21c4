"""OAuth v2: the authorize page, `oauth.v2.access` (code exchange and refresh_token grant,
workspace and org-wide installs) and `auth.teams.list`.

`GET /oauth/v2/authorize?client_id&scope&state&redirect_uri[&team=T]` stands for the person
clicking *Allow*: it redirects to the app's redirect URI with a one-time `code` for the team
(add `&deny=1` to click *Cancel*: `error=access_denied`). A `team` that is an organisation
(`E...`) makes an org-wide install. Each code becomes a bot token bound to that workspace
(or organisation); with `rotate_tokens` it expires and comes with a refresh token.
"""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from ..state import SlackError
from .core import Grant, Params, WebAPICore

TOKEN_LIFETIME = 12 * 3600  # Slack's rotating bot tokens live 12 hours


class OAuthMethods(WebAPICore):
    """The OAuth family; `client_id`/`client_secret` are the app's credentials."""

    client_id = "1111.2222"
    client_secret = "fakeslack-client-secret"
    rotate_tokens = False
    redirect_uri: str | None = None  # the app's configured one, when the authorize URL has none
    _codes: dict[str, Grant]
    _refresh: dict[str, Grant]

    def oauth_routes(self, app: web.Application) -> None:
        self.no_token_methods.add("oauth.v2.access")
        app.router.add_get("/oauth/v2/authorize", self._authorize)

    # ------------------------------------------------------------------ the browser step
    def issue_code(self, team: str) -> str:
        """What Slack hands the browser after *Allow* for workspace (or organisation) `team`."""
        code = f"{int(time.time())}.{secrets.token_hex(12)}"
        if team.startswith("E"):
            self._codes[code] = Grant(None, team)
        else:
            ws = self.workspaces[team]
            self._codes[code] = Grant(team, ws.enterprise_id)
        return code

    async def _authorize(self, request: web.Request) -> web.Response:
        q = request.query
        target = q.get("redirect_uri") or self.redirect_uri
        if q.get("client_id") != self.client_id or not target:
            return web.Response(status=400, text="invalid client_id or no redirect_uri")
        args: dict[str, str] = {"state": q.get("state", "")}
        if q.get("deny"):
            args["error"] = "access_denied"
        else:
            args["code"] = self.issue_code(q.get("team") or self._home.team.id)
        self._record("oauth.authorize", dict(q), {"ok": True}, 302, request)
        raise web.HTTPFound(f"{target}?{urlencode(args)}")

    # ------------------------------------------------------------------ Web API
    def _new_token(self, grant: Grant) -> dict[str, Any]:
        token = f"xoxb-{secrets.token_hex(6)}-{secrets.token_hex(12)}"
        out: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if self.rotate_tokens:
            token = "xoxe." + token
            out["access_token"] = token
            grant.expires_at = time.time() + TOKEN_LIFETIME
            refresh = f"xoxe-1-{secrets.token_hex(16)}"
            self._refresh[refresh] = Grant(grant.team_id, grant.enterprise_id)
            out |= {"refresh_token": refresh, "expires_in": TOKEN_LIFETIME}
        self.tokens[token] = grant
        return out

    def oauth_v2_access(self, params: Params, request: web.Request) -> dict[str, Any]:
        """oauth.v2.access"""
        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):  # how slack-sdk sends them
            client_id, _, client_secret = base64.b64decode(header[6:]).decode().partition(":")
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")
        if params.get("grant_type") == "refresh_token":
            old = self._refresh.pop(str(params.get("refresh_token") or ""), None)
            if old is None:
                raise SlackError("invalid_refresh_token")
            grant = Grant(old.team_id, old.enterprise_id)
        else:
            found = self._codes.pop(str(params.get("code") or ""), None)
            if found is None:
                raise SlackError("invalid_code")
            grant = found
        return self._install_answer(grant) | self._new_token(grant)

    def _install_answer(self, grant: Grant) -> dict[str, Any]:
        org = grant.team_id is None
        for w in self.workspaces.values():
            if org and w.enterprise_id == grant.enterprise_id:
                w.org_install = True
                self.org_access.setdefault(w.enterprise_id or "", set()).add(w.team.id)
        ws = self.workspace_for(grant, {})
        if ws is None:
            raise SlackError("invalid_team")
        installer = next((u for u in ws.users.values() if u.is_admin and not u.is_bot), None)
        return {
            "scope": ",".join(self.scopes),
            "bot_user_id": ws.bot_user_id,
            "app_id": ws.app_id,
            "team": None if org else {"id": ws.team.id, "name": ws.team.name},
            "enterprise": {"id": ws.enterprise_id, "name": f"{ws.enterprise_id} Org"}
            if ws.enterprise_id else None,
            "is_enterprise_install": org,
            "authed_user": {"id": installer.id if installer else "U0INSTALL1"},
        }

    def auth_teams_list(self, params: Params, request: web.Request) -> dict[str, Any]:
        """auth.teams.list: the workspaces an org-wide token reaches."""
        ws = self.state
        reach = self.org_access.get(ws.enterprise_id or "", set())
        teams = [w for w in self.workspaces.values()
                 if ws.enterprise_id and w.enterprise_id == ws.enterprise_id and w.team.id in reach] or [ws]
        return {"teams": [{"id": w.team.id, "name": w.team.name} for w in teams],
                "response_metadata": {"next_cursor": ""}}
