"""WorkspaceModel routing behaviour: thresholds, determinism, corrections."""

import random

from bot.classify import (
    DEFAULT_THRESHOLD,
    SENTIMENTS,
    LabelledExample,
    ProcessSpec,
    WorkspaceModel,
)
from bot.domain.processes.process_file import load_starter_processes


def starter_specs() -> list[ProcessSpec]:
    return [ProcessSpec(d.name, d.name, d.description, d.keywords)
            for d in load_starter_processes()]


def test_no_processes_is_unfiled_with_zero_confidence():
    result = WorkspaceModel.build([]).classify("the invoice is wrong")
    assert result.routing.process_key is None
    assert result.routing.confidence == 0.0
    assert result.routing.candidates == ()
    assert result.sentiment.label in SENTIMENTS


def test_routes_obvious_remarks_with_starter_set():
    model = WorkspaceModel.build(starter_specs())
    assert set(model.process_keys) == {p.key for p in starter_specs()}
    expected = {
        "we charged them twice on the last invoice": "Billing",
        "the courier lost the package": "Delivery",
        "the dashboard crashes when exporting": "Product quality",
        "nobody replied to their ticket": "Support",
        "kickoff call and account setup went well": "Onboarding",
    }
    for text, process in expected.items():
        routing = model.classify(text).routing
        assert routing.process_key == process, (text, routing)
        assert len(routing.candidates) == 3
        assert routing.candidates[0] == (process, routing.confidence)
        assert routing.confidence >= DEFAULT_THRESHOLD


def test_unfiled_below_threshold():
    specs = starter_specs()
    remark = "the weather in Lisbon is lovely this week"
    result = WorkspaceModel.build(specs).classify(remark)
    assert result.routing.process_key is None
    assert result.routing.candidates  # still offers guesses
    strict = WorkspaceModel.build(specs, threshold=1.0).classify("invoice is wrong")
    assert strict.routing.process_key is None
    assert strict.routing.candidates[0][0] == "Billing"


def test_deterministic_and_order_independent():
    specs = starter_specs()
    examples = [LabelledExample(f"remark number {i} about invoices", "Billing") for i in range(5)]
    texts = ["invoice is late again", "the export button vanished", "great support"]
    a = WorkspaceModel.build(specs, examples).classify_many(texts)
    shuffled_specs, shuffled_examples = specs[:], examples[:]
    random.Random(3).shuffle(shuffled_specs)
    random.Random(4).shuffle(shuffled_examples)
    b = WorkspaceModel.build(shuffled_specs, shuffled_examples).classify_many(texts)
    assert a == b
    assert [WorkspaceModel.build(specs).classify(t) for t in texts] == \
        WorkspaceModel.build(specs).classify_many(texts)


def test_correction_changes_routing_of_similar_remark():
    specs = starter_specs()
    before = WorkspaceModel.build(specs).classify("where did the export button go")
    correction = LabelledExample("the export button is missing", "Product quality")
    after = WorkspaceModel.build(specs, [correction]).classify("where did the export button go")
    assert after.routing.process_key == "Product quality"
    assert after.routing.confidence > before.routing.candidates[0][1] or \
        before.routing.candidates[0][0] == "Product quality"


def test_corrections_move_an_ambiguous_remark():
    specs = starter_specs()
    text = "the welcome pack never turned up"
    for target in ("Onboarding", "Delivery"):
        examples = [LabelledExample("welcome pack never turned up for the new hires", target)]
        assert WorkspaceModel.build(specs, examples).classify(text).routing.process_key == target


def test_two_models_with_conflicting_corrections_stay_independent():
    specs = starter_specs()
    text = "the welcome pack never turned up"
    a = WorkspaceModel.build(specs, [LabelledExample(text, "Onboarding", "complaint")])
    b = WorkspaceModel.build(specs, [LabelledExample(text, "Delivery", "neutral")])
    assert a.classify(text).routing.process_key == "Onboarding"
    assert b.classify(text).routing.process_key == "Delivery"
    assert a.classify(text).sentiment.label == "complaint"
    assert b.classify(text).sentiment.label == "neutral"
    assert a.classify(text).routing.process_key == "Onboarding"  # unchanged by b


def test_examples_for_unknown_processes_are_ignored():
    specs = starter_specs()
    texts = ["the invoice is wrong", "ship it faster"]
    plain = WorkspaceModel.build(specs).classify_many(texts)
    with_unknown = WorkspaceModel.build(
        specs, [LabelledExample("the invoice is wrong", "Nonexistent")]
    ).classify_many(texts)
    assert [c.routing for c in plain] == [c.routing for c in with_unknown]


def test_large_workspace_builds_and_routes_every_process():
    # 20 processes x 50 examples, the size the bench times; only behaviour is checked here.
    specs = [ProcessSpec(f"p{i}", f"Process {i}", f"All about topic {i} and things",
                         tuple(f"kw{i}_{j}" for j in range(10))) for i in range(20)]
    rng = random.Random(0)
    vocab = "invoice export slow broken delivery ticket login sync report charge".split()
    examples = [LabelledExample(" ".join(rng.choices(vocab, k=8)) + f" marker{i % 20}",
                                f"p{i % 20}") for i in range(1000)]
    model = WorkspaceModel.build(specs, examples)
    assert len(model.process_keys) == 20
    for i in range(20):
        routing = model.classify(f"invoice sync broken marker{i}").routing
        assert routing.candidates[0][0] == f"p{i}"


def test_synonyms_route_without_examples():
    # The shipped thesaurus links words the process never mentions.
    specs = [
        ProcessSpec("refunds", "Refunds", "Customers asking for a refund", ("refund",)),
        ProcessSpec("access", "Account access", "Customers who cannot log in", ("password",)),
    ]
    model = WorkspaceModel.build(specs)
    assert model.classify("please reimburse me").routing.candidates[0][0] == "refunds"
    assert model.classify("I forgot my passcode").routing.candidates[0][0] == "access"


def testdropout_copies_drop_content_words_only():
    from bot.classify.routing import dropout_copies

    # Each copy drops one share of the content words and keeps the stop words.
    copies = dropout_copies("the refund for my order never arrived", 8)
    assert len(copies) == 4  # refund, order, never, arrived
    assert all("the" in c.split() and "my" in c.split() for c in copies)
    assert "the for my order never arrived" in copies
    # Two copies: alternate content words each.
    assert len(dropout_copies("the refund for my order never arrived", 2)) == 2
    # Nothing to learn from a one-word remark.
    assert dropout_copies("refund", 8) == []


def test_batches_of_any_size_agree_with_one_at_a_time():
    from bot.classify.model import BATCH

    model = WorkspaceModel.build(starter_specs())
    texts = [f"invoice {i} was wrong" if i % 3 else f"support ticket {i} ignored"
             for i in range(BATCH + 7)]
    batch = model.classify_many(texts)
    assert len(batch) == len(texts)
    for i in (0, 1, BATCH - 1, BATCH, BATCH + 6):
        one = model.classify(texts[i])
        assert batch[i].routing.process_key == one.routing.process_key
        assert abs(batch[i].routing.confidence - one.routing.confidence) < 1e-3
        assert batch[i].sentiment == one.sentiment
