"""The demo's script: seven weeks at Northwind Metrics, a small B2B SaaS company.

Pure data, no I/O: who says what, where, when, and how a teammate captures it. The runner
(bot/demo/runner.py) plays each step against the Slack stand-in, which delivers to the
bot exactly what Slack would.

The story is written so the last digest says something true and worth reading:
- **Billing** gets worse every week (a pricing change lands badly: 1, then 3, then 5
  complaints, one of them captured by two teammates);
- **Onboarding** is praised week after week and never complained about;
- **Delivery** draws a single complaint in week 3: a lone remark that must not outrank
  a steady pattern;
- **Support** complaints go away after week 1 (it moves in "Changed");
- a Snowflake-connector remark the classifier cannot place is filed by a person with one
  click, and the next one like it is filed automatically;
- a question that is no process at all stays *unfiled*, for triage.

Every capture route appears: a capture emoji (with a second teammate endorsing), a
forward to the bot, a watched Slack Connect channel where the customer speaks, a mention
in a thread, the message shortcut and its modal, ``/feedback`` with ``[Process] (Customer)``,
an edit, a deletion, and a one-click correction.

The company keeps a customer registry (``CUSTOMERS``, imported first, as ``earshot customers
import`` would): tiers, yearly values, account owners. Every remark finds its customer in it,
so the digest says whose complaints they are ("complaints from Enterprise 3 · Mid-market 2 ·
SMB 1") and the account owners get their daily note.

Then the loop closes (weeks 4 to 7): Dan, who owns Billing, presses *Start an improvement* on
the week 3 digest and ticks its complaints; GitHub's signed webhook ships it when the issue
is closed; the teammates who captured those complaints get one DM each; routine feedback
keeps coming with almost no billing complaints, and the week 7 digest's *Did it work?*
shows the Billing complaint share falling, with the verdict (the owner and the capturers
are told that too).
"""

from __future__ import annotations

import datetime as dt

from bot.demo.steps import (  # the cast and the kinds of step, used as story.X everywhere
    ALICE,
    BOB,
    CARLA,
    DAN,
    DIGEST_ROOM,
    GENERAL,
    KESTREL,
    KESTREL_TEAM,
    MAYA,
    PEOPLE,
    PRODUCT,
    ROOMS,
    SALES,
    SUPPORT,
    TEAM_DOMAIN,
    TEAM_ID,
    TEAM_NAME,
    TEAMMATES,
    WEEKS,
    At,
    Batch,
    Command,
    Correct,
    Delete,
    Edit,
    Forward,
    Improve,
    Mention,
    Person,
    React,
    Registry,
    Room,
    Say,
    Ship,
    Shortcut,
    Step,
    WeekEnds,
    first_name,
)

# The customers Northwind Metrics keeps a registry of: tier, yearly value, account owner (Carla,
# the account executive, and Alice), and Kestrel Freight's Slack Connect team. Every customer the
# story's remarks name is here, so each remark finds its customer: typed, from the Slack Connect
# team, or named in its text.
CUSTOMERS = f"""customers:
  - name: Kestrel Freight
    aliases: [Kestrel]
    tier: Enterprise
    value: 180000
    owner: {ALICE.user_id}
    slack_connect: [{KESTREL_TEAM[0]}]
  - name: Pinecone Labs
    aliases: [Pinecone]
    tier: Enterprise
    value: 150000
    owner: {ALICE.user_id}
  - name: Harbor Goods
    tier: Enterprise
    value: 120000
    owner: {CARLA.user_id}
  - name: Oakridge Dental
    aliases: [Oakridge]
    tier: Mid-market
    value: 60000
    owner: {CARLA.user_id}
  - name: Brightline Foods
    aliases: [Brightline]
    tier: Mid-market
    value: 45000
    owner: {CARLA.user_id}
  - name: Atlas Couriers
    tier: Mid-market
    value: 40000
  - name: Fernhill Schools
    tier: SMB
    value: 12000
    owner: {CARLA.user_id}
  - name: Greenfield Clinics
    tier: SMB
    value: 9000
"""
CUSTOMERS_FILE = "customers.yaml"


