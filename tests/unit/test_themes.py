"""Theme maths (bot.classify.themes) and `earshot classify --themes`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.classify import themes
from bot.cli.main import main

VAT = ["the invoice is missing our VAT number again",
       "invoices still come without the VAT number on them",
       "no VAT number printed on the invoice"]
REFUND = ["refund took three weeks", "waiting on the refund for weeks"]


def test_remarks_saying_the_same_thing_share_a_theme_and_others_do_not():
    got = themes.group(VAT + REFUND)
    assert len(set(got[:3])) == 1 and len(set(got[3:])) == 1 and got[0] != got[3]


def test_a_theme_is_named_by_the_words_its_members_share_and_others_lack():
    names = themes.labels({1: VAT, 2: REFUND})
    assert names[1].startswith("VAT number") and "refund" in names[2]


def test_empty_one_word_and_punctuation_remarks_get_no_theme():
    assert themes.group(["", "invoices", "!!!", "ok thanks"]) == [None, None, None, None]
    assert themes.vector("   ") is None


def test_vectors_are_the_same_in_every_process():
    # Centroids live in the database: the vector must not depend on Python's hash seed.
    a, b = themes.vector(VAT[0]), themes.vector(VAT[0])
    assert a is not None and b is not None and (a == b).all() and a.shape == (themes.DIM,)


def test_classify_themes_prints_theme_id_and_label_per_remark():
    text = "\n".join([*VAT, *REFUND, "ok", "factura sin número de IVA otra vez"]) + "\n"
    result = CliRunner().invoke(main, ["classify", "--themes"], input=text)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 7
    assert len({r["theme"] for r in rows[:3]}) == 1 and rows[0]["theme"].startswith("Billing/")
    assert "VAT" in rows[0]["theme_label"]
    assert rows[3]["theme"] == rows[4]["theme"] != rows[0]["theme"]
    assert rows[5]["theme"] is None and rows[5]["theme_label"] is None
    assert rows[6]["process"] is None and rows[6]["theme"].startswith("unfiled/")
