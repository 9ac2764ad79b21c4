"""The read API's lists over HTTP against the running app (processes with this period's
counts and improvement verdicts, themes, improvements, customers), token scopes and the
rate limit; helpers in tests/e2e/read_support.py. The contract: docs/api.md."""

from __future__ import annotations

import datetime as dt
import json
import re

from bot.domain.workspace import api_tokens
from storage.db import transaction
from storage.models import Customer, utcnow
from storage.repositories.customers import customer_key
from storage.repositories.improvements import ImprovementRepository
from tests.conftest import settled
from tests.e2e import digest_support as ds
from tests.e2e.queries import ALICE, BOB, GENERAL, TEAM, remarks
from tests.e2e.read_support import OTHER, every, get, post, token
from tests.e2e.test_import_and_tokens_cli import cli


async def test_scopes_write_tokens_cannot_read_and_read_tokens_cannot_write(bot, db):
    await ds.workspace(db)
    writer, reader = await token(db, "w", scopes="write"), await token(db, "r", scopes="read")
    both = await token(db, "rw", scopes="write,read")
    status, headers, answer = await get(bot, "/api/v1/remarks", writer)
    assert (
        status == 403 and answer["error"] == "insufficient_scope" and "'read'" in answer["message"]
    )
    assert 'scope="read"' in headers["WWW-Authenticate"]
    for path in (
        "/api/v1/processes",
        "/api/v1/themes",
        "/api/v1/improvements",
        "/api/v1/customers",
    ):
        assert (await get(bot, path, writer))[0] == 403
        assert (await get(bot, path, reader))[0] == 200
    body = {"text": "The app is slow", "source": "n8n"}
    status, answer = await post(bot, body, reader)
    assert status == 403 and "'write'" in answer["message"]
    status, answer = await post(bot, body, reader, Prefer="respond-async")
    assert status == 403 and "'write'" in answer["message"]
    assert (await post(bot, body, both))[0] == 201
    assert (await get(bot, "/api/v1/remarks", both))[0] == 200
    await settled(bot)
    assert len(await remarks(db)) == 1
    # No token, an unknown one, a revoked one: 401, as for POST.
    assert (await get(bot, "/api/v1/remarks", None))[0] == 401
    assert (await get(bot, "/api/v1/customers", "esk_" + "x" * 43))[0] == 401
    await api_tokens.revoke(db, TEAM, "r", at=utcnow())
    status, headers, _ = await get(bot, "/api/v1/remarks", reader)
    assert status == 401 and headers["WWW-Authenticate"] == "Bearer"


async def test_reads_spend_the_tokens_rate_and_get_429_with_retry_after(bot, db):
    await ds.workspace(db)
    reader = await token(db, rate=3)
    assert [(await get(bot, "/api/v1/remarks", reader))[0] for _ in range(3)] == [200, 200, 200]
    status, headers, answer = await get(bot, "/api/v1/processes", reader)
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60, answer


async def test_lists_show_only_the_tokens_workspace_with_counts_verdicts_and_pages(bot, db):
    await ds.workspace(db)
    await ds.workspace(db, OTHER)
    now = utcnow()
    billing, onboarding = (
        await ds.process(db, "Billing", owner=BOB),
        await ds.process(db, "Onboarding"),
    )
    await ds.process(db, "Secret", team_id=OTHER)
    async with transaction(db) as s:
        ids = [
            await ds.remark(
                s,
                process_id=billing,
                sentiment="complaint",
                at=now - dt.timedelta(days=d),
                customer="Acme Corp",
            )
            for d in range(0, 60, 2)
        ]
        for d in range(0, 60, 3):
            await ds.remark(
                s, process_id=onboarding, sentiment="praise", at=now - dt.timedelta(days=d)
            )
        s.add(
            Customer(
                team_id=TEAM,
                name="Acme Corp",
                name_key=customer_key("Acme Corp"),
                tier="Enterprise",
            )
        )
        s.add(Customer(team_id=OTHER, name="Hidden Co", name_key=customer_key("Hidden Co")))
        repo = ImprovementRepository(s)
        imp = await repo.create(
            TEAM,
            process_id=billing,
            title="Faster refunds",
            description="",
            owner_user_id=BOB,
            proposed_by=BOB,
            link=None,
            remark_ids=ids[:3],
            at=now - dt.timedelta(days=40),
        )
        await repo.set_status(TEAM, imp.id, "shipped", by=BOB, at=now - dt.timedelta(days=14))
        await repo.create(
            TEAM,
            process_id=onboarding,
            title="Videos",
            description="",
            owner_user_id=None,
            proposed_by=BOB,
            link=None,
            remark_ids=[],
            at=now,
        )
    reader = await token(db)
    processes = await every(bot, reader, "/api/v1/processes", limit=1)
    assert [p["name"] for p in processes] == ["Billing", "Onboarding"]
    bill = processes[0]
    assert (
        bill["owner"] == BOB and bill["counts"]["complaint"] >= 1 and bill["counts"]["praise"] == 0
    )
    assert bill["counts"]["total"] == sum(
        bill["counts"][s] for s in ("praise", "complaint", "neutral", "suggestion")
    )
    [shipped] = bill["improvements"]
    assert shipped["title"] == "Faster refunds" and shipped["remarks"] == 3
    assert shipped["check"]["verdict"] in (
        "improved",
        "no clear change",
        "worse",
        "too early to tell",
    )
    assert shipped["check"]["complaints"]["after_of"] > 0
    assert processes[1]["improvements"][0]["check"] is None  # planned: no verdict yet
    status, _, page = await get(bot, "/api/v1/processes", reader)
    assert status == 200 and page["period"]["start"] < page["period"]["end"]
    assert page["unfiled"]["total"] == 0 and set(page["unfiled"]) == set(bill["counts"])
    improvements = await every(bot, reader, "/api/v1/improvements", limit=1)
    assert [i["title"] for i in improvements] == ["Faster refunds", "Videos"]
    assert [
        i["title"] for i in await every(bot, reader, "/api/v1/improvements", status="planned")
    ] == ["Videos"]
    [acme] = await every(bot, reader, "/api/v1/customers")
    assert (
        acme["name"] == "Acme Corp"
        and acme["tier"] == "Enterprise"
        and acme["remarks"]["complaint"] == 30
    )
    everything = json.dumps([processes, improvements, await every(bot, reader, "/api/v1/themes")])
    assert "Secret" not in everything and "Hidden Co" not in everything


