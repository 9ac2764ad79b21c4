"""Plain data types shared by the classifier's modules and the bot integration."""

from __future__ import annotations

from dataclasses import dataclass

# Below this routing confidence a remark stays unfiled, for triage.
DEFAULT_THRESHOLD: float = 0.5

SENTIMENTS: tuple[str, ...] = ("praise", "complaint", "neutral")


@dataclass(frozen=True)
class ProcessSpec:
    """A process as the classifier sees it (the bot passes ``str(process.id)`` as key)."""

    key: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelledExample:
    """A remark a person filed or corrected; either label may be missing."""

    text: str
    process_key: str | None = None
    sentiment: str | None = None


@dataclass(frozen=True)
class Routing:
    """Which process a remark belongs to; ``process_key`` is None when unfiled."""

    process_key: str | None
    confidence: float
    candidates: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class SentimentResult:
    """Sentiment label plus a score from -1 (strong complaint) to +1 (strong praise)."""

    label: str
    score: float


@dataclass(frozen=True)
class Classification:
    """Routing and sentiment for one remark."""

    routing: Routing
    sentiment: SentimentResult
