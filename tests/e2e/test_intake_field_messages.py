"""The intake API names every bad field in its own words (docs/api.md: "422 naming every bad
field"), for a field of the wrong JSON type and a source that is too long too. Before, these
two answered in the validation library's words ("Input should be a valid string", "String
should have at most 60 characters"), unlike every other field's ("must be at most 255
characters (it has 1,000)"). Requests are shaped as a no-code tool sends them when a mapped
step is empty or a number (Zapier's "Webhooks by Zapier" POST with a JSON payload: null for
an unmapped field, a number for a numeric one), with a Bearer header as in test_intake_api."""

from __future__ import annotations

from storage.models import Remark
from tests.e2e.queries import count
from tests.e2e.test_intake_api import post, token


async def test_a_wrong_type_and_a_long_source_are_named_in_the_apis_words(bot, db):
    tok = await token(db)
    status, _, answer = await post(bot, {"text": None, "source": "s" * 61, "contact": 5551234,
                                         "customer": {"name": "Acme"}, "note": ["a"]}, tok)
    assert status == 422, answer
    assert {e["field"]: e["message"] for e in answer["errors"]} == {
        "text": "must be a string, not null",
        "source": "must be at most 60 characters (it has 61)",
        "contact": "must be a string, not a number",
        "customer": "must be a string, not an object",
        "note": "must be a string, not an array",
    }
    assert await count(db, Remark) == 0
    assert (await post(bot, {"text": "Checkout is slow", "source": "s" * 60}, tok))[0] == 201
