"""Earshot's text classifier: routes remarks to processes and judges their sentiment.

Everything runs on the CPU from data shipped in this package; see docs/classifier.md.
"""

from .model import DEFAULT_THRESHOLD, WorkspaceModel
from .types import (
    SENTIMENTS,
    Classification,
    LabelledExample,
    ProcessSpec,
    Routing,
    SentimentResult,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "SENTIMENTS",
    "Classification",
    "LabelledExample",
    "ProcessSpec",
    "Routing",
    "SentimentResult",
    "WorkspaceModel",
]
