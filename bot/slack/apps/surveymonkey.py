"""SurveyMonkey's Slack app: "New response to *Survey*" with the answered questions as
fields and a "View response" link to ``https://www.surveymonkey.com/analyze/...``. See
survey.py for what is taken."""

from __future__ import annotations

from bot.slack.app_post import AppPost
from bot.slack.apps import survey
from bot.slack.apps.post import View

NAME = "SurveyMonkey"
SITES = ("surveymonkey.com/analyze", "surveymonkey.com/")


def extract(view: View) -> AppPost:
    return survey.response(view, source=NAME, sites=SITES)
