"""Other apps' posts read as remarks: one small module per app (Zendesk, Freshdesk,
Intercom, HubSpot, Typeform, SurveyMonkey, Delighted, App Store / Google Play review
bots), the generic rule for any other app, and the registry that picks one.

Pure code: a post (a Slack message dict with ``bot_id``) in, an ``AppPost`` out (the
customer's own words, the app as source, customer, contact, link, score). The domain maps
it to ``bot.domain.capture.origin.Origin``. docs/sources-slack.md lists what each rule
takes and drops; tests/unit/apps/ holds a post per app, shaped as that app posts it.
"""

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps.post import app_name, app_names, domain_of, shared_post
from bot.slack.apps.registry import NAMES, extract

__all__ = ["NAMES", "AppPost", "Rating", "app_name", "app_names", "domain_of", "extract", "shared_post"]
