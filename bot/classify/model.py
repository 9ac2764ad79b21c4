"""WorkspaceModel: one workspace's routing + sentiment model, the bot's entry point."""

from __future__ import annotations

from collections.abc import Sequence

from . import heap, language
from .routing import Router
from .sentiment import SentimentModel
from .types import (
    DEFAULT_THRESHOLD,
    Classification,
    LabelledExample,
    ProcessSpec,
    Routing,
    SentimentResult,
)

# Chosen from the bench; see docs/classifier.md.
BATCH = 256

# Before the first build: its buffers would otherwise stay resident once freed (heap.py).
heap.fix_mmap_threshold()


class WorkspaceModel:
    """One workspace's model: built from its processes + its people's filed/corrected remarks."""

    def __init__(self, router: Router, sentiment: SentimentModel, threshold: float) -> None:
        self._router = router
        self._sentiment = sentiment
        self.threshold = threshold

    @classmethod
    def build(
        cls,
        processes: Sequence[ProcessSpec],
        examples: Sequence[LabelledExample] = (),
        *,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> WorkspaceModel:
        """Fit a model; examples naming unknown processes are ignored for routing."""
        return cls(Router(processes, examples), SentimentModel.build(examples), threshold)

    @property
    def process_keys(self) -> tuple[str, ...]:
        return self._router.keys

    def classify(self, text: str) -> Classification:
        """classify_many([text])[0] without a batch's lists and dicts: the bot classifies
        one remark at a time, and for one remark that plumbing was a few per cent of it."""
        text = text or ""
        lang = language.detect(text)
        if lang != language.ENGLISH:
            return _unread(lang)
        routing = self._router.route_one(text, self.threshold)
        return Classification(routing, self._sentiment.predict(text), lang)

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        out: list[Classification] = []
        # In chunks: a batch's score matrices grow with its size (a 100,000-line file
        # would need gigabytes at once), and chunks of this size are as fast.
        for start in range(0, len(texts), BATCH):
            chunk = [t or "" for t in texts[start : start + BATCH]]
            langs = language.detect_many(chunk)
            read = [i for i, lang in enumerate(langs) if lang == language.ENGLISH]
            english = [chunk[i] for i in read]
            routings = self._router.route_many(english, self.threshold) if english else []
            sentiments = self._sentiment.predict_many(english) if english else []
            done = dict(zip(read, zip(routings, sentiments, strict=True), strict=True))
            out += [
                Classification(*done[i]) if i in done else _unread(lang)
                for i, lang in enumerate(langs)
            ]
        return out


def _unread(lang: str) -> Classification:
    """A remark the English model cannot read: unfiled, no tone, its language said."""
    return Classification(Routing(None, 0.0, ()), SentimentResult("neutral", 0.0), lang)
