"""*Add to Slack*: the landing page (``GET /slack/install``) and what a person sees at the end
(``GET /slack/oauth_redirect``); the words are in install_views.py.

The landing page is Bolt's install page made ours (``InstallFlow.build_install_page_html``):
Bolt still issues a fresh state for each view, sets it in the browser's cookie and puts it in
the button's authorize URL, and checks both on the way back, so CSRF protection is Bolt's.

Success: which workspaces the install reached (an Enterprise Grid org-wide install lists the
organisation's workspaces, from ``auth.teams.list``), each one made ready (its row and
starter processes; a reinstall within the grace period keeps its data). Failure: what went
wrong in plain words (cancelled, a link from another browser, an expired or used link, a
code Slack refused) and a link to start again; nothing is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.domain.services import Services
from bot.domain.workspace.org_access import ready_workspace
from bot.server import install_views
from bot.server.pages import esc

log = logging.getLogger(__name__)

FAILURES = {
    "access_denied": (200, "You pressed Cancel on Slack's permission page."),
    "invalid_browser": (400, "This install was not started in this browser (or its cookie is "
                             "gone). Start it again from the same browser."),
    "invalid_state": (400, "This install link has expired or was already used. Start again."),
    "missing_code": (400, "Slack sent no install code. Start again."),
    "invalid_code": (400, "Slack did not accept the install code (it may have expired). Start again."),
    "storage_error": (503, "Earshot could not save the install. Nothing was installed; please try again."),
}


def _page(doc: str, status: int, cookie: str | None = None) -> BoltResponse:
    headers: dict[str, str | Sequence[str]] = {"content-type": "text/html; charset=utf-8"}
    if cookie:
        headers["set-cookie"] = [cookie]
    return BoltResponse(status=status, body=doc, headers=headers)


class InstallFlow(AsyncOAuthFlow):
    """Bolt's OAuth flow with Earshot's landing page in place of Bolt's bare one."""

    def __init__(self, *, settings: AsyncOAuthSettings, services: Services) -> None:
        super().__init__(settings=settings)
        self.services = services

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return install_views.landing(self.services.settings, url)


def slack_web(services: Services) -> str:
    """Slack's web base beside SLACK_API_URL (https://slack.com/)."""
    return services.settings.oauth_authorize_url.removesuffix("oauth/v2/authorize")


async def reached(services: Services, installation: Installation) -> list[tuple[str, str]]:
    """The workspaces ``(team_id, name)`` an install reached."""
    if not installation.is_enterprise_install:
        return [(installation.team_id or "", installation.team_name or installation.team_id or "")]
    client = services.clients.client(installation.bot_token)
    teams: list[tuple[str, str]] = []
    cursor = None
    try:
        while True:
            resp = await client.auth_teams_list(cursor=cursor, limit=100)
            teams += [(str(t["id"]), str(t.get("name") or t["id"])) for t in resp.get("teams") or []]
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return teams
    except SlackApiError as e:
        log.warning("install: enterprise=%s auth.teams.list failed: %s", installation.enterprise_id,
                    e.response.get("error"))
        return teams


async def _ready(services: Services, installation: Installation, teams: list[tuple[str, str]]) -> None:
    org_bot = installation.to_bot() if installation.is_enterprise_install else None
    for team_id, name in teams:
        await ready_workspace(services, team_id, org_bot=org_bot, name=name, installer=installation.user_id)


def callback_options(services: Services) -> AsyncCallbackOptions:
    settings = services.settings

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        inst = args.installation
        teams = await reached(services, inst)
        await _ready(services, inst, teams)
        where = (f"the organisation {esc(inst.enterprise_name or inst.enterprise_id or '')} and "
                 f"its {len(teams)} workspace(s)" if inst.is_enterprise_install else "this workspace")
        first = teams[0][0] if teams else (inst.team_id or "")
        # Slack's deep link to the app in that workspace (docs: "Deep linking into Slack").
        open_url = f"{slack_web(services)}app_redirect?app={inst.app_id or ''}&team={first}"
        doc = install_views.installed(settings, where=where, teams=teams, open_url=open_url)
        return _page(doc, 200, args.settings.state_utils.build_set_cookie_for_deletion())

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        status, text = FAILURES.get(args.reason, (args.suggested_status_code,
                                                  f"The install failed ({args.reason})."))
        log.info("install: failed: %s", args.reason)
        state = next(iter(args.request.query.get("state") or []), None)
        if args.reason == "access_denied" and state:
            await args.settings.state_store.async_consume(state)  # that click is over
        doc = install_views.not_installed(settings, reason=text, cancelled=args.reason == "access_denied")
        return _page(doc, status, args.settings.state_utils.build_set_cookie_for_deletion())

    return AsyncCallbackOptions(success=success, failure=failure)