def _week1() -> list[Step]:
    return [
        # Setting up: the customer registry, as a file; the Slack Connect channel is all
        # customer talk; the digest goes to #product.
        Registry(At(0, "09:00"), "alice", CUSTOMERS_FILE, CUSTOMERS),
        Command(At(0, "09:05"), "alice", "general", "watch #ext-kestrel-freight"),
        Command(At(0, "09:07"), "alice", "general", "digest channel #product"),
        Command(At(0, "09:08"), "alice", "general", "process owner Billing <@U0DAN00001>"),
        Command(At(0, "09:09"), "alice", "general", "process owner Onboarding <@U0ALICE001>"),
        Say(At(0, "10:12"), "bob", "support",
            "Call with Brightline Foods just now: they said the onboarding training sessions were "
            "excellent and their whole warehouse team was live in two days.", name="brightline-training"),
        React(At(0, "10:20"), "alice", "brightline-training"),
        Say(At(0, "14:31"), "maya", "kestrel",
            "Quick note from our side: your setup wizard and the welcome walkthrough made getting "
            "started painless. The team is already using the dashboards.", name="kestrel-setup"),
        Say(At(1, "09:48"), "carla", "sales",
            "Recap from the Oakridge Dental renewal call: they're annoyed they were charged for 40 "
            "seats when they only have 25 users, and want the invoice fixed before they sign.",
            name="oakridge-seats"),
        Forward(At(1, "10:02"), "carla", "oakridge-seats", comment="Renewal blocker, flagging for billing"),
        Say(At(1, "16:20"), "bob", "support",
            "Pinecone Labs escalated: they waited four days for a reply to a P1 ticket. That's not "
            "acceptable for what they pay, their words.", name="pinecone-p1"),
        Shortcut(At(1, "16:25"), "bob", "pinecone-p1", process="Support", sentiment="complaint",
                 customer="Pinecone Labs", note="P1 sat in the wrong queue over the weekend"),
        Say(At(2, "08:55"), "bob", "support",
            "Harbor Goods: the Snowflake connector failed overnight and their morning reports were "
            "empty.", name="harbor-snowflake"),
        React(At(2, "09:03"), "bob", "harbor-snowflake"),
        Correct(At(2, "09:04"), "bob", "harbor-snowflake", process="Product quality"),
        Say(At(2, "11:40"), "carla", "sales",
            "Pinecone Labs on today's QBR: the new dashboard filters are great and the export bug is "
            "gone, their ops team uses them every morning.", name="pinecone-filters"),
        Mention(At(2, "11:52"), "dan", "pinecone-filters", note="worth keeping for the roadmap review"),
        Command(At(3, "15:10"), "carla", "sales",
                "[Onboarding] (Fernhill Schools) Loved the onboarding checklist, the data import just "
                "worked first time."),
        Say(At(3, "17:02"), "bob", "support",
            "Greenfield Clinics asked whether we publish a roadmap for the mobile app.", name="atlas-roadmap"),
        React(At(3, "17:05"), "bob", "atlas-roadmap"),
        Say(At(4, "10:30"), "bob", "support",
            "Jonas from support followed up with Brightline the next morning without them asking; "
            "they really appreciated it.", name="brightline-followup"),
        React(At(4, "10:41"), "alice", "brightline-followup"),
        Command(At(4, "16:45"), "dan", "product",
                "(Harbor Goods) The dashboard takes forever to load in the mornings, like 30 seconds."),
        WeekEnds(At(7, "09:00"), 1),
    ]


