"""Plain business English (issue 23): remarks any teammate reads right without a charged
word, through negation, sarcasm, or as a question. Each named rule is shown to be what
turns its example: with the rule switched off (and the models refit without it) the
example is misread."""

import pytest

from bot.classify import WorkspaceModel, suggestion
from bot.classify.lexicon import business_rules
from bot.classify.rules import RuleSet
from bot.classify.sentiment import SentimentModel, lower_text
from tests.unit.tone_rules import read_without

MODEL = WorkspaceModel.build([])

# (rules, remark, how a person reads it); the remarks are not in any training file.
TONE_CASES = [
    (("churn", "price_rise"), "Acme is churning because of the price increase", "complaint"),
    (("churn", "rival_on_trial"), "Hooli are evaluating other providers", "complaint"),
    (("price_rise",), "the price increase", "complaint"),
    (("wants_money_back",), "they want a refund", "complaint"),
    (("happened_twice",), "the welcome pack came twice", "complaint"),
    # "couldn't be happier" reads as praise without the rule since the broad tone model.
    (("not_bad",), "can't fault their billing team", "praise"),
    # "the third time I've asked" and "how many times do we have to send the form" read as
    # complaints without the rule since the customer-remark and fifth-pass rows.
    (("repeat_count",), "this is the fifth time we've flagged it", "complaint"),
    (("sarcastic_praise",), "nice, one more incident", "complaint"),
    (("sarcastic_praise",), "love paying twice", "complaint"),
    # Second pass: good news as a plain fact, complaints as questions, broken promises,
    # hand work, churn and money told as facts, praise opening a failure.
    (
        ("sarcastic_opener",),
        "wonderful, the card machine went offline at opening time",
        "complaint",
    ),
    (
        ("sarcastic_opener",),
        "great job, the shop sent the wrong size for the third time",
        "complaint",
    ),
    (("quick_turnaround",), "the glazier came out the same morning", "praise"),
    (("trouble_gone", "bad_cut_by"), "abandoned carts have halved this month", "praise"),
    (("trouble_gone",), "the bank refunded the overdraft fee", "praise"),
    (("no_trouble_since",), "no chargebacks since the new checkout went live", "praise"),
    (("not_bad",), "hard to fault the catering team", "praise"),
    (("pointed_question",), "what's the point of tracking if it never updates?", "complaint"),
    (("pointed_question",), "where is our replacement router?", "complaint"),
    (
        ("broken_promise",),
        "the new terminal was due in April and we still take cash only",
        "complaint",
    ),
    (("broken_promise",), "they said the 5th, then the 12th, and now the 20th", "complaint"),
    (("hand_work",), "our clerk types every delivery note into the ledger by hand", "complaint"),
    (("hand_work",), "we approve the timesheets one at a time", "complaint"),
    (("churn_fact",), "the dental group gave notice last week", "complaint"),
    (("churn_fact",), "four of our customers switched to a rival app", "complaint"),
    (("billed_wrongly",), "we were invoiced for the van we returned in June", "complaint"),
    # Third pass: money and waiting told as bare facts, time given back.
    (("said_got",), "the delivery note says 24 crates and we received 18", "complaint"),
    (("said_got",), "we are billed for 30 mailboxes but only 22 are in use", "complaint"),
    (("waited_long", "stuck_since"), "the visa application has been pending since March", "complaint"),
    (("waited_long",), "the installer was booked for the 4th and it is now the 11th", "complaint"),
    (("still_pending",), "the chargeback is still marked as under review", "complaint"),
    (("still_pending",), "the wire from our client is still processing", "complaint"),
    (("time_saved",), "the rota app gives our supervisors back two hours a week", "praise"),
    # Fourth pass: which way money moved, long-open items asked about, trouble that
    # stopped, litotes and faint praise (none a sentence of the dev sets or the check).
    (("costs_more",), "the warehouse lease went up to 9,000 a quarter from 7,500", "complaint"),
    (("costs_more",), "the new tariff costs us about 300 more each month", "complaint"),
    (("costs_more",), "the cloud bill came in 2,000 over the forecast", "complaint"),
    (("costs_less",), "the warehouse lease went down to 7,500 a quarter from 9,000", "praise"),
    (("costs_less",), "the cloud bill came in 2,000 under the forecast", "praise"),
    (
        ("long_open_question",),
        "has anyone looked at the access request we filed in February?",
        "complaint",
    ),
    (("long_open_question",), "is the credit from last quarter coming through yet?", "complaint"),
    (("trouble_stopped",), "we've gone six weeks without a single payroll query", "praise"),
    (
        ("trouble_stopped",),
        "the card machines haven't declined a contactless payment since the swap",
        "praise",
    ),
    (("better_than_feared",), "the office move wasn't nearly as disruptive as we feared", "praise"),
    (("better_than_feared",), "never had a smoother month end", "praise"),
    # The tenth pass's wouldnt_call_it reads the same litotes, so both are switched off.
    (("faint_praise", "wouldnt_call_it"), "I wouldn't call the new menu layout an improvement", "complaint"),
    (("faint_praise",), "the rollout could have gone a lot better", "complaint"),
    (("faint_praise",), "the booking page isn't exactly straightforward", "complaint"),
    (("metric_up", "good_rose_by"), "bookings rose by a fifth after the website refresh", "praise"),
]


