"""`/feedback` subcommands for this feature (filled in as the feature lands)."""

from __future__ import annotations
