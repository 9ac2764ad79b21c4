"""Every Block Kit builder takes outside text raw and places it safely: each is fed hostile
text (tests/outside_text.py) in every field that came from outside Earshot, and every mrkdwn
and message ``text`` string of what it builds is checked (no ping, no disguised link, every
``<`` Earshot's own markup, every ``&`` an entity), within Slack's limits, and showing the
text (so the check is not vacuous)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from bot.digest import render, triage
from bot.digest.build import CustomerMix, Digest, Moved, ProcessLine, Shipped
from bot.digest.periods import Period
from bot.digest.stats import Counts
from bot.domain.customers.registry import describe
from bot.domain.customers.rules import Entry
from bot.domain.filing.themes import ThemeLine
from bot.domain.loop import impact
from bot.fakeslack.blockcheck import block_errors
from bot.slack import account_notes, alerts, blocks, home, improvements, loop, modals, themes
from storage.models import Improvement, Process, Remark
from storage.repositories.account_owners import AccountOwner, OwnedRemark
from storage.repositories.customer_alerts import CustomerAlertItem
from storage.repositories.digests import QuoteRow, UnfiledRow
from storage.repositories.owner_alerts import AlertItem
from storage.repositories.themes import MemberRow
from tests.outside_text import HOSTILE, NAME, SENT, shows_mark, unsafe

AT = dt.datetime(2025, 3, 4, 10, tzinfo=dt.UTC)
LINK = "https://acme.slack.com/archives/C0SUPPORT1/p1741082400000100?thread_ts=1741082400.000100&cid=C0SUPPORT1"


def remark(i: int = 1, *, text: str = SENT, permalink: str | None = LINK) -> Remark:
    return Remark(id=i, team_id="T1", source_key=f"k{i}", channel_id="C0SUPPORT1", message_ts=f"{i}.0001",
                  permalink=permalink, text=text, customer=HOSTILE, author_user_id="U0CARLA001",
                  said_at=AT, endorsements=2, sentiment="complaint", process_id=1,
                  process_confidence=0.8)


def hostile_improvement(link: str | None = "https://github.com/acme/x/issues/1?a=1&b=2") -> Improvement:
    return Improvement(id=7, team_id="T1", process_id=1, title=HOSTILE, description=HOSTILE, status="shipped",
                       owner_user_id="U0BOB00001", proposed_by="U0BOB00001", link=link, shipped_at=AT)


def member(i: int) -> MemberRow:
    return MemberRow(1, 3, i, SENT, HOSTILE if i % 2 else None, "U0CARLA001", LINK, 2, "complaint", AT)


def theme_line() -> ThemeLine:
    return ThemeLine(theme_id=3, process_id=1, label=HOSTILE, remarks=3, customers=2, new=True, quote=member(1))


def safe_and_shown(payload: Any) -> None:
    assert unsafe(payload) == []
    assert shows_mark(payload), "the outside text is shown"


def test_capture_confirmation_with_a_duplicate() -> None:
    message = blocks.capture_confirmation(remark(1), NAME, duplicate=remark(2, text=HOSTILE))
    safe_and_shown(message)
    assert block_errors(message["blocks"]) == []
    text = str(message["blocks"])
    assert "|View message>" in text and "&amp;cid=" in text  # Earshot's link, its & escaped


def test_recent_remarks_and_filing_summary() -> None:
    safe_and_shown(blocks.recent_remarks([remark(1), remark(2, permalink=None)], {1: NAME},
                                         shared_by="U0ALICE001", quote_chars=200))
    safe_and_shown({"text": blocks.filing_summary(remark(1), NAME)})


def test_a_permalink_that_is_not_plain_https_is_never_a_link() -> None:
    bad = remark(1, text="the invoice came twice", permalink="https://evil.example|Acme portal")
    message = blocks.capture_confirmation(bad, "Billing")
    assert unsafe(message) == [] and "|View message>" not in str(message["blocks"])
    assert "View message" in str(message["blocks"])  # the label alone, not a link


def test_app_home_with_unfiled_recent_themes_and_improvements() -> None:
    listed = improvements.Listed(hostile_improvement(), NAME, 2, "no clear change")
    view = home.home_view(unfiled=[remark(1)], unfiled_total=3, recent=[(remark(2), NAME)],
                          processes=[Process(id=1, name=NAME, archived=False)],
                          improvements=[*themes.home_blocks([(NAME, [theme_line()])]),
                                        *improvements.home_blocks([listed])])
    safe_and_shown(view)
    assert block_errors(view["blocks"], max_blocks=100) == []


def test_theme_modal() -> None:
    view = themes.members_modal(HOSTILE, NAME, [member(i) for i in range(25)], 3)
    safe_and_shown(view)
    assert block_errors(view["blocks"], max_blocks=100) == []


def test_shortcut_modal_preview() -> None:
    origin = modals.Origin(route="shortcut", channel_id="C0SUPPORT1", ts="1.0", author_user_id="U0CARLA001")
    view = modals.filing_modal([Process(id=1, name=NAME, archived=False)], origin,
                               modals.Prefill(customer=HOSTILE), preview=SENT)
    safe_and_shown(view)
    forged = modals.Origin(route="shortcut", channel_id="<!channel>", ts="1.0", author_user_id="<@U0VICTIM>")
    assert unsafe(modals.filing_modal([], forged, modals.Prefill(), preview="x")) == []


def test_owner_and_customer_alerts() -> None:
    owner = alerts.alert_message([AlertItem(i, 1, NAME, SENT, HOSTILE if i % 2 else None,
                                            "U0CARLA001", LINK) for i in range(12)])
    safe_and_shown(owner)
    assert block_errors(owner["blocks"]) == []
    customer = alerts.customer_alert_message([CustomerAlertItem(i, HOSTILE, None, SENT, "praise", LINK)
                                              for i in range(12)])
    safe_and_shown(customer)


def test_improvement_card_list_and_shipped_notice() -> None:
    imp = hostile_improvement()
    listed = improvements.Listed(imp, NAME, 2, "no clear change")
    safe_and_shown(improvements.list_message([listed]))
    safe_and_shown(improvements.card_message(listed, note="saved"))
    notice = improvements.shipped_notice(imp, NAME, by="U0BOB00001", remarks=[remark(i) for i in range(7)])
    safe_and_shown(notice)
    assert "<https://github.com/acme/x/issues/1?a=1&amp;b=2|GitHub issue>" in str(notice["blocks"])


def test_a_tracker_link_is_refused_if_it_could_break_out_of_the_markup() -> None:
    for bad in ("https://evil.example/x>|<!channel>", "https://x.example/a|b", "https://x.example/<b>"):
        with pytest.raises(improvements.InvalidImprovement):
            improvements.clean_link(bad)
    assert improvements.clean_link("<https://wiki.acme.com/refunds|the plan>") == "https://wiki.acme.com/refunds"
    # One stored before that rule is shown as text, never wrapped.
    card = improvements.card_text(hostile_improvement(link="https://evil.example/x>|<!channel"), "Billing",
                                  remarks=1, verdict=None)
    assert unsafe({"text": card}) == [] and "<https://evil" not in card


def test_it_worked_notice() -> None:
    result = SimpleNamespace(complaints=impact.compare(impact.Side(40, 160), impact.Side(4, 80), days=28))
    safe_and_shown(loop.improved_notice(hostile_improvement(), NAME, result, remarks=[remark(1), remark(2)]))


def test_account_owner_notes_name_every_customer_safely_within_limits() -> None:
    names = [f"{HOSTILE} {i}" for i in range(14)]
    owner = AccountOwner("U0ALICE001", names, [OwnedRemark(n, LINK) for n in names])
    result = SimpleNamespace(complaints=impact.compare(impact.Side(40, 160), impact.Side(4, 80), days=28))
    for note in (account_notes.shipped_note(hostile_improvement(), NAME, owner),
                 account_notes.verified_note(hostile_improvement(), NAME, result, owner)):
        safe_and_shown(note)
        assert block_errors(note["blocks"]) == []
        assert "and 4 more" in note["text"] and "…and 9 more." in str(note["blocks"])


def test_thread_reply_preview_outcome_and_post() -> None:
    imp = hostile_improvement()
    targets = [loop.Target(remark(i), "weird_<!channel>_error" if i % 3 == 0 else None, i % 2 == 0)
               for i in range(30)]
    draft = loop.default_reply(imp)
    # A plain_text draft: markup read as words, a link's address beside its label.
    assert not any(m in draft for m in ("<!", "<@", "<#", "<http")) and "Acme portal (https://evil.example)" in draft
    view = loop.reply_modal(imp, NAME, targets, draft)
    safe_and_shown(view)
    outcome = loop.reply_outcome(imp, posted=[remark(1)], queued=[remark(2)], already=[remark(3)],
                                 skipped=[(remark(4), "<!here>"), (remark(5), "not_in_channel")])
    safe_and_shown(outcome)
    safe_and_shown(loop.thread_reply(HOSTILE))
    assert loop.thread_reply("This was fixed: one invoice.") == {"text": "This was fixed: one invoice."}


def test_praise_note_thank_modal_and_post() -> None:
    note = loop.praise_note("2025-W10", [loop.PraisedProcess(i, NAME, [remark(j) for j in range(7)])
                                         for i in range(3)])
    safe_and_shown(note)
    modal = loop.thank_modal(1, "2025-W10", NAME, [remark(1)])
    safe_and_shown(modal)
    post = loop.thank_post(NAME, HOSTILE, [remark(1), remark(2)], by="U0DAN00001")
    safe_and_shown(post)
    assert len(post["text"]) <= 300


def test_customer_list_line() -> None:
    line = describe(Entry(name="R&D Labs", aliases=("R&D", HOSTILE), tier=HOSTILE, owner="U0BOB00001",
                          teams=("T0ACME",), rules=("ext-acme-*",)))
    safe_and_shown({"text": line})


def test_triage_modal() -> None:
    rows = [UnfiledRow(i, SENT, HOSTILE if i % 2 else None, "U0CARLA001", LINK, "complaint", AT) for i in range(5)]
    view = triage.build_view(rows, 9, [(1, NAME)], note="Filed.")
    safe_and_shown(view)
    assert block_errors(view["blocks"], max_blocks=100) == []


P = Period(dt.date(2025, 3, 3), dt.date(2025, 3, 10))
PERIODS = [Period(P.start - dt.timedelta(days=7 * i), P.end - dt.timedelta(days=7 * i)) for i in range(7, -1, -1)]


def hostile_digest() -> Digest:
    quotes = [QuoteRow(i, 1, "complaint", SENT * 3, HOSTILE if i % 2 else None, "U0CARLA001", LINK, 3, AT)
              for i in range(3)]
    c = Counts(praise=2, complaint=5, complaint_endorsements=9, praise_endorsements=2, suggestion=1)
    line = ProcessLine(1, NAME, "U0BOB00001", c, Counts(complaint=1), c, 1.0, 0.3, [0, 1, 2, 3, 4, 5, 6, 7],
                       [1] * 8, quotes, mix=CustomerMix(((HOSTILE, 3), ("no tier", 1)), 120000, 2),
                       themes=[theme_line()])
    return Digest("T1", P, PERIODS, "Europe/Berlin", Counts(praise=10, complaint=30, neutral=2), Counts(complaint=20),
                  7, 12, [line], [line], [Moved(1, NAME, Counts(complaint=1), Counts(complaint=9), True)],
                  [(NAME, 4)], 40, 3, {NAME: ([1] * 8, [2] * 8)},
                  shipped=[Shipped(7, HOSTILE, NAME, AT, "complaints 25 % → 5 %")], ideas=[line])


def test_digest_message_and_preview() -> None:
    d = hostile_digest()
    message = render.digest_message(d)
    safe_and_shown(message)
    assert block_errors(message["blocks"]) == []
    safe_and_shown(render.preview_blocks(d, "The weekly digest is on."))


def test_the_terminal_digest_reads_the_entities_back() -> None:
    text = render.digest_text(hostile_digest())
    assert "&amp;" not in text and "&lt;" not in text
    assert "Zebracorn @channel @U0VICTIM portal (https://evil.example) & <" in text