@pytest.mark.parametrize(("rules", "text", "label"), TONE_CASES)
def test_business_remarks_are_read_as_a_person_would(rules, text, label):
    assert set(rules) <= set(business_rules(lower_text(text)))
    result = MODEL.classify(text).sentiment
    assert result.label == label, (text, result)


@pytest.mark.parametrize(("rules", "text", "label"), TONE_CASES)
def test_each_rule_is_what_turns_its_example(rules, text, label, monkeypatch, fresh_tone_caches):
    without = read_without(monkeypatch, "BUSINESS", rules, text)
    assert without.tone != label, (text, without)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("not bad at all", "praise"),
        ("the invoice arrived twice", "complaint"),
        ("couldn't be happier", "praise"),
        ("no complaints", "praise"),
        ("not great", "complaint"),
        ("great, another outage", "complaint"),
        ("This is the third time I've asked", "complaint"),
        ("They won't renew", "complaint"),
        ("we were charged twice", "complaint"),
        ("still waiting for the credit note", "complaint"),
        ("I had to call three times", "complaint"),
        # Situational: learnt from the waiting and delivery rows of sentiment_train.csv
        # (read as neutral before them).
        ("our parcel has been at the sorting centre since Monday", "complaint"),
        ("does the basic fare include a checked bag?", "neutral"),
        # Learnt from the issue-23 second-pass rows (no rule needed): neutral asks and facts
        # that share words with complaints, and plain good news.
        ("can someone check whether the pallet was collected?", "neutral"),
        ("what time does the showroom open on Saturdays?", "neutral"),
        ("we moved the install to Wednesday because the site manager is away", "neutral"),
        ("the lease rolls on for twelve months with the rent unchanged", "neutral"),
        ("the kitchen fitters finished two days early", "praise"),
        ("the survey has been postponed three times", "complaint"),
        # Rule cases until the second pass's rows taught them (they pass without the rule).
        ("they are moving to a competitor in May", "complaint"),
        ("they will not be renewing the contract", "complaint"),
        ("no problem at all", "praise"),
        # `pointed_question`'s case until the fourth pass's long-open question rows taught it.
        ("does anyone even look at the feedback form?", "complaint"),
        # `repeat_count`'s and `no_trouble_since`'s cases until the fifth pass's rows and
        # refit taught them (they pass without the rule).
        ("This is the third time I've asked", "complaint"),
        ("the payroll run has never once been late", "praise"),
    ],
)
def test_negation_litotes_and_effort(text, label):
    assert MODEL.classify(text).sentiment.label == label


