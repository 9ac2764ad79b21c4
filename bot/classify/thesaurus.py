"""A small hand-written business thesaurus: words and phrases that mean the same thing.

Lexical features cannot tell that "reimburse" and "money back" are the same request,
and with a handful of examples per process the model never sees most synonyms. Each
word or two-word phrase below adds a shared *concept* feature (``t<concept>``) next to
its own word features, so a remark and a process description that use different
words for one idea still overlap. The original words are kept, so a process that
hinges on one exact word loses nothing.

Written from general knowledge of customer-facing businesses (billing, delivery,
accounts, support, product) and card banking and payments, not from any evaluation
text. Entries are stemmed at import with the routing stemmer; a phrase is matched on
adjacent stemmed words after stop words are dropped ("money back", "not find").
Keep groups tight: a group that is too broad ("get", "thing") blurs every process.
"""

from __future__ import annotations

from .text import NEGATIONS, STOPWORDS, stem

_GROUPS: dict[str, str] = {
    # money and payments
    "refund": "refund refunds refunded reimburse reimbursed reimbursement chargeback "
              "repay repaid repayment compensate compensation|money back|pay back|"
              "charge back",
    "fee": "fee fees charge charges charged surcharge commission cost costs pricing price "
           "prices tariff overcharge overcharged deduct deducted|extra charge|hidden charge",
    "decline": "declined decline declining rejected reject rejection refused refuse refusal "
               "denied deny bounced|not accept|not accepted|not approved|not go",
    "fail": "failed fail failing failure unsuccessful error errors|not work|not working|"
            "went wrong|go wrong|not through",
    "transfer": "transfer transfers transferred transferring wire wired remittance remit "
                "sepa swift iban|bank transfer|move money|moved money|send money|sent money",
    "withdraw": "withdraw withdrawal withdrawals withdrew withdrawn withdrawing atm atms "
                "cashpoint|cash machine|cash out|take out|took out",
    "cash": "cash banknotes notes bills coins",
    "topup": "topup topups topped reload reloaded recharge refill refilled|add money|added money|"
             "load money|put money|fund account",
    "exchange": "exchange exchanged exchanging conversion convert converted converting fx "
                "forex|exchange rate|conversion rate",
    "currency": "currency currencies euro euros eur dollar dollars usd pound pounds gbp yen "
                "franc|foreign currency",
    "abroad": "abroad overseas foreign international internationally travel travelling "
              "traveling trip holiday vacation|another country|other country",
    "country": "country countries nation nations region regions europe european eu eea uk "
               "britain british usa america american canada australia worldwide resident "
               "residents residence|united states|united kingdom",
    "location": "location locations place places nearby near nearest local locally",
    "balance": "balance balances funds|available money",
    "pending": "pending processing processed stuck hold|on hold|still waiting|not cleared|"
               "not complete|not completed",
    "statement": "statement statements transaction transactions history activity entry "
                 "entries|account history",
    "unrecognised": "unrecognised unrecognized unknown unfamiliar unauthorised unauthorized "
                    "fraud fraudulent suspicious scam strange weird odd compromised hacked "
                    "hacker breach skimmed cloned|not recognise|"
                    "not recognize|not make|not authorise|not authorize",
    "debit": "debit debits|direct debit|standing order|recurring payment",
    "salary": "salary wage wages paycheck payroll income|get paid",
    "crypto": "crypto cryptocurrency bitcoin btc ethereum",
    "limit": "limit limits maximum max minimum cap",
    "rate": "rate rates",
    # cards, devices and access
    "card": "card cards visa mastercard amex|debit card|credit card",
    "virtual": "virtual disposable online|single use",
    "lost": "lost lose losing stolen stole steal theft thief misplaced missing|not find|"
            "not locate",
    "pin": "pin pins passcode password passwords passphrase|security code",
    "locked": "locked lock blocked block frozen freeze suspended|locked out|shut out",
    "unlock": "unlock unblock unfreeze reactivate reactivated|turn back on",
    "activate": "activate activated activation activating enable enabled",
    "phone": "phone phones mobile smartphone iphone android cellphone|cell phone",
    "app": "app apps application website site portal dashboard",
    "contactless": "contactless tap nfc|apple pay|google pay|tap pay",
    "expire": "expire expired expires expiring expiry expiration|out of date",
    "replace": "replace replacement replacing renew renewal reissue|new card",
    # identity and account
    "verify": "verify verified verifying verification identity identification id kyc "
              "prove proof authenticate authentication|confirm identity",
    "document": "document documents documentation passport licence license selfie photo "
                "picture|driving licence|driving license",
    "account": "account accounts profile profiles membership",
    "close": "close closing closed cancel cancelled canceled cancellation terminate "
             "termination deactivate delete deleted|shut down",
    "personal": "name address details email surname|personal details|contact details",
    "age": "age old older young younger minor minors teen teenager children child kids",
    # delivery and time
    "arrive": "arrive arrived arrives arriving arrival receive received receiving deliver "
              "delivered delivering delivery shipped shipping shipment ship dispatch "
              "dispatched post posted mail mailed courier parcel package|turn up|"
              "show up|come in|not come",
    "track": "track tracking trace tracked whereabouts",
    "time": "long days weeks hours wait waiting waited awaiting delay delayed late slow soon "
            "timeframe eta|how long|take long|taking long",
    "order": "order ordered ordering purchase purchased buy bought",
    # support, product and business
    "support": "support help helpdesk agent agents representative rep staff assistance "
               "assist|customer service|help desk",
    "ticket": "ticket tickets case request requests query queries enquiry inquiry",
    "reply": "reply replied respond responded response answer answered callback|get back|"
             "call back",
    "bug": "bug bugs buggy crash crashes crashed crashing broken glitch glitches freeze "
           "frozen hang hangs|not load|not loading",
    "invoice": "invoice invoices invoiced bill billed billing receipt receipts",
    "subscription": "subscription subscriptions plan plans renewal renew upgrade downgrade "
                    "tier seat seats license licenses",
    "onboard": "onboard onboarding kickoff setup welcome signup|get started|set up|"
               "sign up|getting started",
    "login": "login logon signin access accessing|log in|sign in|log on",
    "report": "report reports export exports exported csv spreadsheet",
    "feature": "feature features functionality option options setting settings",
    "integrate": "integrate integration integrations connect connected connection sync "
                 "syncing synced link linked linking",
    "price": "expensive pricey overpriced cheap cheaper discount discounts",
}


def _build() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], tuple[str, ...]]]:
    singles: dict[str, list[str]] = {}
    pairs: dict[tuple[str, str], list[str]] = {}
    for concept, spec in _GROUPS.items():
        words_part, *phrases = spec.split("|")
        for w in words_part.split():
            singles.setdefault(stem(w), []).append(concept)
        for phrase in phrases:
            toks = ["not" if t in NEGATIONS else stem(t) for t in phrase.split()
                    if t in NEGATIONS or t not in STOPWORDS]
            if len(toks) == 1:
                singles.setdefault(toks[0], []).append(concept)
            elif len(toks) == 2:
                pairs.setdefault((toks[0], toks[1]), []).append(concept)
    return ({k: tuple(sorted(set(v))) for k, v in singles.items()},
            {k: tuple(sorted(set(v))) for k, v in pairs.items()})


# stem -> concepts, (stem, stem) -> concepts
CONCEPTS, PHRASE_CONCEPTS = _build()
