"""Earshot's text classifier: routes remarks to processes and judges their sentiment.

Everything runs on the CPU from data shipped in this package; see docs/classifier.md.
The model itself (scikit-learn, the word vectors) is imported on first use of
``WorkspaceModel``, not with this package: a bot that has not classified anything yet
starts in well under a second and stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .types import (
    DEFAULT_THRESHOLD,
    POLARITIES,
    SENTIMENTS,
    Classification,
    LabelledExample,
    ProcessSpec,
    Routing,
    SentimentResult,
)

if TYPE_CHECKING:
    from .model import WorkspaceModel

__all__ = [
    "DEFAULT_THRESHOLD",
    "POLARITIES",
    "SENTIMENTS",
    "Classification",
    "LabelledExample",
    "ProcessSpec",
    "Routing",
    "SentimentResult",
    "WorkspaceModel",
]


def __getattr__(name: str) -> Any:
    if name == "WorkspaceModel":
        from .model import WorkspaceModel

        return WorkspaceModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
