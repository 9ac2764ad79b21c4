"""The intake API's OpenAPI document is valid OpenAPI 3.1, and says what the code does:
its fields are the ones the validation takes, its answers the ones the handler gives."""

from __future__ import annotations

import inspect
import re
from typing import get_args

from openapi_spec_validator import validate

from bot.domain.capture import incoming
from bot.domain.capture.intake import Filed, FiledAs
from bot.server.api import openapi, remarks


def test_the_document_is_valid_openapi_3_1():
    validate(openapi.DOCUMENT)


def test_its_fields_are_the_ones_the_api_takes():
    schema = openapi.DOCUMENT["components"]["schemas"]["Remark"]
    assert set(schema["properties"]) == set(incoming.FIELDS)
    assert set(schema["required"]) == set(incoming.REQUIRED) == {"text", "source"}
    score = openapi.DOCUMENT["components"]["schemas"]["Score"]
    assert set(score["properties"]["kind"]["examples"]) == set(incoming.KINDS) == {"csat", "nps", "stars"}


def test_its_answers_are_the_ones_the_handler_gives():
    documented = {int(s) for s in openapi.DOCUMENT["paths"]["/api/v1/remarks"]["post"]["responses"]}
    source = inspect.getsource(remarks)
    given = {int(s) for s in re.findall(r"\berror\((\d{3})", source)}
    given |= {int(s) for s in re.findall(r"status=(\d{3})", source)}
    given |= {401, 403, 429, 503}  # unauthorised, forbidden, limited, unavailable (answers.py)
    given |= {201, 200}  # 201 if created else 200
    assert given == documented
    filed = openapi.DOCUMENT["components"]["schemas"]["Filed"]
    given_fields = remarks.answer(Filed(id=1, process=None, sentiment="neutral", filed_as="unfiled",
                                        confidence=None, created=True))
    assert set(filed["properties"]) == set(filed["required"]) == set(given_fields)
    assert set(filed["properties"]["filed_as"]["enum"]) == set(get_args(FiledAs))


def _documented_params(path: str) -> set[str]:
    return {p["name"] for p in openapi.DOCUMENT["paths"][path]["get"]["parameters"]}


def test_the_read_endpoints_document_the_parameters_the_handlers_take():
    from bot.server.api import params, read_lists, read_remarks

    assert _documented_params("/api/v1/remarks") == {*read_remarks.FILTERS, *params.PAGING}
    for name, (_, filters) in read_lists.LISTS.items():
        assert _documented_params(f"/api/v1/{name}") == {*filters, *params.PAGING}, name
    for path in ("/api/v1/remarks", *(f"/api/v1/{n}" for n in read_lists.LISTS)):
        assert set(openapi.DOCUMENT["paths"][path]["get"]["responses"]) == {"200", "400", "401", "403", "429", "503"}


def test_the_read_items_have_the_documented_fields():
    import datetime as dt

    from bot.domain.reads.remarks import Item
    from bot.server.api import read_lists, read_remarks
    from storage.models import Improvement, Remark

    at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    remark = Remark(id=1, text="x", sentiment="praise", source="reaction", endorsements=1, said_at=at,
                    created_at=at, theme_id=2, score_kind="csat", score_value=5)
    item = read_remarks.item(Item(remark, "Billing", "invoice pdf"))
    schemas = openapi.DOCUMENT["components"]["schemas"]
    assert set(item) == set(schemas["RemarkItem"]["properties"]) == set(schemas["RemarkItem"]["required"])
    imp = read_lists.improvement(Improvement(id=1, title="t", description="", status="planned", created_at=at),
                                 "Billing", 0, None)
    assert set(imp) == set(schemas["ImprovementItem"]["properties"])
    assert set(read_lists.counts(read_lists.Counts())) == set(schemas["Counts"]["properties"])