def _week2() -> list[Step]:
    return [
        Say(At(7, "10:05"), "maya", "kestrel",
            "Since the pricing change our renewal invoice is 30% higher and nobody told us.",
            name="kestrel-pricing"),
        Edit(At(7, "10:09"), "kestrel-pricing",
             "Since the pricing change our renewal invoice is 30% higher and nobody told us. Not happy, "
             "we need to talk before the renewal."),
        Say(At(8, "09:15"), "bob", "support",
            "Harbor Goods again: the Snowflake connector failed again last night, reports empty this "
            "morning.", name="harbor-snowflake-2"),
        React(At(8, "09:20"), "alice", "harbor-snowflake-2"),
        Command(At(8, "14:02"), "carla", "sales",
                "[Billing] (Fernhill Schools) Their finance team got the March invoice twice and paid "
                "both; they want a refund."),
        Say(At(9, "11:11"), "bob", "support",
            "Internal: Greg says the Oakridge onboarding was rough, I'll double-check before we log it.",
            name="oops"),
        React(At(9, "11:12"), "carla", "oops"),
        Delete(At(9, "11:20"), "oops"),
        Say(At(9, "15:30"), "carla", "sales",
            "Brightline Foods: the kickoff and training sessions were excellent again for their second "
            "site, everyone was set up in a day.", name="brightline-site2"),
        React(At(9, "15:34"), "carla", "brightline-site2"),
        Say(At(10, "10:00"), "bob", "support",
            "Oakridge Dental: their credit card was charged again after they cancelled the add-on.",
            name="oakridge-card"),
        React(At(10, "10:06"), "bob", "oakridge-card"),
        Say(At(10, "13:25"), "maya", "kestrel",
            "Support answered my ticket in ten minutes yesterday, that was amazing. Thank you!",
            name="kestrel-support"),
        Say(At(11, "09:40"), "carla", "sales",
            "Pinecone Labs on the onboarding of their new hires: the welcome walkthrough and training "
            "got everyone going in an afternoon, really smooth.", name="pinecone-onboarding"),
        Forward(At(11, "09:52"), "carla", "pinecone-onboarding"),
        WeekEnds(At(14, "09:00"), 2),
    ]


def _week3() -> list[Step]:
    return [
        Say(At(14, "09:35"), "bob", "support",
            "Harbor Goods were double charged on this month's invoice and want a refund today.",
            name="harbor-double"),
        React(At(14, "09:41"), "bob", "harbor-double"),
        React(At(14, "09:58"), "alice", "harbor-double"),  # a second teammate: an endorsement
        Say(At(14, "13:10"), "maya", "kestrel",
            "Our invoice still shows the old VAT number even after we updated it twice in the billing "
            "portal. Our accountants can't book the invoice or pay it.", name="kestrel-vat"),
        Command(At(15, "10:20"), "carla", "sales",
                "[Billing] (Brightline Foods) The new pricing page is confusing and the invoice doesn't "
                "match the quote we signed."),
        Say(At(15, "16:05"), "bob", "support",
            "Pinecone Labs: the billing portal won't let them download invoices or payment receipts, "
            "their finance team is chasing them every week.", name="pinecone-receipts"),
        Mention(At(15, "16:09"), "alice", "pinecone-receipts", note="third billing one this week"),
        Say(At(16, "11:00"), "carla", "sales",
            "Oakridge Dental says the onboarding training for their new clinic was excellent, "
            "they want the same trainer next time.", name="oakridge-training"),
        React(At(16, "11:04"), "dan", "oakridge-training", emoji="speech_balloon"),
        Say(At(16, "13:20"), "maya", "kestrel",
            "Your onboarding team trained our new dispatchers this week, excellent sessions again. "
            "Everyone was set up by lunch.", name="kestrel-training"),
        Say(At(16, "14:44"), "bob", "support",
            "Atlas Couriers: the barcode scanners they ordered arrived two weeks late, one box was "
            "damaged and the delivery tracking never updated.", name="atlas-scanners"),
        React(At(16, "14:50"), "bob", "atlas-scanners"),
        Say(At(17, "10:15"), "carla", "sales",
            "Fernhill Schools on the renewal call: they were charged the old price plus the new "
            "price on the same invoice. Second billing mistake this term.", name="fernhill-charge"),
        Shortcut(At(17, "10:20"), "carla", "fernhill-charge", process="Billing", sentiment="complaint",
                 customer="Fernhill Schools"),
        Say(At(17, "15:30"), "bob", "support",
            "Kestrel told us support followed up the next morning with a fix, really appreciated it.",
            name="kestrel-followup"),
        React(At(17, "15:33"), "bob", "kestrel-followup"),
        WeekEnds(At(21, "09:00"), 3),
    ]


LINK = "https://github.com/northwind/billing/issues/118"


