"""Theme names never hold a customer's or a product's name written in lower case (issue 23
item 4): a registered name's own words, a word the workspace capitalises elsewhere, and a
lone word no word list knows as the head (bot.classify.theme_labels, label_text, english)."""

from __future__ import annotations

from bot.classify.english import known
from bot.classify.label_text import name_words
from bot.classify.theme_labels import labels

REFUND = ["refund took three weeks", "waiting on the refund for weeks"]


def said_with(name: str) -> list[str]:
    return [
        f"{name} invoices are wrong",
        f"{name} invoices missing the tax line",
        f"the {name} invoices came late",
    ]


def words(label: str) -> set[str]:
    return {w.casefold() for part in label.split(" · ") for w in part.split()}


def test_a_registered_name_gives_up_its_own_word_written_alone_in_lower_case():
    # "Acme Corp" is also "acme"; "Oakridge Dental" is also "oakridge" (no word list knows it).
    assert "acme" in words(labels({1: said_with("acme"), 2: REFUND})[1])  # the case at stake
    for registered, typed in (("Acme Corp", "acme"), ("Acme Corp.", "ACME"),
                              ("Oakridge Dental", "oakridge")):
        name = labels({1: said_with(typed), 2: REFUND}, exclude=[registered])[1]
        assert typed.casefold() not in words(name) and "invoices" in words(name), (registered, name)


def test_only_a_names_distinctive_words_are_cut_never_its_everyday_ones():
    assert name_words("Bank of America") == {"Bank of America", "America"}
    assert name_words("Oakridge Dental") == {"Oakridge Dental", "Oakridge"}
    assert name_words("Acme Corp") == {"Acme Corp", "Acme"}
    said = [s.replace("X", "bank transfer") for s in said_with("X")]
    assert "bank" in words(labels({1: said, 2: REFUND}, exclude=["Bank of America"])[1])


ZENDESK = [
    "zendesk export shows the old price",
    "the zendesk export is missing tickets",
    "zendesk export failed again",
]


def test_a_word_in_no_word_list_never_joins_a_phrase_of_known_words():
    # Issue 23 item 4: "purchase a amtrak ticket", "call brother mario": the word list holds
    # no proper noun, so a lower-case word it lacks is most often a name.
    said = [
        "purchase a amtrak ticket", "purchase a train ticket", "purchase an amtrak ticket",
        "purchase a train ticket to boston",
    ]
    assert labels({1: said, 2: REFUND})[1] == "purchase a train ticket"
    assert "mario" not in words(labels({1: ["call mario", "call mario now", "call mom"], 2: REFUND})[1])
    # look-alikes: where nothing else is said, the word is still the name; and a word under
    # four letters is most often an acronym written in lower case
    assert labels({1: ["chargeback", "chargeback again please", "chargeback?"], 2: REFUND})[1] == "chargeback"
    said = ["request pto for march", "request pto please", "can I request pto"]
    assert labels({1: said, 2: REFUND})[1] == "request pto"


def test_a_word_the_workspace_capitalises_elsewhere_is_a_name_in_lower_case_too():
    seen = ["We sync tickets from Zendesk every night", "the refund was quick"]
    name = labels({1: ZENDESK, 2: REFUND}, seen=seen)[1]
    assert "zendesk" not in words(name) and "export" in words(name), name
    # one member capitalising it is enough too, though the others write it in lower case
    members = [*ZENDESK, "our tickets go to Zendesk export nightly"]
    assert "zendesk" not in words(labels({1: members, 2: REFUND})[1])


def test_an_everyday_word_capitalised_once_stays_a_word():
    said = [
        "the invoice total is wrong",
        "invoice total wrong again",
        "Re the Invoice total: it is wrong",
        "wrong invoice total",
    ]
    assert "invoice" in words(labels({1: said, 2: REFUND})[1])
    # a title capitalises every word: it says nothing about names
    seen = ["Wrong Invoice Total On The Renewal"] * 5
    assert "invoice" in words(labels({1: said, 2: REFUND}, seen=seen)[1])


def test_a_lone_word_no_word_list_knows_does_not_head_a_name():
    said = ["hubspot contacts not syncing", "hubspot deals missing after import",
            "hubspot import failed"]
    name = labels({1: said, 2: REFUND})[1]
    assert name.split(" · ")[0].split()[0] == "import", name
    # an acronym is known, and so is a word of a remark in another language
    assert labels({1: ["VAT missing", "VAT missing again", "no VAT"], 2: REFUND})[1].startswith("VAT")
    colis = ["le colis n'est jamais arrivé au support", "colis jamais arrivé, le support attend",
             "toujours rien, le colis n'est pas arrivé"]
    assert labels({1: colis, 2: REFUND})[1].split()[0] in ("colis", "arrivé")


def test_the_word_lists():
    for w in ("invoice", "invoices", "refunded", "stopped", "cheque", "top-ups", "checkout",
              "foods", "musique", "onboarding"):
        assert known(w), w
    for w in ("hubspot", "globex", "oakridge", "zendesk", "salesforce"):
        assert not known(w), w


def test_a_nationality_or_cuisine_word_names_a_theme_but_a_customer_holding_one_does_not():
    # English capitalises "Thai" by rule: it says what the remarks are about, not who wrote them.
    thai = ["I want Thai food tonight", "order some Thai food", "get me some Thai food",
            "thai food delivery please"]
    weather = ["what is the weather", "weather today please"]
    assert labels({1: thai, 2: weather})[1] == "Thai food"
    assert labels({1: [t.replace("Thai", "Mexican").replace("thai", "mexican") for t in thai],
                   2: weather})[1] == "Mexican food"
    # A registered customer's name is cut whole, and by its word no list knows.
    said = [t.replace("Thai food", "Thai Express") for t in thai]
    assert "thai" not in words(labels({1: said, 2: weather}, exclude=["Thai Express"])[1])
    assert "thai" not in words(labels({1: thai, 2: weather}, exclude=["Thai Express"])[1])
