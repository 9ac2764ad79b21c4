"""a/an in theme names by the next word's sound (bot/classify/label_article.py)."""

import pytest

from bot.classify.label_article import agree, wants_an


@pytest.mark.parametrize(
    "word",
    ["amtrak", "account", "hour", "honest", "SMS", "ATM", "HR", "NFT", "ID",
     "uninstall", "urgent", "umbrella", "unusual", "Amtrak"],
)
def test_an_before_a_vowel_sound(word):
    assert wants_an(word)


@pytest.mark.parametrize(
    "word",
    # look-alikes: a vowel letter said as a consonant, an "h" said, an acronym said as a word
    ["user", "unique", "unit", "usual", "euro", "one-off", "once", "UI", "USB", "URL", "SIM",
     "NASA", "house", "hotel", "PIN", "card", "urine"],
)
def test_a_before_a_consonant_sound(word):
    assert not wants_an(word)


def test_agree_mends_only_the_articles():
    assert agree("purchase a amtrak ticket") == "purchase an amtrak ticket"
    assert agree("an user · an SMS code") == "a user · an SMS code"
    # look-alikes left alone: a capital A (a letter), and "a"/"an" inside other words
    assert agree("vitamin A intake") == "vitamin A intake"
    assert agree("banana an apple") == "banana an apple"
    assert agree("can a user") == "can a user"
