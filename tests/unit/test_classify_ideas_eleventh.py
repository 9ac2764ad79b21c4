"""Ideas, eleventh pass (issue 23, item 2): sites brought over "if there was...", an offer
to test a feature not yet built, "all we need now is...", a plan asked about with a verb that
opens the product, a remark labelled "suggestion:", "would change everything", "can we get
something that...", an offer to pay in other words, what every other tool does, a rival's
feature given as the reason, the product talking to another tool one day, "it'd be amazing
to have...". Each named shift is shown to be what turns its example: with the shift at 0 the
remark is misread. None of the remarks is in a training file, a dev set or a check set."""

import pytest

from bot.classify import WorkspaceModel
from bot.classify.idea_wishes import WISH_SHIFTS
from tests.unit.idea_shifts import is_idea_without, shifts_fired

MODEL = WorkspaceModel.build([])

# (shift, remark): each an idea
CASES = [
    ("bring_over_if", "we'd take our Dundee and Perth sites across if there was group billing"),
    ("tester_offer", "glad to pilot the new stock screen if you build it"),
    ("all_we_need", "all we need now is a holiday calendar for the drivers"),
    ("planning_change", "are you planning to let franchisees see their own sales?"),
    ("label_idea", "quick suggestion - show the delivery slot on the receipt"),
    ("change_everything", "a shared diary for both vets would change everything"),
    ("something_that", "can we get something that emails the tenant when rent is late?"),
    ("fork_out", "we'd gladly shell out for an extra admin seat"),
    ("others_do", "every other payroll package we've used sends payslips by email"),
    ("rival_reason", "your competitor offers live chat and that's the only reason our boss is wavering"),
    ("talk_to_tool", "any chance the till will hook up to Xero at some point?"),
    ("itd_good", "it'd be brilliant to have the delivery notes on the tablet"),
]


def test_every_eleventh_pass_shift_has_a_case():
    assert {name for name, _, _ in WISH_SHIFTS} == {name for name, _ in CASES}


@pytest.mark.parametrize(("shift", "text"), CASES)
def test_each_eleventh_pass_shift_is_what_turns_its_example(shift, text, monkeypatch,
                                                             fresh_idea_caches):
    assert MODEL.classify(text).sentiment.label == "suggestion"
    assert not is_idea_without(monkeypatch, shift, text)


# Look-alikes the shifts leave alone: threats, a fix to test, a service waited for, a plan
# that is not the product's, a suggestion box, a price rise, someone sent out, a cost forced
# on us, cheaper rivals, a connection that broke.
@pytest.mark.parametrize(("shift", "text"), [
    ("bring_over_if", "we'd take our business elsewhere if there was another outage"),
    ("tester_offer", "happy to test the fix once you ship it"),
    ("tester_offer", "we're keen to get the beta working again"),
    ("all_we_need", "all we need now is the signed lease"),
    ("all_we_need", "all we need now is for someone to ring us back"),
    ("all_we_need", "the only thing missing is a date for the install"),
    ("planning_change", "are you planning to call us back?"),
    ("planning_change", "are you planning to open the office on Saturday?"),
    ("label_idea", "suggestion box is full of complaints"),
    ("label_idea", "request id 4432 still pending"),
    ("change_everything", "the price rise would change everything for our budget"),
    ("something_that", "can we get someone out to fix the till?"),
    ("something_that", "can we get something in writing that confirms the refund?"),
    ("fork_out", "we'd have to fork out for a new printer"),
    ("others_do", "every other supplier charges less"),
    ("rival_reason", "your competitor has cheaper plans and that's why we're leaving"),
    ("talk_to_tool", "will the app connect to Xero again after the update?"),
    ("talk_to_tool", "can the app connect to our VPN?"),
    ("itd_good", "it'd be great to get a reply today"),
])
def test_the_eleventh_pass_leaves_look_alikes_alone(shift, text):
    assert shift not in shifts_fired(text)


@pytest.mark.parametrize("text", [
    "we'd take our business elsewhere if there was another outage",
    "happy to test the fix once you ship it",
    "all we need now is the signed lease",
    "are you planning to call us back?",
    "the price rise would change everything for our budget",
    "can we get someone out to fix the till?",
    "every other supplier charges less",
    "your competitor has cheaper plans and that's why we're leaving",
    "will the app connect to Xero again after the update?",
])
def test_the_look_alikes_are_not_ideas(text):
    assert MODEL.classify(text).sentiment.label != "suggestion"
