"""Add to Slack in a real browser (headless Chromium): the landing page renders with its
stylesheet (the Content-Security-Policy lets it through), its button goes to Slack's authorize
page and back with the state cookie, and the installed, cancelled and failed pages show. The
stand-in plays slack.com's authorize page (it answers *Allow* or, with `deny=1`, *Cancel*).

Screenshots go to the test's tmp dir; with EARSHOT_SCREENSHOTS=docs/img they are written
there too (the ones docs/deploy.md shows)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from bot.fakeslack import FakeSlack
from bot.scopes import SCOPE_REASONS
from storage.repositories.installations import installations_table
from tests.browser import Page, browser
from tests.e2e.install_support import B, oauth_bot

__all__ = ["oauth_bot"]


async def shoot(page: Page, tmp_path: Path, name: str) -> None:
    await page.screenshot(tmp_path / name)
    assert (tmp_path / name).stat().st_size > 10_000  # a rendered page, not a blank one
    if out := os.environ.get("EARSHOT_SCREENSHOTS"):
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / name).write_bytes((tmp_path / name).read_bytes())


async def test_add_to_slack_in_a_browser(fake: FakeSlack, oauth_bot, db, tmp_path: Path) -> None:
    bot, settings = oauth_bot
    async with browser(tmp_path / "profile") as page:
        await page.goto(f"{bot.base_url}/slack/install", "/slack/install")
        shown = await page.js("""({
            scopes: [...document.querySelectorAll('#scopes code')].map(e => e.textContent),
            operator: document.getElementById('operator').textContent,
            privacy: document.getElementById('privacy').href,
            button: document.getElementById('add-to-slack').href,
            color: getComputedStyle(document.getElementById('add-to-slack')).backgroundColor,
            cookie: document.cookie})""")
        assert shown["scopes"] == list(SCOPE_REASONS)
        assert shown["operator"] == settings.operator_name  # shown as text, not markup
        assert shown["privacy"] == settings.privacy_policy_url
        assert shown["button"].startswith(settings.oauth_authorize_url + "?") and "state=" in shown["button"]
        assert shown["color"] == "rgb(74, 21, 75)"  # the stylesheet applied: the CSP allowed it
        assert shown["cookie"] == ""  # the state cookie is HttpOnly
        await shoot(page, tmp_path, "install-landing.png")

        # Cancel on Slack's page: back to the cancelled page.
        await page.goto(shown["button"] + "&deny=1", "/slack/oauth_redirect")
        assert await page.js("document.querySelector('h1').textContent") == "Installation cancelled"
        await shoot(page, tmp_path, "install-cancelled.png")

        # Start again from that page, press the button, Allow: installed.
        await page.js("document.getElementById('start-again').click()")
        await page.loaded("/slack/install")
        await page.js(f"location.href = document.getElementById('add-to-slack').href + '&team={B}'")
        callback = await page.loaded("/slack/oauth_redirect")
        assert await page.js("document.querySelector('h1').textContent") == "Earshot is installed"
        assert "Beta Bank" in await page.js("document.getElementById('teams').textContent")
        await shoot(page, tmp_path, "install-done.png")
        async with db() as s:
            [row] = (await s.execute(select(installations_table.c.team_id))).all()
        assert row.team_id == B

        # The same link again (the back button, a shared link): refused with a way back.
        await page.goto(callback, "/slack/oauth_redirect")
        assert await page.js("document.querySelector('h1').textContent") == "Earshot was not installed"
        assert "not started in this browser" in await page.js("document.getElementById('reason').textContent")
        await shoot(page, tmp_path, "install-failed.png")
