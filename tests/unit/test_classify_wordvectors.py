"""Static word vectors: shipped with the wheel, loaded without side effects, and they
route remarks that share no word (and no thesaurus concept) with their process."""

import logging
import sys

import numpy as np

from bot.classify import ProcessSpec, WorkspaceModel, wordvectors


def test_vectors_load_from_the_installed_wheel_without_side_effects():
    handlers = list(logging.getLogger().handlers)
    v = wordvectors.embed("The refund still hasn't arrived")
    assert v.shape == (wordvectors.DIM,)
    assert abs(float(v @ v) - 1.0) < 1e-5
    # Read directly from the package's files: importing wordllama would configure the
    # root logger (and its loader would try Hugging Face for the tokenizer).
    assert "wordllama" not in sys.modules
    assert logging.getLogger().handlers == handlers


def test_nothing_to_embed_gives_zeros():
    for text in ("", "   ", ":tada: <https://example.com>", "<@U123>"):
        assert not wordvectors.embed(text).any(), text


def test_related_meanings_are_closer_than_unrelated_ones():
    def cos(a: str, b: str) -> float:
        return float(wordvectors.embed(a) @ wordvectors.embed(b))

    assert cos("the airline lost my suitcase", "flights and hotels") > cos(
        "the airline lost my suitcase", "lunches and meals")
    assert cos("the soup was delicious", "lunches and meals") > cos(
        "the soup was delicious", "job interviews")


def test_remarks_sharing_no_word_with_their_process_are_guessed_right():
    specs = [
        ProcessSpec("hiring", "Hiring", "Recruiting candidates and job interviews", ("recruiter",)),
        ProcessSpec("food", "Catering", "Lunches and meals we order for events", ("menu",)),
        ProcessSpec("travel", "Travel", "Flights and hotels for business trips", ("booking",)),
    ]
    model = WorkspaceModel.build(specs)
    # Word and character features alone put each of these under the wrong process.
    expected = {
        "the airline lost my suitcase": "travel",
        "the applicant never heard back": "hiring",
        "the soup was delicious": "food",
        "the resume screening took weeks": "hiring",
    }
    for text, key in expected.items():
        assert model.classify(text).routing.candidates[0][0] == key, text


def test_a_cached_vector_cannot_be_changed_by_its_caller():
    v = wordvectors.embed("invoice was wrong")
    assert not v.flags.writeable
    assert np.array_equal(v, wordvectors.embed("invoice was wrong"))


def test_vocabulary_lookup_by_hash_matches_an_exact_lookup():
    from bot.classify.features import Featurizer, raw_features

    texts = ["the refund never arrived", "card declined at the shop", "top-up pending",
             "how do I verify my identity?"]
    f = Featurizer.fit(texts)
    names = sorted({n for t in texts for n in raw_features(t)[0]})
    exact = {n: i for i, n in enumerate(names)}
    queries = names + ["wunseen", "c zz", "bnot there", "tnothing"]
    want = [exact.get(n, -1) for n in queries]
    assert f.columns(queries).tolist() == want
    # The exact fallback (used if two names ever share a hash) agrees too.
    f._exact = exact
    assert f.columns(queries).tolist() == want
    assert Featurizer.fit([]).columns(["wanything"]).tolist() == [-1]


def test_a_remarks_lookup_by_cached_hashes_matches_its_feature_names():
    from bot.classify.features import Featurizer, raw_features, raw_hashes

    exemplars = ["the refund never arrived", "card declined at the shop", "top-up pending"]
    f = Featurizer.fit(exemplars, embed_weight=2.0)
    for text in exemplars + ["I can't top up, it's still pending", "refund refund refund", ""]:
        names, tf = raw_features(text)
        keys, tf_keys = raw_hashes(text)
        assert keys.tolist() == [hash(n) for n in names]  # same features, same order
        assert np.array_equal(tf, tf_keys)
        by_hash, by_name = f.vector(text), f.vector(text, (names, tf))
        for a, b in zip(by_hash, by_name, strict=True):
            assert np.array_equal(a, b)
