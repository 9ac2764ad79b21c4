"""Validating an improvement's title and link, and the modal's Block Kit limits."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.slack import improvements as ui
from storage.models import Remark


def test_title_is_required_and_at_most_150_characters():
    assert ui.clean_title("  One   invoice per order ") == "One invoice per order"
    assert ui.clean_title("x" * 150) == "x" * 150
    for bad in ("", "   ", None, "x" * 151):
        with pytest.raises(ui.InvalidImprovement) as e:
            ui.clean_title(bad)
        assert e.value.block_id == ui.BLOCK_TITLE


@pytest.mark.parametrize("link, tracker", [
    ("https://github.com/acme/billing/issues/42", "GitHub"),
    ("https://linear.app/acme/issue/BIL-12/one-invoice", "Linear"),
    ("https://acme.atlassian.net/browse/BIL-12", "Jira"),
    ("<https://wiki.acme.com/refunds|the plan>", "link"),
])
def test_links_are_http_urls(link, tracker):
    clean = ui.clean_link(link)
    assert clean is not None and clean.startswith("https://") and ui.tracker_name(clean) == tracker


@pytest.mark.parametrize("bad", ["github.com/acme/1", "ftp://acme.com/x", "https://", "see BIL-12",
                                 "https://localhost", "javascript:alert(1)"])
def test_non_urls_are_refused(bad):
    with pytest.raises(ui.InvalidImprovement) as e:
        ui.clean_link(bad)
    assert e.value.block_id == ui.BLOCK_LINK


def test_empty_link_is_none_and_trailing_slash_is_dropped():
    assert ui.clean_link("  ") is None and ui.clean_link(None) is None
    assert ui.clean_link("https://github.com/acme/billing/issues/42/") == "https://github.com/acme/billing/issues/42"


def test_proposals_come_in_checkbox_groups_of_at_most_ten():
    at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    remarks = [Remark(id=i, team_id="T", source_key=str(i), text="word " * 40, endorsements=i % 3,
                      said_at=at, customer=None) for i in range(1, 26)]
    view = ui.improvement_modal([], process_id=None, proposals=remarks, selected={1, 12})
    groups = [b["element"] for b in view["blocks"] if b.get("element", {}).get("type") == "checkboxes"]
    assert [len(g["options"]) for g in groups] == [10, 10]  # 20 at most, 10 per element
    assert all(len(o["text"]["text"]) <= 75 for g in groups for o in g["options"])
    assert [o["value"] for o in groups[0]["initial_options"]] == ["1"]
    assert [o["value"] for o in groups[1]["initial_options"]] == ["12"]
    assert len(view["private_metadata"]) <= 3000
