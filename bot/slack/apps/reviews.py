"""App Store and Google Play review bots (open-source posters such as wahni/reviews-to-slack
and techinpark/appstore-review-bot, and services built the same way): "New review for
App!" with the stars ("★★☆☆☆") as the author line or a Score field, the review's title and
words, "by Author, date", and the version, country and store in fields or the footer.

Taken: the review's title and words. Dropped: the header, the stars, the byline, version,
country and footer. Contact: the reviewer's name (a store user, not a company, so no
customer). Score: the stars. Link: the store page when the post gives one.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores
from bot.slack.apps.post import View, link_matching, notice_of, tidy, unmark

APP_STORE, GOOGLE_PLAY = "App Store", "Google Play"
SITES = ("apps.apple.com/", "itunes.apple.com/", "play.google.com/")
_BYLINE = re.compile(r"^\s*_?by\s+(.+?)(?:,\s*[^,]*\d{4}[^,]*)?_?\s*$", re.I)
_META = ("version", "country", "device", "os", "language", "store", "app", "date", "locale")


def store_of(view: View) -> str:
    text = view.everything().lower() + " " + view.app.lower()
    return GOOGLE_PLAY if any(w in text for w in ("google play", "play store", "android",
                                                   "play.google.com")) else APP_STORE


def _stars(view: View) -> Rating | None:
    for chunk in [*view.heads, *(x for _, x in view.fields), *view.bodies]:
        found = scores.stars_in(chunk)
        if found is not None and found.kind == "stars":
            return found
    rated = view.field("score", "rating", "stars")
    return scores.number(rated, "stars") if rated else None


def _author_beside_stars(line: str) -> str | None:
    rest = re.sub(r"[★☆✩⭐]|:[a-z0-9_+\-]+:|:[^\s:]{1,8}:|\d(?:\.\d)?\s*/\s*5", " ", unmark(line))
    rest = re.sub(r"^\W+|\W+$", "", " ".join(rest.split()))
    return rest if 2 <= len(rest) <= 60 and not rest.lower().startswith(("new review", "rating")) else None


def extract(view: View) -> AppPost:
    contact = None
    words: list[str] = []
    for title, _ in view.titles:
        if title and not generic.is_boilerplate(title):
            words.append(unmark(title))
    for body in view.bodies:
        for line in body.splitlines():
            by = _BYLINE.match(unmark(line))
            if by:
                contact = contact or by.group(1).strip()
            elif scores.stars_in(line):
                # "★★☆☆☆  :flag: Author": the stars line names the reviewer (a Block Kit poster
                # quotes stars and author together).
                contact = contact or _author_beside_stars(line)
            elif line.strip() and not generic.is_boilerplate(line):
                words.append(unmark(line).strip())
    for label, value in view.fields:
        key = label.lower()
        if any(w in key for w in ("user", "author", "reviewer", "name")):
            contact = contact or unmark(value).strip()
        elif not any(w in key for w in (*_META, "score", "rating", "star")) and value.strip():
            words.append(unmark(value).strip())
    words = [w for w in words if w and not re.fullmatch(r"[★☆⭐\s]+", w)]
    # The review itself (its reviewId) before the app's store page.
    link = link_matching(view, "reviewId=", "/reviews/") or link_matching(view, *SITES)
    return AppPost(source=store_of(view), text=tidy("\n".join(dict.fromkeys(words))),
                   notice=notice_of(view), contact=contact, link=link,
                   score=_stars(view))
