"""The digest headline's by-source line (issue 21 item 6) reads as a sentence when more
sources delivered than it names: the busiest eight, then "and 3 more sources: 6" (before:
"3 more 6", which read as a source called "3 more"). Remarks arrive through the intake API
as its contract says (docs/api.md: one token a source, `api:<token name>`); the digest is
read as a person reads it, with `/feedback digest` sent as Slack sends the command."""

from __future__ import annotations

import aiohttp

from bot.domain.workspace import api_tokens
from bot.slack.source_volumes import by_source_line
from storage.models import utcnow
from tests.e2e import digest_support as ds
from tests.e2e.queries import CARLA, SUPPORT, TEAM


def test_the_rest_is_summed_in_words_singular_and_plural():
    counts = {f"s{i:02d}": 20 - i for i in range(9)}
    assert by_source_line(counts) == ("By source: s00 20 · s01 19 · s02 18 · s03 17 · s04 16 · s05 15 · "
                                      "s06 14 · s07 13 · and 1 more source: 12")
    counts.update(s09=2, s10=1)
    assert by_source_line(counts).endswith("s07 13 · and 3 more sources: 15")  # type: ignore[union-attr]
    assert by_source_line({"reaction": 2, "api:zendesk": 5}) == "By source: api:zendesk 5 · reaction 2"
    assert by_source_line({}) is None


async def test_the_digest_names_eight_sources_and_sums_the_rest_in_words(slack, bot, db):
    await ds.workspace(db)
    async with aiohttp.ClientSession() as http:
        # Eleven tokens: "t00" sends 11 remarks, "t01" 10, ... "t10" one.
        for i in range(11):
            made = await api_tokens.create(db, TEAM, f"t{i:02d}", by="U0ALICE001", at=utcnow(),
                                           rate_per_minute=600)
            for j in range(11 - i):
                async with http.post(f"{bot.base_url}/api/v1/remarks",
                                     headers={"Authorization": f"Bearer {made.token}"},
                                     json={"text": f"Remark {j} from source {i}: the export is slow",
                                           "source": "helpdesk", "external_id": f"{i}-{j}"}) as r:
                    assert r.status == 201, await r.text()
    body = (await slack.slash(CARLA, SUPPORT, "digest")).json()
    shown = (body.get("text", "") + str(body.get("blocks", ""))).replace("\\n", "\n")
    line = next(x for x in shown.splitlines() if "By source:" in x)
    assert ("By source: api:t00 11 · api:t01 10 · api:t02 9 · api:t03 8 · api:t04 7 · api:t05 6 · "
            "api:t06 5 · api:t07 4 · and 3 more sources: 6") in line, line