# (cue, remark). "Can you add SSO with Okta?" is learnt from the questions in the training
# file without the cue; "build", "ship", "integrate" are not. "any plans for a dark mode?"
# stays an idea without its cue since the forum-style rows (it scores 0.72 without, 0.89
# with), so the cue's own case is one the rows do not carry. Likewise "could you build an
# iOS app?", "will there be a Linux app?", "any chance of a Teams app?" and "we'd pay for
# an API" since the rows of issue 23 item 2 (0.70-0.72 without their cue, 0.85-0.92 with).
# "if only the dashboard could show the week's totals" reads as an idea without `if_only`
# (0.68) at the threshold of 0.65, so the cue's case is now "if only the invoice listed the
# PO number" (0.41 without, 0.72 with).
IDEA_CASES = [
    ("idea_question", "can you build an Android widget?"),
    ("idea_question", "can you ship a CSV importer?"),
    # the eighth pass's rows carry "any plans for an Outlook add-in?", "we would pay extra
    # for phone support", "will there be a Linux client?" and "any chance of an Outlook
    # plugin?" without their cue (now plain cases below); these are not carried (0.54 and
    # 0.49 without their cue, 0.80 and 0.76 with)
    ("plans_for", "are there plans for an Outlook plugin?"),
    ("would_pay", "happy to pay for SMS alerts"),
    ("if_only", "if only the invoice listed the PO number"),
    ("if_only", "I wish the calendar synced with Outlook"),
    # issue 23 item 2, third kinds (0.41-0.54 without their cue, 0.74-0.85 with)
    ("plan_offer", "will you be offering weekend delivery?"),
    ("could_it_show", "could the payslip show the pension contribution?"),
    ("why_cant_it", "why doesn't the editor support tables?"),
    ("way_you_could", "any way you could enable comments on invoices?"),
    ("we_need", "we badly need audit logs"),
    # fifth pass (0.42-0.53 without their cue, 0.73-0.81 with)
    ("way_to_get_in", "is there a way to get job updates in Slack?"),
    ("way_to_get_in", "is there a way to get the timesheets automatically?"),
    # "every other CRM we looked at has a mobile app" is carried by the eighth pass's rows
    # (0.53 without its cue since; this one 0.34 without, 0.70 with)
    ("other_tool_does", "Trello has a calendar power-up"),
    ("other_tool_does", "Salesforce has a forecast view by quarter"),
    # `ask_ahead` now takes "have you considered letting/allowing..." and "when will the/your
    # X accept/sync/support...?" (0.32 and 0.41 without, 0.69 and 0.75 with)
    ("ask_ahead", "have you considered letting suppliers upload their own invoices?"),
    ("ask_ahead", "when will your app sync with Outlook?"),
]


@pytest.mark.parametrize(
    "text",
    [t for _, t in IDEA_CASES]
    + [
        "Can you add SSO with Okta?",
        "would be great to export to PDF",
        "we'd pay for an API",
        "any plans for a dark mode?",
        "is there a way to get alerts in Teams?",
        "it would save us hours if the report could be scheduled",
        "have you considered a yearly plan?",
        "any plans for an Outlook add-in?",
        "we would pay extra for phone support",
        "will there be a Linux client?",
        "any chance of an Outlook plugin?",
        "every other CRM we looked at has a mobile app",
    ],
)
def test_ideas_asked_as_questions_and_wishes(text):
    result = MODEL.classify(text).sentiment
    assert result.label == "suggestion", (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "can you resend the invoice?",
        "can you reset my password?",
        "when will the credit reach our account?",
        "will there be any downtime tonight?",
        "we need the signed contract by Friday",
        "can you check my order?",
        "could you add me to the shared channel?",
        "why was I charged twice?",
        "why can't I log in?",
        "do you plan to raise your prices?",
        "could the parcel have gone to the wrong depot?",
        "we really need the signed invoice today",
        "is there any way you could refund the booking fee?",
        # an order for oneself, not a change to the product: the imperative opening stops
        # before "me", "us know", "my/our", "over" (each read as an idea, 0.79-0.96, before)
        "please let us know when it is fixed",
        "let us know when the refund is processed",
        "please send me the contract",
        "please update our billing address",
        "please move my call over to Thursday",
        # the brief's support, how-to and status questions, and look-alikes of the fifth
        # pass's cues: a how-to "is there a way to get...", another tool named in a report
        "is the API down?",
        "how do I export to PDF?",
        "when will my refund arrive?",
        "is there a way to get a copy of last month's statement?",
        "the client said Pipedrive was easier to learn",
        "we moved our bookings over from Calendly in May",
    ],
)
def test_support_requests_are_not_ideas(text):
    assert MODEL.classify(text).sentiment.label != "suggestion"