async def test_themes_are_listed_named_and_filter_remarks(bot, db):
    await ds.workspace(db)
    writer, reader = await token(db, "w", scopes="write"), await token(db)
    await ds.process(db, "Billing")
    for text in (
        "The invoice PDF is blank when I download it",
        "Invoice PDF download is blank again",
        "Blank invoice PDF on download, third time",
        "Charged twice for the same invoice",
    ):
        assert (await post(bot, {"text": text, "source": "zendesk", "process": "Billing"}, writer))[
            0
        ] == 201
    themes = await every(bot, reader, "/api/v1/themes", process="Billing")
    assert themes and all(t["process"] == "Billing" and t["label"] for t in themes)
    biggest = max(themes, key=lambda t: t["remarks"])
    by_id = await every(bot, reader, theme=biggest["id"])
    assert len(by_id) == biggest["remarks"] and all(
        i["theme"]["id"] == biggest["id"] for i in by_id
    )
    by_label = await every(bot, reader, theme=biggest["label"].upper())
    assert {i["id"] for i in by_id} <= {i["id"] for i in by_label}
    assert all(i["theme"]["label"].casefold() == biggest["label"].casefold() for i in by_label)


async def test_scoped_tokens_are_made_and_listed_in_slack_and_on_the_command_line(
    slack, bot, db, database_url
):
    await ds.workspace(db)
    made = (await slack.slash(ALICE, GENERAL, "api token create looker read")).json()["text"]
    tok = re.search(r"esk_[A-Za-z0-9_-]{43}", made)
    assert tok and "(read)" in made and "GET /api/v1/remarks" in made
    assert (await get(bot, "/api/v1/remarks", tok.group(0)))[0] == 200
    assert (await post(bot, {"text": "a", "source": "z"}, tok.group(0)))[0] == 403
    bad = (await slack.slash(ALICE, GENERAL, "api token create other admin")).json()["text"]
    assert "read, write or read,write" in bad
    res = await cli(
        database_url, "api-token", "create", "sync", "--team", TEAM, "--scope", "read,write"
    )
    assert res.exit_code == 0, res.output
    both = res.stdout.strip().splitlines()[-1]
    assert (await get(bot, "/api/v1/customers", both))[0] == 200
    assert (await post(bot, {"text": "Great support", "source": "z"}, both))[0] == 201
    plain = await cli(
        database_url, "api-token", "create", "zap", "--team", TEAM
    )  # write, as before
    assert (await get(bot, "/api/v1/remarks", plain.stdout.strip().splitlines()[-1]))[0] == 403
    assert (
        await cli(database_url, "api-token", "create", "x", "--team", TEAM, "--scope", "admin")
    ).exit_code == 2
    listed = (await cli(database_url, "api-token", "list", "--team", TEAM)).output
    assert re.search(r"looker\s+read\s", listed) and re.search(r"sync\s+read,write\s", listed)
    assert re.search(r"zap\s+write\s", listed)
    in_slack = (await slack.slash(ALICE, GENERAL, "api token list")).json()["text"]
    assert (
        "*looker* (read)" in in_slack
        and "*sync* (read,write)" in in_slack
        and "*zap* (write)" in in_slack
    )
