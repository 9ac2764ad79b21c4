"""Plain business remarks from templates with slots (issue 23, item 1, broad-data pass).
Written for this project (MIT). Tried and not shipped: see docs/classifier.md, "Broad
business data" (on dev parts the templated rows cost TweetEval and our regression set at
any weight tried, 0.2-1, and moved our business dev sets by at most 0.001).

    python bench/tone_business_generate.py --out FILE [--n-per-template 16] [--seed 23]

The kinds the hand-written passes kept missing, in many wordings: amounts told against what
was expected, percentages and counts, waiting, effort, churn and renewals, sarcastic thanks
without a problem word, litotes; each with look-alikes of the other two tones (the same
money and time words stated as a plain fact, a request or a question). Slots are drawn per
industry (SaaS, retail, logistics, banking, travel, healthcare admin, utilities) so that a
sentence's nouns agree. Output is deterministic for a seed; rows equal after lower-casing
are dropped. bench/tone_data_overlap.py --train FILE checks the output against the
held-out checks (0 pairs for the default seed).
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable
from pathlib import Path

# Per industry: things delivered, a service, a quote document, a bill, a request, a fixer,
# something done for them, a place, units counted.
INDUSTRY: dict[str, dict[str, list[str]]] = {
    "saas": {
        "thing": ["the data export", "the SSO setup", "the API key", "the sandbox", "the new workspace"],
        "service": ["the implementation", "the data migration", "the custom integration", "the onboarding package"],
        "quote": ["the proposal", "the order form", "the sales quote", "the pricing page"],
        "bill": ["the first invoice", "this month's invoice", "the renewal invoice", "the overage bill"],
        "request": ["the seat change", "the plan downgrade", "our admin transfer", "the data deletion request"],
        "fixer": ["your support engineer", "the solutions team", "our customer success manager", "the on-call engineer"],
        "place": ["the admin console", "the billing page", "the reporting tab"],
        "units": ["tickets", "sync jobs", "API calls", "nightly imports"],
        "people": ["our admins", "the sales team", "our analysts", "the account team"],
    },
    "retail": {
        "thing": ["the spring stock", "the shop fittings", "the new tills", "the replacement stock", "the display units"],
        "service": ["the shop refit", "the window display", "the stock count", "the till installation"],
        "quote": ["the supplier's quote", "the price list", "the catalogue price", "the buyer's estimate"],
        "bill": ["the supplier invoice", "the fitting bill", "the final invoice", "the card terminal bill"],
        "request": ["the returns authorisation", "our stock transfer", "the price correction", "the credit for damaged goods"],
        "fixer": ["the area manager", "your merchandising team", "the store support desk", "the supplier's rep"],
        "place": ["the stockroom", "the Camden store", "the online shop"],
        "units": ["orders", "click-and-collect parcels", "store deliveries", "returns"],
        "people": ["our store managers", "the shop floor staff", "our buyers", "the weekend team"],
    },
    "logistics": {
        "thing": ["the pallets", "the container", "the refrigerated load", "the spare parts", "the crates"],
        "service": ["the freight forwarding", "the customs clearance", "the warehousing", "the last-mile delivery"],
        "quote": ["the freight quote", "the rate card", "the haulier's estimate", "the booking confirmation"],
        "bill": ["the freight invoice", "the storage bill", "the demurrage charge", "the carrier's invoice"],
        "request": ["the collection request", "our rebooking", "the proof of delivery", "the damage claim"],
        "fixer": ["the depot supervisor", "your dispatch team", "the driver", "the shipping coordinator"],
        "place": ["the Felixstowe depot", "the cross-dock", "the loading bay"],
        "units": ["shipments", "pallets", "consignments", "deliveries"],
        "people": ["our drivers", "the warehouse staff", "our planners", "the night shift"],
    },
    "banking": {
        "thing": ["the new cards", "the replacement debit card", "the loan funds", "the card reader", "the cheque book"],
        "service": ["the business account opening", "the mortgage switch", "the merchant setup", "the overdraft review"],
        "quote": ["the fee schedule", "the loan offer", "the rate we were offered", "the tariff sheet"],
        "bill": ["the monthly statement", "the transaction fees", "the account charges", "the arrangement fee"],
        "request": ["the limit increase", "the address change", "the chargeback", "our payee approval"],
        "fixer": ["the relationship manager", "the branch team", "your fraud team", "the business banking desk"],
        "place": ["the app", "the High Street branch", "online banking"],
        "units": ["payments", "transfers", "card transactions", "direct debits"],
        "people": ["our finance team", "the bookkeepers", "our treasury staff", "the payroll clerks"],
    },
    "travel": {
        "thing": ["the tickets", "the visa letters", "the hotel vouchers", "the rail passes", "the itinerary"],
        "service": ["the group booking", "the conference package", "the airport transfers", "the incentive trip"],
        "quote": ["the booking quote", "the package price", "the travel agent's estimate", "the fare we were shown"],
        "bill": ["the final booking invoice", "the hotel bill", "the change fee", "the group invoice"],
        "request": ["the name change", "the seat request", "our refund for the cancelled leg", "the date change"],
        "fixer": ["the travel desk", "the hotel's front desk", "our travel agent", "the airline's desk"],
        "place": ["the airport", "the hotel", "the booking site"],
        "units": ["flights", "bookings", "transfers", "room nights"],
        "people": ["our travellers", "the delegates", "the sales reps", "the crew"],
    },
    "health": {
        "thing": ["the referral letters", "the test results", "the prescriptions", "the patient records", "the appointment letters"],
        "service": ["the records transfer", "the scheduling system rollout", "the billing audit", "the clinic setup"],
        "quote": ["the practice's estimate", "the treatment quote", "the fee schedule", "the contract price"],
        "bill": ["the patient invoice", "the lab bill", "the clearing-house fee", "the dental bill"],
        "request": ["the records request", "the insurance pre-authorisation", "the appointment change", "the repeat prescription"],
        "fixer": ["the practice manager", "the front desk", "the billing office", "the clinic coordinator"],
        "place": ["the patient portal", "the reception desk", "the Eastside clinic"],
        "units": ["claims", "appointments", "referrals", "lab orders"],
        "people": ["our nurses", "the receptionists", "the GPs", "our billing clerks"],
    },
    "utilities": {
        "thing": ["the smart meter", "the new boiler", "the broadband router", "the solar panels", "the meter reading"],
        "service": ["the installation", "the line transfer", "the boiler service", "the fibre connection"],
        "quote": ["the installer's quote", "the tariff we signed up to", "the estimate on the website", "the engineer's quote"],
        "bill": ["the quarterly bill", "the final bill", "the energy bill", "the connection charge"],
        "request": ["the tariff switch", "the meter exchange", "the account closure", "the move-in reading"],
        "fixer": ["the engineer", "the installer", "your customer service team", "the field technician"],
        "place": ["the customer portal", "the flat", "the office"],
        "units": ["meter readings", "engineer visits", "bills", "connections"],
        "people": ["our tenants", "the facilities staff", "our site managers", "the office managers"],
    },
}
AMOUNTS = [(320, 575), (1200, 1900), (85, 140), (450, 720), (1.8, 2.6), (60, 95), (9000, 12500),
           (15, 40), (700, 1150), (18, 29), (2500, 4100), (130, 210)]
MONEY = ["{}", "£{}", "${}", "€{}", "{} dollars", "{} euros", "{} pounds"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "April", "June", "September", "October", "November"]
SPANS_LONG = ["nine days", "three weeks", "a fortnight", "five weeks", "eleven working days", "a month and a half"]
SPANS_SHORT = ["twenty minutes", "an hour", "half a day", "ten minutes", "one afternoon", "a single morning"]
PCT_BAD = [38, 45, 52, 57, 61, 64, 68, 71, 74]
PCT_GOOD = [96, 97, 98, 99, 99.5, 100]


Template = Callable[[random.Random, dict[str, list[str]]], str]


def c(rng: random.Random, ind: dict[str, list[str]], key: str) -> str:
    return rng.choice(ind[key])


def _pair(rng: random.Random) -> tuple[str, str]:
    a, b = rng.choice(AMOUNTS)
    unit = rng.choice(MONEY)
    def fmt(v: float) -> str:
        return unit.format(f"{v}k" if v < 10 and v != int(v) else str(int(v)))

    return fmt(a), fmt(b)


# --- complaints -----------------------------------------------------------------------
def over_quote(rng: random.Random, ind: dict[str, list[str]]) -> str:
    lo, hi = _pair(rng)
    return rng.choice([
        f"{c(rng, ind, 'service')} was meant to cost {lo}; we've been charged {hi}",
        f"we signed off on {lo} and {c(rng, ind, 'bill')} shows {hi}",
        f"{lo} on the quote, {hi} on the bill",
        f"how did a {lo} job turn into a {hi} invoice?",
        f"we agreed {lo} up front and somehow paid {hi}",
        f"{c(rng, ind, 'bill')} is {hi} when we were told to expect about {lo}",
    ])


def low_share(rng: random.Random, ind: dict[str, list[str]]) -> str:
    p, u = rng.choice(PCT_BAD), c(rng, ind, "units")
    return rng.choice([
        f"just {p}% of {u} were completed by the agreed date",
        f"on-time {u} slipped to {p}% last quarter",
        f"{p}% of {u} on schedule is well short of the {rng.choice([95, 98, 99])}% in the contract",
        f"we're at {p}% on-time {u} against a target of {rng.choice([90, 95])}%",
        f"{p} in every hundred {u} made it on schedule, no more",
    ])


def count_short(rng: random.Random, ind: dict[str, list[str]]) -> str:
    n, m = rng.choice([(3, 10), (4, 12), (7, 20), (2, 5), (6, 15), (11, 30)])
    u = c(rng, ind, "units")
    return rng.choice([
        f"{n} of the last {m} {u} needed a second attempt",
        f"{n} out of {m} {u} this week had to be redone",
        f"we had {n} {u} come back for rework out of {m}",
        f"of {m} {u} only {m - n} went through first time",
    ])


def waiting_bad(rng: random.Random, ind: dict[str, list[str]]) -> str:
    s = rng.choice(SPANS_LONG)
    return rng.choice([
        f"{c(rng, ind, 'request')} went in {s} ago and we're still waiting",
        f"we're still waiting on {c(rng, ind, 'thing')} that was due on {rng.choice(DAYS)}",
        f"{s} on and {c(rng, ind, 'request')} is still marked in progress",
        f"we're still chasing {c(rng, ind, 'request')} after {s}",
        f"still nothing on {c(rng, ind, 'request')}, {s} later",
        f"we were promised {c(rng, ind, 'thing')} by {rng.choice(MONTHS)} and nothing has turned up",
    ])


def effort_bad(rng: random.Random, ind: dict[str, list[str]]) -> str:
    n = rng.choice(["three", "four", "five", "six"])
    return rng.choice([
        f"{c(rng, ind, 'request')} has needed {n} phone calls so far",
        f"every month {c(rng, ind, 'people')} re-enter the same details by hand",
        f"{c(rng, ind, 'people')} spend an hour a day copying numbers out of {c(rng, ind, 'place')}",
        f"{n} forms and two signatures just for {c(rng, ind, 'request')}",
        f"we keep having to send the same documents for {c(rng, ind, 'request')}",
        "each time we call we start again from the beginning with someone new",
    ])


def churn_bad(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"{c(rng, ind, 'people')} have started using a different provider for {c(rng, ind, 'units')}",
        f"we'll be taking {c(rng, ind, 'service')} elsewhere when the contract is up",
        f"we're going to let the contract lapse in {rng.choice(MONTHS)}",
        f"this is why we're moving {c(rng, ind, 'units')} to another carrier",
        f"we won't be booking {c(rng, ind, 'service')} with you again",
    ])


def sarcasm(rng: random.Random, ind: dict[str, list[str]]) -> str:
    event = rng.choice([
        f"the surprise charge on {c(rng, ind, 'bill')}",
        f"moving {c(rng, ind, 'service')} to a Sunday without asking",
        "the three-day wait for a callback",
        "putting us back at the end of the queue",
        f"closing {c(rng, ind, 'request')} before anyone looked at it",
        "the fourth form asking for the same details",
        "the price rise the week after we signed",
    ])
    return rng.choice([
        f"thanks so much for {event}, really made our week",
        f"cheers for {event}, just what we needed",
        f"really appreciate {event}, lovely touch",
        f"great job on {event}",
        f"nothing says valued customer like {event}",
        f"wonderful, {event} again",
        f"love {event}, never gets old",
        f"so grateful for {event}",
    ])


# --- praise ---------------------------------------------------------------------------
def under_quote(rng: random.Random, ind: dict[str, list[str]]) -> str:
    lo, hi = _pair(rng)
    return rng.choice([
        f"we'd put {hi} aside for {c(rng, ind, 'service')} and only needed {lo}",
        f"{c(rng, ind, 'bill')} came in at {lo}, well below the {hi} we'd set aside",
        f"{c(rng, ind, 'service')} cost {lo}, not the {hi} we'd feared",
        f"they matched the competitor's price and saved us {lo}",
    ])


def high_share(rng: random.Random, ind: dict[str, list[str]]) -> str:
    p, u = rng.choice(PCT_GOOD), c(rng, ind, "units")
    return rng.choice([
        f"on-time {u} are up to {p}% since the switch",
        f"we hit {p}% on {u} for the third month running",
        f"{p}% of {u} were done first time, which beats our old supplier easily",
        f"not one of our {u} was late this quarter",
    ])


def fast(rng: random.Random, ind: dict[str, list[str]]) -> str:
    s = rng.choice(SPANS_SHORT)
    return rng.choice([
        f"{c(rng, ind, 'request')} was done within {s}",
        f"{c(rng, ind, 'fixer')} had it sorted in {s}",
        f"we asked in the morning and {c(rng, ind, 'thing')} arrived the same day",
        f"{c(rng, ind, 'thing')} turned up a day earlier than promised",
        f"{c(rng, ind, 'fixer')} called us back within {s}",
    ])


def effort_good(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"{c(rng, ind, 'request')} needed nothing more than an email from us",
        f"{c(rng, ind, 'people')} no longer copy anything by hand",
        f"{c(rng, ind, 'fixer')} already had all our details, no repeating ourselves",
        f"{c(rng, ind, 'service')} needed nothing from us beyond a signature",
        f"{c(rng, ind, 'people')} save a couple of hours a week since {c(rng, ind, 'service')}",
        f"{c(rng, ind, 'fixer')} handled the whole of {c(rng, ind, 'request')} for us",
    ])


def churn_good(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"we're adding {rng.choice(['two', 'three', 'five'])} more sites to the contract",
        f"{c(rng, ind, 'people')} asked us to extend it to the other branches",
        f"we've moved {c(rng, ind, 'units')} from our old provider over to you",
        "extending for another two years was an easy call",
        "we've recommended you to our sister company",
        f"we'll be booking {c(rng, ind, 'service')} with you again next year",
    ])


def litotes(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"I'd be hard pressed to fault {c(rng, ind, 'service')}",
        f"no complaints at all from {c(rng, ind, 'people')} about {c(rng, ind, 'place')}",
        f"{c(rng, ind, 'service')} hasn't given us a moment's worry",
        f"nothing to grumble about with {c(rng, ind, 'service')}",
        f"can't think of one thing {c(rng, ind, 'fixer')} got wrong",
        f"couldn't have asked for a smoother {c(rng, ind, 'service').removeprefix('the ')}",
    ])


def thanks_real(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"{c(rng, ind, 'request')} was sorted fast, thank you",
        f"really appreciate {c(rng, ind, 'fixer')} staying late to finish {c(rng, ind, 'service')}",
        f"cheers to {c(rng, ind, 'fixer')} for going the extra mile",
        f"big thanks for getting {c(rng, ind, 'thing')} to us early",
    ])


# --- neutral --------------------------------------------------------------------------
def quote_fact(rng: random.Random, ind: dict[str, list[str]]) -> str:
    lo, hi = _pair(rng)
    return rng.choice([
        f"{c(rng, ind, 'quote')} for {c(rng, ind, 'service')} is {hi}",
        f"{c(rng, ind, 'bill')} for {rng.choice(MONTHS)} is {lo}",
        f"{c(rng, ind, 'service')} is priced at {lo} per month",
        f"{hi} is earmarked for {c(rng, ind, 'service')} in next year's budget",
        f"we settle {c(rng, ind, 'bill')} of {hi} at month end",
        f"the deposit is {lo} and the balance of {hi} is due on completion",
        f"the estimate for {c(rng, ind, 'service')} came to {hi} including tax",
        f"payment of {lo} went out on {rng.choice(DAYS)}",
    ])


def share_fact(rng: random.Random, ind: dict[str, list[str]]) -> str:
    p, u = rng.choice([20, 35, 40, 55, 60, 65, 70, 80]), c(rng, ind, "units")
    return rng.choice([
        f"repeat customers account for roughly {p}% of {u}",
        f"{p}% of {u} are handled by {c(rng, ind, 'people')}",
        f"roughly {p}% of our {u} are booked on a Monday",
        f"we run around {rng.choice([120, 300, 450, 2000])} {u} a week",
        f"{c(rng, ind, 'people')} handle {rng.choice([40, 75, 150])} {u} a day between them",
    ])


def schedule(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"{c(rng, ind, 'service')} is booked for {rng.choice(DAYS)} the {rng.choice(['4th', '12th', '19th', '27th'])}",
        f"{c(rng, ind, 'thing')} should arrive between {rng.choice(['8', '9', '10'])} and {rng.choice(['1', '2', '4'])} on {rng.choice(DAYS)}",
        f"allow {rng.choice(['three', 'five', 'ten'])} working days for {c(rng, ind, 'request')}",
        f"{c(rng, ind, 'request')} usually takes about a week",
        f"{c(rng, ind, 'service')} starts in {rng.choice(MONTHS)} and runs for six weeks",
        f"the agreement rolls over each {rng.choice(MONTHS)}",
        f"we have to give {rng.choice(['two', 'three', 'six'])} months' notice to leave",
    ])


def ask(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"we need {c(rng, ind, 'bill')} for {rng.choice(MONTHS)} re-issued with our PO number",
        f"which team deals with {c(rng, ind, 'request')}?",
        f"{c(rng, ind, 'request')}: what turnaround should we expect?",
        f"is {c(rng, ind, 'service')} billed monthly or up front?",
        f"{rng.choice(['Ana', 'Kofi', 'Lena', 'Raj', 'Tom'])} needs access to {c(rng, ind, 'place')} from Monday",
        f"is there any slot the week after for {c(rng, ind, 'service')}?",
        f"what's the notice period if we change {c(rng, ind, 'service')}?",
        f"does {c(rng, ind, 'quote')} include delivery?",
    ])


def change_fact(rng: random.Random, ind: dict[str, list[str]]) -> str:
    return rng.choice([
        f"{c(rng, ind, 'people')} are moving to {c(rng, ind, 'place')} from next week",
        f"we're closing {c(rng, ind, 'place')} for stocktake on {rng.choice(DAYS)}",
        f"{rng.choice(['Ana', 'Kofi', 'Lena', 'Raj', 'Tom'])} now looks after {c(rng, ind, 'request')} for us",
        f"we've switched {c(rng, ind, 'bill')} to quarterly payments",
        f"reception signed for {c(rng, ind, 'thing')} this morning",
    ])


TEMPLATES: list[tuple[str, Template]] = [
    ("complaint", over_quote), ("complaint", low_share), ("complaint", count_short),
    ("complaint", waiting_bad), ("complaint", effort_bad), ("complaint", churn_bad),
    ("complaint", sarcasm),
    ("praise", under_quote), ("praise", high_share), ("praise", fast), ("praise", effort_good),
    ("praise", churn_good), ("praise", litotes), ("praise", thanks_real),
    ("neutral", quote_fact), ("neutral", share_fact), ("neutral", schedule), ("neutral", ask),
    ("neutral", change_fact),
]


def generate(n_per_template: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    rows: list[tuple[str, str]] = []
    for label, template in TEMPLATES:
        # About the same number of rows per tone: fewer templates draw more each.
        share = sum(1 for lab, _ in TEMPLATES if lab == label)
        want = n_per_template * 7 // share
        tries = 0
        got = 0
        while got < want and tries < want * 20:
            tries += 1
            ind = INDUSTRY[rng.choice(sorted(INDUSTRY))]
            text = template(rng, ind)
            key = text.lower()
            if key in seen:
                continue
            seen.add(key)
            rows.append((text, label))
            got += 1
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-per-template", type=int, default=16)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    rows = generate(args.n_per_template, args.seed)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["text", "label"])
        w.writerows(rows)
    print(f"wrote {args.out} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
