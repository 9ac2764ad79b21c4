"""Typeform's Slack integration: "New response to *Form*" (or "You have a new response"),
each question in bold over its answer, and a "View response" link to
``https://admin.typeform.com/form/<id>/results``. See survey.py for what is taken."""

from __future__ import annotations

from bot.slack.app_post import AppPost
from bot.slack.apps import survey
from bot.slack.apps.post import View

NAME = "Typeform"
SITES = ("admin.typeform.com/", ".typeform.com/")


def extract(view: View) -> AppPost:
    return survey.response(view, source=NAME, sites=SITES)
