"""What survey and form posts share (Typeform, SurveyMonkey, Delighted): a "New response"
header, then each question with its answer (a field, or a "*Question*\\nanswer" section),
and a link to the response.

Taken: the answers written in words (not a number, a choice of a few words, an email or a
link). Dropped: the header, the questions themselves, the footer. Contact: an answer that
is an email address, or the answer to a name question; customer: a company question, else
the email's domain. Score: a 0-10 "how likely ... recommend" answer (NPS), a 1-5 answer to
a satisfaction question (CSAT), stars or a rating question (stars).
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import generic, scores
from bot.slack.apps.post import View, domain_of, email_in, link_matching, notice_of, tidy, unmark

_EMAILS = re.compile(r"\S+@\S+\.\w+")
_WRITTEN = re.compile(r"[A-Za-zÀ-ÿ]{2,}(?:\W+[A-Za-zÀ-ÿ']+){3,}")  # four words or more


_LINK = re.compile(r"<(?:https?://|mailto:)[^|>]*\|?([^>]*)>")


def is_written(answer: str) -> bool:
    plain = _LINK.sub(r"\1", unmark(answer)).strip()
    plain = _EMAILS.sub(" ", plain)  # "ann@acme.io responded" is not four words
    return bool(_WRITTEN.search(plain))


def score_of(view: View) -> Rating | None:
    for question, answer in view.fields:
        q = question.lower()
        if "recommend" in q or "nps" in q or "net promoter" in q:
            found = scores.number(answer, "nps")
        elif "satisf" in q or "csat" in q:
            found = scores.csat_words(answer)
        elif "star" in q or "rate" in q or "rating" in q or "score" in q:
            found = scores.stars_in(answer) or scores.number(answer, "stars")
        else:
            found = scores.stars_in(answer) if "★" in answer or ":star:" in answer else None
        if found is not None:
            return found
    return None


def people(view: View) -> tuple[str | None, str | None]:
    email = next((e for _, a in view.fields if (e := email_in(a)) and e == unmark(a).strip().lower()), None)
    # Else the header's ("New response from ann@acme.io"), as pretext or a first section.
    email = email or email_in(" ".join([*view.heads, *(x for x in view.lines if generic.is_boilerplate(x))]))
    name = next((unmark(a).strip() for q, a in view.fields
                 if re.search(r"\bname\b", q, re.I) and not re.search(r"company|organi", q, re.I)), None)
    # Not the NPS question that mentions a company ("How likely is it that you would recommend
    # this company to a friend?": SurveyMonkey's), nor an answer that is a number or an email;
    # "What company do you work for?" is the company's question.
    company = next((unmark(a).strip() for q, a in view.fields
                    if re.search(r"company|organi[sz]ation|employer|business", q, re.I)
                    and "recommend" not in q.lower() and not generic.is_value_only(a)), None)
    return name or email, company or domain_of(email)


# A question asking for the customer's own words ("Why?", "What could we do better?", "Any
# other comments?"): its answer is taken however short ("Too expensive"), unless it says
# nothing ("No", "n/a"). Other answers must be written out (four words) to be taken, so a
# choice ("Product manager") is not.
_ASKS_WORDS = re.compile(r"\b(?:why|reason|comments?|feedback|better|improve|suggest\w*|anything else|"
                         r"tell us|like (?:most|least)|dislike|change)\b", re.I)
_SAYS_NOTHING = re.compile(r"(?:no|none|nope|nothing|n/?a|na|-+|\.+|no comments?|nothing else)[.!]?", re.I)


def _asked_for_words(question: str, answer: str) -> bool:
    plain = unmark(answer).strip()
    return (bool(_ASKS_WORDS.search(unmark(question))) and bool(re.search(r"[^\W\d_]{2,}", plain))
            and not generic.is_value_only(answer) and not _SAYS_NOTHING.fullmatch(plain))


def response(view: View, *, source: str, sites: tuple[str, ...],
             score: Rating | None = None) -> AppPost:
    # "*New response* for <link|Survey>" read as a field is the header, not an answer.
    # A question labelled "Feedback" or "Comment" is no header, whatever its answer's words.
    written = [a for q, a in view.fields if (is_written(a) or _asked_for_words(q, a)) and (
        unmark(q).strip().lower() in generic.WORDS or not generic.is_boilerplate(f"{q} {a}"))]
    if not written:  # a free-text answer given as a paragraph, not a field
        written = [line for body in view.bodies for line in body.splitlines()
                   if is_written(line) and not generic.is_boilerplate(line)]
    contact, customer = people(view)
    return AppPost(source=source, text=tidy("\n".join(written)), notice=notice_of(view),
                   customer=customer, contact=contact,
                   link=link_matching(view, *sites) or generic.link_of(view),
                   score=score or score_of(view))
