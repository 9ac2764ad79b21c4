"""Which rule reads a post: by the app's name (its bot profile or legacy username), else by
the links it carries (the app's own site), else by its shape (a store review's stars);
anything else gets the generic rule. Picking never fails: every post gets a remark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.app_post import AppPost
from bot.slack.apps import (
    delighted,
    freshdesk,
    generic,
    hubspot,
    intercom,
    reviews,
    surveymonkey,
    typeform,
    zendesk,
)
from bot.slack.apps.post import View, view_of

Rule = Callable[[View], AppPost]

# (words in the app's name, sites it links to, rule), most specific first.
RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], Rule], ...] = (
    (("zendesk",), zendesk.SITES, zendesk.extract),
    (("freshdesk",), freshdesk.SITES, freshdesk.extract),
    (("intercom",), intercom.SITES, intercom.extract),
    (("hubspot",), hubspot.SITES, hubspot.extract),
    (("typeform",), typeform.SITES, typeform.extract),
    (("surveymonkey", "survey monkey"), surveymonkey.SITES, surveymonkey.extract),
    (("delighted",), delighted.SITES, delighted.extract),
    (("app store", "appstore", "itunes", "google play", "play store", "review"), reviews.SITES,
     reviews.extract),
)
NAMES = ("Zendesk", "Freshdesk", "Intercom", "HubSpot", "Typeform", "SurveyMonkey", "Delighted",
         reviews.APP_STORE, reviews.GOOGLE_PLAY)


def rule_for(view: View) -> Rule:
    name = view.app.lower()
    for words, _, rule in RULES:
        if any(w in name for w in words):
            return rule
    for _, sites, rule in RULES:
        if any(site in url for url in view.links for site in sites):
            return rule
    text = view.everything()
    if ("★" in text or ":star:" in text) and "review" in text.lower():
        return reviews.extract
    return generic.generic


def extract(msg: dict[str, Any]) -> AppPost:
    """The remark in another app's post (see the package docstring)."""
    view = view_of(msg)
    return rule_for(view)(view)