@pytest.mark.parametrize(("cue", "text"), IDEA_CASES)
def test_each_idea_cue_is_what_turns_its_example(cue, text, monkeypatch, fresh_idea_caches):
    names = [name for name, _ in suggestion.CUES]
    assert names.index(cue) in suggestion._RULES.matches(suggestion.lower_text(text))
    patterns = [p if name != cue else r"(?!)" for name, p in suggestion.CUES]
    monkeypatch.setattr(suggestion, "_RULES", RuleSet(patterns))
    assert SentimentModel.build().predict(text).label != "suggestion"


# The reason given for an idea, said after it ("it would make X more useful"), proposes
# nothing by itself; the `justify` cue (issue 23, item 2) keeps it from reading as an idea.
# Both were read as ideas with the cue switched off (0.74, 0.80; 0.57, 0.63 with it).
JUSTIFY_CASES = [
    "it would make the monthly report far more useful",
    "which would make the invoices easier to read",
]


@pytest.mark.parametrize("text", JUSTIFY_CASES)
def test_a_reason_given_for_an_idea_is_not_an_idea(text, monkeypatch, fresh_idea_caches):
    names = [name for name, _ in suggestion.CUES]
    assert names.index("justify") in suggestion._RULES.matches(suggestion.lower_text(text))
    assert SentimentModel.build().predict(text).label != "suggestion"
    patterns = [p if name != "justify" else r"(?!)" for name, p in suggestion.CUES]
    monkeypatch.setattr(suggestion, "_RULES", RuleSet(patterns))
    suggestion.features.cache_clear()
    suggestion._base_model.cache_clear()
    assert SentimentModel.build().predict(text).label == "suggestion"


# A reason given with its condition ("it would save X if Y") is the idea itself: `justify`
# no longer fires when the sentence holds "if" (0.44-0.63 with it firing, 0.83-0.90 then).
# Since the eighth pass's rows "it would save the buyers a lot of time if repeat orders took
# one click" and "that would save us a lot of phone calls if customers got a tracking link"
# stay ideas with it firing (0.76, 0.68); these three do not (0.64, 0.39, 0.38).
@pytest.mark.parametrize(
    "text",
    [
        "it would help the warehouse if picking lists came out sorted by aisle",
        "it would help our drivers if the route came out in stop order",
        "it would help the nurses if the rota showed who is on call",
    ],
)
def test_a_reason_with_its_condition_is_an_idea(text, monkeypatch, fresh_idea_caches):
    names = [name for name, _ in suggestion.CUES]
    assert names.index("justify") not in suggestion._RULES.matches(suggestion.lower_text(text))
    assert MODEL.classify(text).sentiment.label == "suggestion"
    patterns = [p.replace(r"^(?!.*\bif\b)", "^", 1) if name == "justify" else p
                for name, p in suggestion.CUES]
    monkeypatch.setattr(suggestion, "_RULES", RuleSet(patterns))
    suggestion.features.cache_clear()
    suggestion._base_model.cache_clear()
    assert SentimentModel.build().predict(text).label != "suggestion"


# "if you could send / call / email ..." asks a person for something: `if_could` stops before
# those verbs. Both read as ideas when it fired (0.69, 0.78; 0.41, 0.52 with the stop). Since
# the eighth pass's rows ("it'd be great if you could resend ...") they read right with the
# stop removed too (0.40, 0.45): the stop is no longer what turns them, so this only checks
# that it holds and that they read right.
@pytest.mark.parametrize(
    "text",
    [
        "if you could email the signed form today we'd start on Monday",
        "if you could call the site manager we'd get the delivery sorted",
    ],
)
def test_if_you_could_send_is_a_request_not_an_idea(text):
    names = [name for name, _ in suggestion.CUES]
    assert names.index("if_could") not in suggestion._RULES.matches(suggestion.lower_text(text))
    assert MODEL.classify(text).sentiment.label != "suggestion"


