"""`FakeSlack`: the Web API fake on 127.0.0.1 plus the workspace, call log and simulator.

async with FakeSlack(bot_token="xoxb-test", signing_secret="secret") as fake:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    sim = fake.simulator("http://127.0.0.1:3000/slack/events")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from . import payloads
from .deliver import Delivery, SlackDeliverer
from .simulator import Install, SlackSimulator, install_via_oauth
from .state import Workspace
from .webapi import FakeWebAPI, RecordedCall

DEFAULT_SIGNING_SECRET = "fakeslack-signing-secret"


class FakeSlack:
    """Slack stand-in: serves `/api/{method}` and signs deliveries to the app."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        state: Workspace | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.bot_token = bot_token
        self.signing_secret = signing_secret
        self.state = state if state is not None else Workspace.default()
        self.host = host
        self.port = port
        self.api = FakeWebAPI(self.state, bot_token=bot_token)
        self._runner: web.AppRunner | None = None
        self._deliverers: list[SlackDeliverer] = []
        self._simulators: list[SlackSimulator] = []

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeSlack:
        """Start serving; `port=0` binds an ephemeral port (see `.port`)."""
        self._runner = web.AppRunner(self.api.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        addresses = self._runner.addresses
        self.port = int(addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop serving and close deliverers' sessions."""
        for sim in self._simulators:
            await sim.drain()
        self._simulators.clear()
        self.api.listeners.clear()
        await self.api.socket_mode.close()
        for d in self._deliverers:
            await d.close()
        self._deliverers.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ urls
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL for `AsyncWebClient(base_url=...)` (ends with "/api/")."""
        return f"{self.base_url}/api/"

    # ------------------------------------------------------------------ delivery
    def deliverer(self, app_url: str) -> SlackDeliverer:
        """A signed-delivery sender to the app at `app_url` (response_urls point back here)."""
        d = SlackDeliverer(app_url, self.signing_secret, self.state, response_base=self.base_url)
        self._deliverers.append(d)
        return d

    # ------------------------------------------------------------------ workspaces, installs
    def add_workspace(self, state: Workspace) -> Workspace:
        """Another workspace (its own people, channels, bot user); install the app with `install`."""
        return self.api.add_workspace(state)

    def workspace(self, team_id: str) -> Workspace:
        return self.api.workspaces[team_id]

    async def install(self, app_base: str, *, team: str | None = None, deny: bool = False) -> Install:
        """Add the app at `app_base` to `team` through its real OAuth flow (see install_via_oauth)."""
        return await install_via_oauth(app_base, team=team, deny=deny)

    def revoke(self, team_id: str) -> None:
        """Every token of `team_id` stops working (`token_revoked`), as after an uninstall."""
        for grant in self.api.tokens.values():
            if grant.team_id == team_id:
                grant.revoked = True

    # ------------------------------------------------------------------ Enterprise Grid admin
    async def _org_event(self, app_url: str, enterprise_id: str, event: dict[str, Any]) -> Delivery:
        home = next(w for w in self.api.workspaces.values() if w.enterprise_id == enterprise_id)
        envelope = payloads.org_event_envelope(event, enterprise_id=enterprise_id, api_app_id=home.app_id,
                                               bot_user_id=home.bot_user_id)
        return await self.deliverer(app_url).send_envelope(envelope)

    async def grant_team_access(self, app_url: str, enterprise_id: str, team_ids: list[str]) -> Delivery:
        """An org admin adds workspaces to the org-wide install: its token reaches them from
        now on, and Slack sends `team_access_granted` to the app at `app_url`."""
        for team_id in team_ids:
            self.api.org_access.setdefault(enterprise_id, set()).add(team_id)
            self.workspace(team_id).org_install = True
        return await self._org_event(app_url, enterprise_id, payloads.team_access_granted(team_ids))

    async def revoke_team_access(self, app_url: str, enterprise_id: str, team_ids: list[str]) -> Delivery:
        """An org admin removes the app from workspaces: the org's token no longer reaches
        them (`team_access_not_granted`), and Slack sends `team_access_revoked`."""
        for team_id in team_ids:
            self.api.org_access.get(enterprise_id, set()).discard(team_id)
            self.workspace(team_id).org_install = False
        return await self._org_event(app_url, enterprise_id, payloads.team_access_revoked(team_ids))

    async def uninstall_org(self, app_url: str, enterprise_id: str) -> Delivery:
        """The org-wide install is removed: every token of the organisation stops working, and
        Slack sends `app_uninstalled` for the organisation (no workspace named)."""
        for grant in self.api.tokens.values():
            if grant.team_id is None and grant.enterprise_id == enterprise_id:
                grant.revoked = True
        self.api.org_access.pop(enterprise_id, None)
        return await self._org_event(app_url, enterprise_id, payloads.app_uninstalled())

    def calls_by(self, team_id: str, method: str | None = None) -> list[RecordedCall]:
        """Calls made with a token of `team_id` (of one method)."""
        return [c for c in self.calls if c.team_id == team_id and (method is None or c.method == method)]

    def simulator(self, app_url: str, *, echo_bot_messages: bool = False,
                  workspace: Workspace | None = None) -> SlackSimulator:
        """People acting in Slack against the app at `app_url`.

        With `echo_bot_messages=True` the bot's own chat.postMessage/update/delete calls are
        delivered back to the app as events, as Slack does (Bolt ignores them by default).
        """
        state = workspace or self.state
        d = SlackDeliverer(app_url, self.signing_secret, state, response_base=self.base_url)
        self._deliverers.append(d)
        sim = SlackSimulator(state, d)
        if echo_bot_messages:
            self.api.listeners.append(sim.echo_listener)
        self._simulators.append(sim)
        return sim

    def client(self, **kwargs: Any) -> Any:
        """An `AsyncWebClient` pointed at this fake with the bot token."""
        from slack_sdk.web.async_client import AsyncWebClient

        kwargs.setdefault("token", self.bot_token)
        return AsyncWebClient(base_url=self.api_url, **kwargs)

    # ------------------------------------------------------------------ call log / failures
    @property
    def calls(self) -> list[RecordedCall]:
        """Every Web API call received, oldest first."""
        return self.api.calls

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method."""
        return self.api.calls_to(method)

    def last(self, method: str) -> RecordedCall | None:
        """Latest recorded call of one method."""
        return self.api.last(method)

    def clear_calls(self) -> None:
        """Forget recorded calls."""
        self.api.clear_calls()

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented API
        *,
        where: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        """Wait until `count` calls of `method` were recorded (see FakeWebAPI.wait_for)."""
        return await self.api.wait_for(method, count, timeout, where=where)

    def slow_down(self, method: str, seconds: float) -> None:
        """Delay every answer to `method` by `seconds` (0 to stop)."""
        self.api.slow_down(method, seconds)

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Fail the next `times` calls of `method` (see FakeWebAPI.fail_next)."""
        self.api.fail_next(method, error, status=status, retry_after=retry_after, times=times)

    def fail_always(
        self, method: str, error: str, *, status: int | None = None, retry_after: int = 1
    ) -> None:
        """Fail every call of `method` until reset."""
        self.api.fail_always(method, error, status=status, retry_after=retry_after)

    def reset_failures(self, method: str | None = None) -> None:
        """Drop injected failures."""
        self.api.reset_failures(method)

    def issue_trigger_id(self, user: str | None = None) -> str:
        """A trigger id views.open accepts once."""
        return self.state.issue_trigger_id(user)
