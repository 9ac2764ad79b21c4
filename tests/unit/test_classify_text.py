"""Slack markup normalisation and odd inputs."""

from bot.classify import ProcessSpec, WorkspaceModel
from bot.classify.text import MAX_TEXT_CHARS, NEGATIVE_CUE, POSITIVE_CUE, normalise, stem

PROCS = [
    ProcessSpec("billing", "Billing", "Invoices, charges and refunds", ("invoice", "refund")),
    ProcessSpec("support", "Support", "Tickets and response times", ("ticket", "reply")),
]


def test_mentions_channels_links_entities():
    text = "hey <@U123ABC> see <#C0456|general> &amp; <https://x.io/a|the doc> <!here> <https://y.io>"
    assert normalise(text) == "hey see general & the doc"


def test_emoji_become_cues_or_vanish():
    assert normalise(":+1: thanks :tada: :rage: :custom_thing:") == (
        f"{POSITIVE_CUE} thanks {POSITIVE_CUE} {NEGATIVE_CUE}"
    )
    assert normalise(":disappointed: :heart:", emoji_cues=False) == ""
    assert normalise("great 👍") == f"great {POSITIVE_CUE}"


def test_stemmer_collapses_inflections():
    assert stem("arrived") == stem("arrival") == stem("arrives")
    assert stem("cancelled") == stem("canceled")
    assert stem("recognised") == stem("recognized")


def test_odd_inputs_classify_without_error():
    model = WorkspaceModel.build(PROCS)
    for text in ["", "   ", ":tada: :+1:", "<https://example.com>", "<@U123>",
                 "这个发票有问题吗", "¿Dónde está mi reembolso?", "x" * 40_000,
                 "invoice " * 8_000]:
        result = model.classify(text)
        assert 0.0 <= result.routing.confidence <= 1.0
        assert -1.0 <= result.sentiment.score <= 1.0
    for text in ["", "<https://example.com>", "<@U123>", "这个发票有问题吗"]:
        result = model.classify(text)
        assert result.routing.process_key is None
        assert result.sentiment.label == "neutral"


def test_huge_text_is_capped():
    assert len(normalise("word " * 20_000)) <= MAX_TEXT_CHARS
