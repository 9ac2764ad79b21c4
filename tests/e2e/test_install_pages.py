"""The Add to Slack pages over HTTP: the landing page says what an admin needs to decide (each
scope and why, what is kept and how long, who runs it), carries a fresh state in both the
cookie and the button, escapes what it shows, and lets nothing but its own stylesheet run; the
outcome pages say what happened and what to do next.

Slack's side is the stand-in's authorize endpoint and oauth.v2.access (shapes:
https://docs.slack.dev/authentication/installing-with-oauth and
https://docs.slack.dev/reference/methods/oauth.v2.access)."""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import SettingsError, load_settings
from bot.fakeslack import FakeSlack
from bot.fakeslack.simulator import add_to_slack_href
from bot.scopes import SCOPE_REASONS
from storage.repositories.installations import installations_table, states_table
from tests.conftest import SECRET, TOKEN
from tests.e2e.install_support import OPERATOR, B, oauth_bot, style_of

__all__ = ["oauth_bot"]


async def get(url: str, **kw: Any) -> tuple[int, str, Any]:
    async with aiohttp.ClientSession() as http, http.get(url, allow_redirects=False, **kw) as r:
        return r.status, await r.text(), r.headers


async def test_the_landing_page_tells_an_admin_what_they_agree_to(oauth_bot, db) -> None:
    bot, settings = oauth_bot
    status, page, headers = await get(f"{bot.base_url}/slack/install")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = html.unescape(page)
    for scope, why in SCOPE_REASONS.items():
        assert f"<code>{scope}</code></td><td>{why}</td>" in text, scope
    # The operator, their contact and privacy policy (escaped: the & in the URL).
    assert "<b id='operator'>Northwind Traders</b>" in page
    assert "href='mailto:privacy@northwind.example'" in page
    assert "href='https://northwind.example/privacy?from=earshot&amp;x=1'" in page
    # What is kept and for how long comes from this deployment's settings.
    assert "for 365 days after it was said" in text and "14 days after Earshot is removed" in text
    assert "e-mail addresses, card numbers in the text are replaced" in text and "for 2 days" in text
    # The button: Slack's authorize URL with this app, its scopes, its redirect and a fresh state.
    href = add_to_slack_href(page)
    assert href is not None
    url = urlsplit(href)
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == settings.oauth_authorize_url
    assert q["client_id"] == settings.slack_client_id
    assert q["scope"].split(",") == list(SCOPE_REASONS)
    assert q["redirect_uri"] == f"{settings.public_url}/slack/oauth_redirect"
    cookie = headers["Set-Cookie"]
    assert f"slack-app-oauth-state={q['state']}" in cookie and "HttpOnly" in cookie
    async with db() as s:
        assert (await s.execute(select(states_table.c.state))).scalars().all() == [q["state"]]
    # Each view gets its own state (Bolt issues one per visit).
    _, again, _ = await get(f"{bot.base_url}/slack/install")
    assert parse_qs(urlsplit(add_to_slack_href(again) or "").query)["state"][0] != q["state"]


async def test_the_pages_allow_only_their_own_stylesheet(oauth_bot) -> None:
    bot, _ = oauth_bot
    _, page, headers = await get(f"{bot.base_url}/slack/install")
    digest = base64.b64encode(hashlib.sha256(style_of(page).encode()).digest()).decode()
    csp = headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'; ") and f"style-src 'sha256-{digest}'" in csp
    assert "script" not in page.lower() and " style=" not in page and "http" not in style_of(page)
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    for path in ("/slack/oauth_redirect?error=access_denied&state=x", "/slack/oauth_redirect?state=forged"):
        _, _, h = await get(f"{bot.base_url}{path}")
        assert h["Content-Security-Policy"] == csp


async def test_installed_cancelled_and_failed_pages_say_what_next(fake: FakeSlack, oauth_bot, db) -> None:
    bot, _ = oauth_bot
    cancelled = await fake.install(bot.base_url, team=B, deny=True)
    assert cancelled.status == 200 and "Installation cancelled" in cancelled.text
    assert "You pressed Cancel" in cancelled.text and "href='/slack/install'" in cancelled.text
    done = await fake.install(bot.base_url, team=B)
    assert done.status == 200 and "Earshot is installed" in done.text
    assert "Beta Bank <code>T0002</code>" in done.text
    assert "<code>/invite @Earshot</code>" in done.text and "<code>/feedback digest channel #channel</code>" in done.text
    assert f"app_redirect?app={fake.workspace(B).app_id}&amp;team={B}" in done.text
    assert "This Earshot is run by Northwind Traders" in done.text
    # The same callback again (a replay): refused, said plainly, nothing more stored.
    status, page, _ = await get(done.callback_url, headers={"Cookie": done.cookie})
    assert status == 400 and "Earshot was not installed" in page and "expired or was already used" in page
    assert "Back to Add to Slack" in page
    async with db() as s:
        assert len((await s.execute(select(installations_table))).all()) == 1


async def test_single_token_mode_has_no_add_to_slack_page(bot) -> None:
    status, page, headers = await get(f"{bot.base_url}/slack/install")
    assert status == 404 and "No Add to Slack here" in page and "SLACK_BOT_TOKEN" in page
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_an_unnamed_operator_is_said_plainly() -> None:
    from bot.server.install_views import landing

    settings = load_settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET)
    page = landing(settings, "https://slack.com/oauth/v2/authorize?x=1")
    assert "have not said who they are" in page and "OPERATOR_NAME" in page
    assert "until the message is deleted in Slack" in page and "30 days after Earshot is removed" in page


def test_what_the_pages_show_is_escaped() -> None:
    from bot.server.install_views import installed, landing, not_installed

    hostile = "<img src=x onerror=alert(1)>'\""
    settings = load_settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                             operator_name=f"Evil {hostile}", slack_scopes="chat:write,channels:join")
    pages = [landing(settings, f"https://slack.com/oauth/v2/authorize?state={hostile}"),
             installed(settings, where="this workspace", teams=[("T1", hostile)], open_url=hostile),
             not_installed(settings, reason=hostile, cancelled=False)]
    for page in pages:
        assert "<img" not in page and "'\"" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;&#x27;&quot;" in page
    # A scope added by SLACK_SCOPES is shown, and said not to be Earshot's own.
    assert "<code>channels:join</code></td><td>Asked for by this deployment" in pages[0]


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("operator_contact", "call us", "OPERATOR_CONTACT is invalid"),
    ("operator_contact", "javascript:alert(1)", "OPERATOR_CONTACT is invalid"),
    ("privacy_policy_url", "northwind.example/privacy", "PRIVACY_POLICY_URL is invalid"),
    ("privacy_policy_url", "https://x.example/a b", "PRIVACY_POLICY_URL is invalid"),
    ("operator_name", "x" * 101, "OPERATOR_NAME is invalid"),
])
def test_operator_settings_are_checked(name: str, value: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=problem):
        load_settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET, **{name: value})


def test_operator_settings_accept_mail_and_urls() -> None:
    s = load_settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET, **OPERATOR)
    assert (s.operator_name, s.operator_contact) == (OPERATOR["operator_name"], OPERATOR["operator_contact"])
    s = load_settings(_env_file=None, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                      operator_contact="https://northwind.example/contact")
    assert s.operator_contact == "https://northwind.example/contact"
