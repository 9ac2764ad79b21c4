"""Earshot: catches customer feedback in Slack, files it against processes, posts a weekly digest."""

__version__ = "0.1.0"
