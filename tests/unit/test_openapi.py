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
    assert set(score["properties"]["kind"]["enum"]) == {"csat", "nps", "stars"}


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
