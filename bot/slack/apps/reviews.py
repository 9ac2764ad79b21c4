"""App Store and Google Play review bots (open-source posters such as wahni/reviews-to-slack,
techinpark/appstore-review-bot, TradeMe/ReviewMe, ZhgChgLi/ZReviewsBot, cmtt-ru/reviewer,
and services built the same way): "New review for App!" with the stars ("★★☆☆☆") as the
author line, in the title ("★★☆☆☆ – Title", "Title - ★★☆☆☆") or a Score/Rating field; the
review's title (or a field titled with it) and words; the reviewer as a byline ("by Author,
date"), the attachment's author or an Author field; version, country and store in fields
or the footer.

Taken: the review's title and words. Dropped: the header, the stars, the byline, version,
country and footer. Contact: the reviewer's name (a store user, not a company, so no
customer). Score: the stars. Link: the review (its reviewId) or the store page, never the
reviewer's own page.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores
from bot.slack.apps.post import View, notice_of, tidy, unmark

APP_STORE, GOOGLE_PLAY = "App Store", "Google Play"
SITES = ("apps.apple.com/", "itunes.apple.com/", "play.google.com/", "appstoreconnect.apple.com/")
_BYLINE = re.compile(r"^\s*_?by\s+(.+?)(?:,\s*[^,]*\d{4}[^,]*)?_?\s*$", re.I)
# Field labels (their words, emoji and punctuation aside: "🚀 Version", "App version").
_META = frozenset(("version", "country", "device", "os", "language", "store", "app", "date", "locale",
                   "region", "storefront", "brand", "api", "platform", "build", "territory", "time",
                   "created", "updated", "reply", "link", "id"))
_WHO = frozenset(("user", "username", "author", "reviewer", "name", "nickname", "by"))
_RATED = frozenset(("score", "rating", "stars", "star", "rate"))
_BODY = frozenset(("review", "comment", "text", "body", "content", "title", "message", "description"))
# Stars in a title, with the separator beside them: "★★☆☆☆ – Title" (TradeMe/ReviewMe,
# tomiyan/app-reviews-to-chat), "Title - ★★☆☆☆" (ZhgChgLi/ZReviewsBot).
_TITLE_STARS = re.compile(r"\s*(?:[-–—|:]\s*)?(?:[★☆✩⭐]{1,5}|(?::star:\s*){1,5})(?:\s*[-–—|:])?\s*")
# ZReviewsBot's helpful votes after the stars: " - 3 :thumbsup:".
_LIKES = re.compile(r"\s*[-–—]\s*\d+\s*:thumbsup:\s*")
_LINK = re.compile(r"<[^|>]+\|([^>]+)>")
# A reviewer's own page in the App Store feed (itunes.apple.com/…/reviews/id123): not the review.
_PROFILE = re.compile(r"/reviews/id\d+")


def store_of(view: View) -> str:
    text = view.everything().lower() + " " + view.app.lower()
    return GOOGLE_PLAY if any(w in text for w in ("google play", "play store", "android",
                                                   "play.google.com")) else APP_STORE


def _label_words(label: str) -> set[str]:
    return set(re.findall(r"[a-z]+", label.lower()))


def _is(label: str, kinds: frozenset[str]) -> bool:
    """A short label (three words at most) naming one of ``kinds``: "🚀 Version", "App version"."""
    words = _label_words(label)
    return bool(words & kinds) and len(words) <= 3


def _stars(view: View) -> Rating | None:
    # The footer last ("★★★★☆ | v1.2 | en", "Rating: 2/5 · v3.1 · US": a poster's summary line).
    for chunk in [*view.heads, *(x for _, x in view.fields), *view.bodies, *(t for t, _ in view.titles),
                  *view.footers]:
        found = scores.stars_in(chunk)
        if found is not None and found.kind == "stars":
            return found
    rated = view.field("score", "rating", "stars")
    return scores.number(rated, "stars") if rated else None


def _author_beside_stars(line: str) -> str | None:
    rest = re.sub(r"[★☆✩⭐]|:[a-z0-9_+\-]+:|:[^\s:]{1,8}:|\d(?:\.\d)?\s*/\s*5", " ", unmark(line))
    rest = re.sub(r"^\W+|\W+$", "", " ".join(rest.split()))
    return rest if 2 <= len(rest) <= 60 and not rest.lower().startswith(("new review", "rating")) else None


def _title(title: str) -> str:
    """A review's title without the stars and votes beside it."""
    plain = _LIKES.sub(" ", unmark(title))
    return " ".join(_TITLE_STARS.sub(" ", plain).split()).strip(" -–—|:")


