"""Delighted's Slack integration: a response with its score ("Score: 3", or "3 - Detractor"),
the person's comment (often quoted), the person's email (and name), properties such as
Company, and a link to the response on delighted.com.

Taken: the comment. Dropped: the header, the score line, properties. Score: NPS 0-10 by
default; CSAT 1-5 when the post names a satisfaction survey; stars for a 5-star survey.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores, survey
from bot.slack.apps.post import View, link_matching, notice_of, tidy, unmark

NAME = "Delighted"
SITES = ("delighted.com/",)
_SCORE_LINE = re.compile(r"^\s*(?:score|rating|nps|csat)\s*[:=]?\s*\*?\s*(\d{1,2})\b|^\s*(\d{1,2})\s*[-–—]\s*"
                         r"(?:promoter|passive|detractor)", re.I)
# "Score of 9/10 from ann@acme.io:" (the wording Zulip's Delighted integration also uses,
# github.com/zulip/zulip zerver/webhooks/delighted/view.py): a sentence that gives the score.
_SCORE_OF = re.compile(r"\bscore\s+(?:of\s+)?(\d{1,2})\s*(?:/\s*(?:10|5)\b|\b)", re.I)


def _kind(view: View, comment: str) -> str:
    # The survey's kind is in the post's own words, not the person's ("not satisfied" in an
    # NPS comment does not make it a CSAT survey).
    text = view.everything().lower()
    for line in comment.lower().splitlines():
        text = text.replace(line, " ") if line.strip() else text
    if "csat" in text or "satisf" in text:
        return "csat"
    if "5-star" in text or "star rating" in text:
        return "stars"
    return "nps"


def _score(view: View, comment: str) -> Rating | None:
    kind = _kind(view, comment)
    rated = scores.first(view, ("score", "rating", "nps", "csat"),
                         lambda v: scores.number(v, kind))  # type: ignore[arg-type]
    if rated:
        return rated
    for line in [*view.lines, *(t for t, _ in view.titles)]:  # "Score: 2" may be the title
        m = _SCORE_LINE.match(unmark(line))
        if m:
            return scores.in_range(kind, int(m.group(1) or m.group(2)))  # type: ignore[arg-type]
        m = _SCORE_OF.search(unmark(line))
        if m:
            return scores.in_range(kind, int(m.group(1)))  # type: ignore[arg-type]
    return None


def _is_comment(line: str) -> bool:
    """Words, or a quoted reply however short ("Thanks!" is a comment Delighted quotes; the
    unquoted "ann@acme.io responded" header is not)."""
    plain = unmark(line).strip()
    quoted = line.lstrip().startswith(">") or (len(plain) > 2 and plain[0] in "\"“" and plain[-1] in "\"”")
    return survey.is_written(line) or (quoted and any(c.isalpha() for c in plain))


def extract(view: View) -> AppPost:
    comment = next((v for label, v in view.fields
                    if any(w in label.lower() for w in ("comment", "feedback", "response", "answer", "reason"))
                    and (survey.is_written(v) or (any(c.isalpha() for c in v) and "@" not in v))), None)
    if comment:
        text = unmark(comment).strip().strip("\"“”")
    else:
        lines = [unmark(line).strip().strip("\"“”") for line in view.lines
                 if not _SCORE_LINE.match(unmark(line)) and not _SCORE_OF.search(unmark(line))
                 and not generic.is_boilerplate(line) and _is_comment(line)]
        text = "\n".join(lines)
    contact, customer = survey.people(view)
    if not contact or not customer:
        g_contact, g_customer = generic.contact_and_customer(view)
        contact, customer = contact or g_contact, customer or g_customer
    return AppPost(source=NAME, text=tidy(text), notice=notice_of(view), customer=customer,
                   contact=contact, link=link_matching(view, *SITES) or generic.link_of(view),
                   score=_score(view, text))
