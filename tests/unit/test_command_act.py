"""The act a remark asks for (bot/classify/command_act.py; weighed in theme vectors)."""

import numpy as np

from bot.classify import theme_vectors
from bot.classify.command_act import act


def test_a_question_or_a_request_to_tell_is_ask():
    assert act("what's new on facebook today") == "ask"
    assert act("olly, tell me my alarms for tomorrow") == "ask"
    assert act("does the pizza place deliver") == "ask"
    assert act("can you show my unread emails") == "ask"


def test_a_command_opening_on_a_listed_verb_is_do():
    assert act("please order a pizza from the corner shop") == "do"
    assert act("i want to cancel my transfer") == "do"
    assert act("book table for two at seven") == "do"  # no object word: the list says verb


def test_an_unlisted_verb_is_do_when_an_object_follows_it():
    assert act("dim the lights in the kitchen") == "do"
    assert act("snooze it for ten minutes") == "do"


def test_a_remark_opening_on_a_noun_or_a_function_word_has_no_act():
    # Read as commands before the verb test (every opener not a function word was "do"),
    # which split an invoice process's "never arrived" theme in two.
    assert act("invoice shows an incorrect amount") is None
    assert act("no invoice received yet") is None
    assert act("invoice still missing from my inbox") is None
    assert act("my card got declined twice") is None
    assert act("the invoice never arrived") is None
    assert act("") is None


def test_the_act_pulls_one_acts_commands_together_over_shared_slots(monkeypatch):
    # HWU64's social and takeaway scenarios in kind (written for this test): posting and
    # reading share their slots (delta, twitter), so a post is closer to a question about the
    # same feed than to a post elsewhere; the act narrows that, and leaves a noun opener alone.
    post, other_post = "tweet my complaint to delta airlines", "post a photo of my cat on facebook"
    question, noun = "what did delta airlines tweet today", "invoice shows an incorrect amount"
    monkeypatch.setattr(theme_vectors, "ACT_WEIGHT", 0.0)
    off = [theme_vectors.vector(t) for t in (post, other_post, question, noun)]
    monkeypatch.setattr(theme_vectors, "ACT_WEIGHT", 1.2)
    on = [theme_vectors.vector(t) for t in (post, other_post, question, noun)]
    assert on[0] @ on[1] > off[0] @ off[1] + 0.05  # two commands: closer
    assert on[0] @ on[2] < off[0] @ off[2] - 0.03  # a command and a question: further apart
    assert np.array_equal(on[3], off[3])  # no act, the same vector