def _person(value: str) -> str:
    """A reviewer field's name: "<https://…/reviews/id42|ivan_p>" is ivan_p."""
    return _LINK.sub(r"\1", unmark(value)).strip()


def _reviewer(view: View) -> str | None:
    """An attachment's author that is the reviewer: not stars, not the app (whose author_link
    is its store page), not a header."""
    for name, link in view.authors:
        plain = unmark(name).strip()
        if (not plain or scores.stars_in(plain) or plain == view.app
                or (link and any(site in link for site in SITES)) or generic.is_boilerplate(plain)):
            continue
        return plain[:120]
    return None


# "Crashes constantly by grumpy_user (US, v3.2)": a stars line with the title and a byline.
_TITLE_BY = re.compile(r"^(.*?)\s*\bby\s+([^\s(,]+(?: [^\s(,]+)?)")


def _read_lines(lines: list[str], words: list[str], contact: str | None) -> str | None:
    """The review's words from ``lines`` into ``words``; returns the reviewer found so far."""
    for line in lines:
        by = _BYLINE.match(unmark(line))
        if by:
            contact = contact or by.group(1).strip()
        elif scores.stars_in(line):
            # "★★☆☆☆  :flag: Author": the stars line names the reviewer (a Block Kit poster
            # quotes stars and author together), or carries the title and a byline.
            rest = _title(re.sub(r"\(\s*\d(?:\.\d)?\s*/\s*5\s*\)|\d(?:\.\d)?\s*/\s*5", " ", line))
            titled = _TITLE_BY.match(rest)
            if titled:
                if (t := titled.group(1).strip(" -–—|:")) and not generic.is_boilerplate(t):
                    words.append(t)
                contact = contact or titled.group(2).strip()
            else:
                contact = contact or _author_beside_stars(line)
        elif line.strip() and not generic.is_boilerplate(line):
            words.append(unmark(line).strip())
    return contact


def extract(view: View) -> AppPost:
    contact = None
    words: list[str] = []
    for title, _ in view.titles:
        if title and not generic.is_boilerplate(title) and (t := _title(title)):
            words.append(t)
    contact = _read_lines([line for body in view.bodies for line in body.splitlines()], words, contact)
    if not words:
        # A poster that writes the whole review into the message's text (no attachment): its
        # lines, not the attachments' author names (also heads).
        authors = {name for name, _ in view.authors}
        contact = _read_lines([line for head in view.heads if head not in authors
                               for line in head.splitlines()], words, contact)
    for label, value in view.fields:
        if not value.strip():
            continue
        if _is(label, _WHO):
            contact = contact or _person(value)
        elif _is(label, _META) or _is(label, _RATED):
            continue
        elif _is(label, _BODY):
            words.append(unmark(value).strip())
        elif len(re.findall(r"[^\W\d_]{2,}", unmark(value))) >= 2:
            # A field titled with the review's own title (cmtt-ru/reviewer): both are its words
            # (a short value, "Helpful: 3", is no review).
            words.extend([_title(label), unmark(value).strip()])
    contact = contact or _reviewer(view)
    words = [w for w in words if w and not re.fullmatch(r"[★☆⭐\s]+", w)]
    # The review itself (its reviewId) before the app's store page.
    link = (next((u for u in view.links if "reviewId=" in u or ("/reviews/" in u and not _PROFILE.search(u))), None)
            or next((u for u in view.links if any(s in u for s in SITES) and not _PROFILE.search(u)), None))
    return AppPost(source=store_of(view), text=tidy("\n".join(dict.fromkeys(words))),
                   notice=notice_of(view), contact=contact, link=link,
                   score=_stars(view))
