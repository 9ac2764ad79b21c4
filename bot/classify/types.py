"""Plain data types shared by the classifier's modules and the bot integration."""

from __future__ import annotations

from dataclasses import dataclass

# Below this routing confidence a remark stays unfiled, for triage.
DEFAULT_THRESHOLD: float = 0.5

# What a remark says: its tone (praise, complaint, neutral) or, when it proposes a change,
# an idea ("suggestion"). Stored as-is in remarks.sentiment.
POLARITIES: tuple[str, ...] = ("praise", "complaint", "neutral")
SENTIMENTS: tuple[str, ...] = (*POLARITIES, "suggestion")


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
    """Sentiment label plus a score: for praise/complaint/neutral from -1 (strong
    complaint) to +1 (strong praise); for a suggestion the detector's confidence, 0..1.

    ``tone`` is always one of POLARITIES (a suggestion still has a tone),
    ``suggestion`` the idea detector's probability and ``polarity`` the tone's score, -1..1,
    for a suggestion too (None: the same as ``score``)."""

    label: str
    score: float
    tone: str = "neutral"
    suggestion: float = 0.0
    polarity: float | None = None


@dataclass(frozen=True)
class Classification:
    """Routing and sentiment for one remark, and its language (ISO 639-1). A remark not in
    English is neither routed nor read for tone: unfiled and neutral, for a person."""

    routing: Routing
    sentiment: SentimentResult
    language: str = "en"
