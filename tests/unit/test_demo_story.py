"""The demo's script and its terminal rendering: pure pieces, no bot."""

from __future__ import annotations

import datetime as dt

from bot.demo import story as s
from bot.demo.render import Names, Style, mrkdwn, render_blocks


def test_story_is_in_time_order_and_uses_every_route():
    steps = s.story()
    kinds = {type(x) for x in steps}
    assert {s.Registry, s.Say, s.React, s.Forward, s.Mention, s.Shortcut, s.Command, s.Edit, s.Delete,
            s.Correct, s.WeekEnds, s.Improve, s.Ship, s.Batch} <= kinds
    assert isinstance(steps[0], s.Registry)  # the registry is there before the first remark
    assert [x.week for x in steps if isinstance(x, s.WeekEnds)] == [1, 2, 3, 4, 5, 6, 7]
    named = set()
    for x in steps:
        for ref in (getattr(x, "message", None), getattr(x, "thread", None)):
            assert ref is None or ref in named, f"{x} refers to a message not said yet"
        if isinstance(x, s.Say) and x.name:
            named.add(x.name)


def test_story_starts_seven_weeks_before_the_last_monday_slot():
    wednesday = dt.datetime(2025, 3, 12, 15, 0, tzinfo=dt.UTC)
    start = s.start_of_story(wednesday)
    assert start == dt.datetime(2025, 1, 20, tzinfo=dt.UTC) and start.weekday() == 0
    last_slot = start + s.At(49, "09:00").offset()
    assert last_slot <= wednesday
    # Early on a Monday, before 09:05, this Monday's slot has not passed yet.
    assert s.start_of_story(dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)) == dt.datetime(2025, 1, 13, tzinfo=dt.UTC)


def test_the_loop_starts_from_a_posted_digest_and_has_enough_feedback_for_a_verdict():
    """The improvement is started from a digest already posted, shipped after, and each side of
    the ship holds the 30 remarks the check needs before it gives a verdict."""
    from bot.domain.loop import impact

    steps = s.story()
    [improve] = [x for x in steps if isinstance(x, s.Improve)]
    [ship] = [x for x in steps if isinstance(x, s.Ship)]
    digest = next(x for x in steps if isinstance(x, s.WeekEnds) and x.week == improve.week)
    assert digest.at.offset() < improve.at.offset() < ship.at.offset() and ship.link == improve.link
    capturing = (s.Say, s.Command, s.Shortcut, s.Forward)
    before = sum(len(x.lines) if isinstance(x, s.Batch) else 1 for x in steps
                 if isinstance(x, (*capturing, s.Batch)) and x.at.offset() < ship.at.offset()
                 and not (isinstance(x, s.Command) and not x.text.startswith(("[", "("))))
    after = sum(len(x.lines) for x in steps if isinstance(x, s.Batch) and x.at.offset() > ship.at.offset())
    assert after >= impact.MIN_REMARKS and before >= impact.MIN_REMARKS
    billing_after = [ln for x in steps if isinstance(x, s.Batch) and x.at.offset() > ship.at.offset()
                     for ln in x.lines if ln.startswith("[Billing]")]
    assert len(billing_after) == 1  # complaints fall; they do not vanish


def test_mrkdwn_becomes_readable_text():
    names = Names({"U0ALICE001": "Alice Moreau"}, {"C0SUPPORT1": "support"})
    text = ("*Billing* · owner <@U0ALICE001> in <#C0SUPPORT1> :red_circle: 3 `▁▂█` _no owner_ "
            "<https://x.slack.com/archives/C1/p1|view> <!date^1700000000^{date_short}|Nov 14> &lt;b&gt;")
    assert mrkdwn(text, names, Style(unicode=True)) == (
        "Billing · owner @Alice Moreau in #support 🔴 3 ▁▂█ no owner view ↗ Nov 14 <b>")
    assert mrkdwn(":red_circle: x", names, Style(unicode=False)) == "x"
    assert "\x1b[1m" in mrkdwn("*bold*", names, Style(color=True))


def test_blocks_render_controls_quotes_and_headers():
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Weekly digest"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "> a quote\n— *Acme*"},
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Triage"}}},
        {"type": "actions", "elements": [
            {"type": "static_select", "action_id": "p", "placeholder": {"type": "plain_text", "text": "Change"},
             "initial_option": {"text": {"type": "plain_text", "text": "Billing"}, "value": "1"}},
            {"type": "button", "text": {"type": "plain_text", "text": "Undo"}}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "small print"}]},
    ]
    lines = render_blocks(blocks, Names(), width=60)
    assert lines[0].strip() == "Weekly digest" and set(lines[1].strip()) == {"═"}
    assert "│ a quote" in lines[2] and "— Acme" in lines[3] and "[ Triage ]" in lines[4]
    assert "[ Billing ▾ ]  [ Undo ]" in lines[5]
    assert "small print" in lines[-1]


def test_the_registry_file_parses_and_names_every_customer_the_story_types():
    """The story's registry is a valid import file (tiers, values, owners who are teammates),
    and every `(Customer)` the story types is one of its customers."""
    import re

    from bot.domain.customers.file import parse

    entries, _ = parse(s.CUSTOMERS, csv_format=False)
    registered = {e.name for e in entries}
    assert {e.tier for e in entries} == {"Enterprise", "Mid-market", "SMB"}
    assert all(e.yearly_value for e in entries)
    assert {e.owner for e in entries if e.owner} <= {p.user_id for p in s.TEAMMATES}
    typed = [ln for x in s.story() for ln in (x.lines if isinstance(x, s.Batch) else
                                              [x.text] if isinstance(x, s.Command) else [])]
    named = {m.group(1) for ln in typed for m in [re.match(r"(?:\[[^\]]+\] )?\(([^)]+)\)", ln)] if m}
    named |= {x.customer for x in s.story() if isinstance(x, s.Shortcut) and x.customer}
    assert named and named <= registered