def _loop() -> list[Step]:
    """Weeks 4 to 7: Dan starts an improvement from the week 3 digest, GitHub ships it, the
    people who captured its remarks are told, and four weeks on the digest checks it."""
    return [
        Improve(At(21, "09:30"), "dan", 3, "Billing",
                title="Invoices use the customer's current VAT number and the signed price",
                description="Invoices are built from the billing portal's current details and the signed "
                            "quote; a second invoice for the same order is blocked.",
                link=LINK),
        Batch(At(21, "11:00"), "bob", "support", (
            "[Billing] (Greenfield Clinics) Our invoice still lists last year's VAT number, again.",
            "[Billing] (Atlas Couriers) The invoice total does not match the quote we signed, please fix it.",
            "[Support] (Harbor Goods) Support fixed our routing problem within the hour, great job.",
            "[Onboarding] (Greenfield Clinics) The onboarding trainer was excellent, very clear sessions.",
            "[Delivery] (Pinecone Labs) The replacement scanners arrived a week late and nobody told us.",
            "Greenfield Clinics asked whether the API has a sandbox for testing.",
        ), "Monday's calls, two more invoice complaints among them"),
        Ship(At(22, "17:00"), LINK, "dan"),
        Batch(At(23, "10:00"), "carla", "sales", _routine(1), "an ordinary week, no billing complaint"),
        WeekEnds(At(28, "09:00"), 4),
        Batch(At(29, "10:00"), "bob", "support", _routine(2), "an ordinary week, no billing complaint"),
        WeekEnds(At(35, "09:00"), 5),
        Batch(At(36, "10:00"), "carla", "sales", _routine(3) + (
            "[Billing] (Atlas Couriers) A late fee showed up on our invoice that we did not expect.",),
              "an ordinary week, and one billing complaint"),
        WeekEnds(At(42, "09:00"), 6),
        Batch(At(43, "10:00"), "bob", "support", _routine(4), "an ordinary week, no billing complaint"),
        WeekEnds(At(49, "09:00"), 7),
    ]


def _routine(week: int) -> tuple[str, ...]:
    """Eight remarks of an ordinary week after the ship: praise, a few complaints, none on Billing."""
    return (
        f"[Onboarding] (Fernhill Schools) The onboarding sessions were excellent again, week {week} of the rollout.",
        f"[Onboarding] (Oakridge Dental) Loved the training for the new clinic staff, really smooth (week {week}).",
        f"[Support] (Pinecone Labs) Support answered in ten minutes and solved it, thank you (week {week}).",
        f"[Support] (Brightline Foods) Great help from support on the export question, much appreciated ({week}).",
        f"[Product quality] (Harbor Goods) The dashboard is slow to load in the mornings again (week {week}).",
        f"[Delivery] (Atlas Couriers) The delivery tracking did not update for two days (week {week}).",
        f"[Product quality] (Kestrel Freight) The new report filters are great, the team uses them daily ({week}).",
        f"Brightline Foods asked about the roadmap for the mobile app (week {week}).",
    )


def story() -> list[Step]:
    """The whole script, in time order."""
    steps = _week1() + _week2() + _week3() + _loop()
    assert all(a.at.offset() <= b.at.offset() for a, b in zip(steps, steps[1:], strict=False))
    return steps


def start_of_story(now: dt.datetime) -> dt.datetime:
    """The Monday 00:00 UTC three weeks before the latest Monday 09:00 UTC that has passed,
    so the last digest falls due before ``now`` and every period is in the past."""
    now = now.astimezone(dt.UTC)
    monday = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    if now < monday + dt.timedelta(hours=9, minutes=5):
        monday -= dt.timedelta(days=7)
    return monday - dt.timedelta(days=7 * WEEKS)


__all__ = [
    "CUSTOMERS",
    "CUSTOMERS_FILE",
    "TEAM_ID",
    "TEAM_NAME",
    "TEAM_DOMAIN",
    "Person",
    "ALICE",
    "BOB",
    "CARLA",
    "DAN",
    "KESTREL_TEAM",
    "MAYA",
    "TEAMMATES",
    "PEOPLE",
    "first_name",
    "Room",
    "GENERAL",
    "SUPPORT",
    "SALES",
    "PRODUCT",
    "KESTREL",
    "ROOMS",
    "DIGEST_ROOM",
    "WEEKS",
    "At",
    "Say",
    "React",
    "Forward",
    "Mention",
    "Shortcut",
    "Command",
    "Edit",
    "Delete",
    "Correct",
    "WeekEnds",
    "Improve",
    "Ship",
    "Batch",
    "Registry",
    "Step",
    "LINK",
    "start_of_story",
    "story",
]