# What should have happened is a complaint about the past, not a proposal: `should_have`
# (eighth pass) keeps these from reading as ideas (0.68 and 0.78 with it switched off, 0.42
# and 0.56 with it); "the app should have a dark mode" (have = own) stays an idea.
@pytest.mark.parametrize(
    "text",
    [
        "the driver should have phoned ahead of the delivery",
        "the portal should have warned us before it deleted the files",
    ],
)
def test_what_should_have_happened_is_not_an_idea(text, monkeypatch, fresh_idea_caches):
    names = [name for name, _ in suggestion.CUES]
    assert names.index("should_have") in suggestion._RULES.matches(suggestion.lower_text(text))
    assert MODEL.classify(text).sentiment.label != "suggestion"
    patterns = [p if name != "should_have" else r"(?!)" for name, p in suggestion.CUES]
    monkeypatch.setattr(suggestion, "_RULES", RuleSet(patterns))
    suggestion.features.cache_clear()
    suggestion._base_model.cache_clear()
    assert SentimentModel.build().predict(text).label == "suggestion"


def test_should_have_with_a_thing_owned_is_still_an_idea():
    names = [name for name, _ in suggestion.CUES]
    text = "the app should have a dark mode"
    assert names.index("should_have") not in suggestion._RULES.matches(suggestion.lower_text(text))
    assert MODEL.classify(text).sentiment.label == "suggestion"


# "support took...", "export took...": a noun that is also a verb opens a report, not an
# order; the imperative cue fired on them and they read as ideas (0.76, 0.79) before it
# skipped these verbs (0.12, 0.13 after).
@pytest.mark.parametrize(
    "text",
    [
        "support replied after two days",
        "support takes ages to answer the chat",
        # "called", "rang", "phoned" too (fifth pass: "support called back within an hour"
        # read 0.69 with the pass's rows before it)
        "support rang us back the next morning",
    ],
)
def test_a_report_opening_with_a_verb_like_noun_is_not_an_imperative(text):
    names = [name for name, _ in suggestion.CUES]
    assert names.index("imperative") not in suggestion._RULES.matches(suggestion.lower_text(text))
    assert MODEL.classify(text).sentiment.label != "suggestion"


# "could you add me to the shared channel?" asks for something for oneself, not a change
# to the product: `can_you` stops before "me/us/my/our" (as `idea_question` does). Without
# that it matched and the remark read as an idea (0.65 at the threshold of 0.65).
def test_can_you_add_me_is_not_the_can_you_cue():
    names = [name for name, _ in suggestion.CUES]
    hits = suggestion._RULES.matches(
        suggestion.lower_text("could you add me to the shared channel?")
    )
    assert names.index("can_you") not in hits
    assert names.index("can_you") in suggestion._RULES.matches(
        suggestion.lower_text("could you add a shared channel for partners?")
    )


# Numbers and dates that are not complaints: the third pass's rules must not fire on them.
@pytest.mark.parametrize(
    "text",
    [
        "the quote is 1500 for the first year and 1200 after that",
        "the invoice shows 12 seats at 30 each and a 10% discount",
        "our order has been open for two days while the stock is counted",
        "the account has been open since 2019",
        "the refund is pending until the returned item reaches the warehouse",
        "the audit takes about three weeks each year",
        "the delivery note says 24 crates and we received 24",
        "it has been a month and we love it",
    ],
)
def test_amounts_and_dates_alone_are_not_money_or_waiting_complaints(text):
    fired = set(business_rules(lower_text(text)))
    assert not fired & {"said_got", "waited_long", "still_pending"}, (text, fired)


# Fourth pass: money, plan changes and asks that are neutral facts; the direction rules and
# the long-open question rule must stay silent on them.
@pytest.mark.parametrize(
    "text",
    [
        "the invoice is higher this month because we added six users",
        "the annual plan is 10% cheaper than paying monthly",
        "we pay 90 a month for the phone line",
        "the new pricing page doubled our trial sign-ups",
        "when does the new rate card take effect?",
        "the order came in over the weekend",
        "we haven't heard a thing since we sent the forms",
    ],
)
def test_money_facts_and_plain_asks_are_not_direction_or_long_open(text):
    fired = set(business_rules(lower_text(text)))
    assert not fired & {"costs_more", "costs_less", "long_open_question", "trouble_stopped"}, (
        text,
        fired,
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # "rebooked" is an airline complaint cue, but not when someone moved their booking.
        ("the guests rebooked their rooms for the following weekend", "neutral"),
        ("we got rebooked on a flight two days later", "complaint"),
    ],
)
def test_a_rebooking_someone_asked_for_is_not_a_complaint(text, label):
    assert MODEL.classify(text).sentiment.label == label
