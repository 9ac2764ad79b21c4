"""The rule for any app without one of its own, and the pieces the named rules share.

What it takes: the attachment and section paragraphs, and the values of fields whose label
says they hold words (comment, feedback, message, description, review, answer ...); else
the message text. What it drops: notification headers ("New ticket #4821 from Jane"),
field labels, footers, link-only lines ("View in ..."). Contact, customer, link and score
come from fields with the usual labels.
"""

from __future__ import annotations

import re

from bot.slack.app_post import AppPost, Rating
from bot.slack.apps import scores
from bot.slack.apps.post import View, domain_of, email_in, notice_of, person, tidy, unmark, urls_in

# Field labels whose value is the customer's words.
WORDS = ("comment", "feedback", "message", "description", "review", "answer", "response",
         "body", "details", "reason", "what", "why", "how", "text", "note", "suggestion",
         "question", "improve", "issue", "problem")
# Field labels that name the customer's person (a requester, never a Slack user).
CONTACT = ("requester", "requestor", "customer", "contact", "respondent", "reviewer",
           "author", "from", "user", "name", "email", "submitted by", "person")
# "Ticket name", "App version", "Survey name": labels with a contact word that name no person.
NOT_CONTACT = ("ticket", "survey", "form", "app", "product", "company", "account", "version",
               "subject", "plan", "file", "satisf", "rating", "score")
COMPANY = ("company", "organization", "organisation", "account", "org")

# A notification's header, not the customer's words.
BOILERPLATE = re.compile(
    r"^\s*(?::[a-z0-9_+\-]+:\s*)*(new|updated|reopened)?\s*"
    r"(ticket|conversation|response|review|submission|message|reply|comment|rating|"
    r"survey response|nps response|feedback)\b.{0,80}?"
    r"(#\s?\d+|\bfrom\b|\bby\b|\bon\b|\bin\b|\bfor\b|[:!])", re.I)
# Headers whose noun a customer's own sentence may start with ("Request to add SSO", "Response
# to the outage was slow"): only with "New" before it ("New response to NPS", "New post on
# Ideas by Jane"), or a call recorder's "Call snippet from ...".
NEW_ITEM = re.compile(
    r"^\s*(?::[a-z0-9_+\-]+:\s*)*(?:new\s+(?:post|idea|feature request|request|response|submission|entry)|"
    r"call (?:snippet|recording|highlight))\b.{0,80}?"
    r"(#\s?\d+|\bfrom\b|\bby\b|\bon\b|\bin\b|\bfor\b|\bto\b|[:!])", re.I)


def is_header(text: str) -> bool:
    return bool(BOILERPLATE.match(text) or NEW_ITEM.match(text))
LINK_ONLY = re.compile(r"^\s*(?:[:<][^ ]*\s*)*(view|open|see|reply|respond|go to|read)\b.{0,60}$", re.I)
# An app's sign-off written into the post ("Sent from Zendesk", "_Sent via Intercom_",
# "Powered by Typeform", "Sent from my iPhone"): a footer, not the customer's words.
FOOTER = re.compile(r"^\s*(?:[-–—]+\s*)?(?:(?:sent|posted|delivered|forwarded) (?:from|via|by|with|using)|"
                    r"powered by)\s+[\w@&'’.-]+(?: [\w@&'’.-]+){0,3}\s*$", re.I)
# A link button written at a line's end: "... <https://…/conversation/1|View conversation>".
_TRAILING_LINK = re.compile(r"\s*<https?://[^|>]+\|\s*(?:view|open|see|reply|respond|go to|read)\b[^>]{0,60}>\s*$",
                            re.I)

# A link with its label, "<https://…/tickets/4821|Ticket #4821>": read as its label.
_LABELLED_LINK = re.compile(r"<https?://[^|>]+\|([^>]+)>")


def is_boilerplate(line: str) -> bool:
    plain = unmark(line).strip()
    if not plain:
        return True
    if FOOTER.match(plain):
        return True
    if LINK_ONLY.match(plain) and len(urls_in(line)) + plain.count("<") >= 1:
        return True
    # A header whose first words are a link: "<https://…/tickets/4821|Ticket #4821> from Jane Doe".
    labelled = _LABELLED_LINK.sub(r"\1", plain)
    if is_header(labelled) and len(labelled) < 120:
        return True
    if re.fullmatch(r"[-=_*~.·•—–\s]{3,}|https?://\S+", plain):  # a rule; a bare link
        return True
    if _COMMENT_HEAD.fullmatch(plain):  # Zendesk's comment header: "Jane Doe, Dec 3, 2026, 10:12"
        return True
    return bool(re.fullmatch(r"(?:<[^>]+>\s*)+", plain))  # links alone


_COMMENT_HEAD = re.compile(r"[^,\n]{2,60},\s+[A-Za-z]{3,9}\.? \d{1,2},? \d{4},? (?:at )?\d{1,2}:\d{2}"
                           r"(?:\s*[AaPp][Mm])?(?:\s+[A-Z]{2,5})?")


def words_from(view: View, *, skip: tuple[str, ...] = ()) -> str:
    """The customer's words: worded fields, else paragraphs, else the message's lines."""
    worded = [value for label, value in view.fields
              if any(w in label.lower() for w in WORDS)
              and not any(s in label.lower() for s in skip) and not is_value_only(value)]
    if worded:
        return tidy("\n".join(worded))
    bodies = [kept for body in view.bodies for line in body.splitlines() if (kept := _unheaded(line))]
    if bodies:
        return tidy("\n".join(bodies))
    # A form's answers under its own questions ("Anything we should change?"): the written
    # ones, before a header such as "A user submitted a response to the form."
    # (markfguerra/google-forms-to-slack posts each question as a field's title).
    answered = [value for label, value in view.fields
                if _WRITTEN.search(unmark(value)) and not _names_someone(label)
                and not any(s in label.lower() for s in (*skip, *NOT_WORDS))]
    if answered:
        return tidy("\n".join(answered))
    heads = [kept for head in view.heads for line in head.splitlines() if (kept := _unheaded(line))]
    return tidy("\n".join(heads))


_LEAD_EMOJI = re.compile(r"^\s*(?::[a-z0-9_+\-]+:\s*)+")
# A status header ("Ticket #4821 was closed by Sam: resolved as duplicate") carries no feedback.
_CHANGED = re.compile(r"\b(?:was|were|has been|is now|got|changed|moved|closed|solved|resolved|"
                      r"updated|assigned|merged|deleted|reopened|snoozed)\b", re.I)


def _unheaded(line: str) -> str:
    """The line, or for a header the words it carries after its colon ("New message from
    Priya Patel (Hooli): The export button is gone" keeps "The export button is gone");
    "" for a header alone."""
    # A leading emoji (":bulb: New post ...") is no label: its colon does not split. A
    # header before a long message ("New conversation from Jane Doe (jane@acme.com): <a
    # message of 100 characters> <…|View conversation>") is split as a short one is: before,
    # a line over 120 characters was kept whole, header and link label included.
    plain = _LEAD_EMOJI.sub("", _LABELLED_LINK.sub(r"\1", unmark(_TRAILING_LINK.sub("", line)))).strip()
    head, sep, rest = plain.partition(": ")
    if (sep and len(head) < 120 and is_header(head + ":") and not _CHANGED.search(head)
            and len(re.findall(r"[^\W\d_]{2,}", rest)) >= 3):
        return rest.strip()
    if not is_boilerplate(line):
        return line
    return ""


# Four words or more: an answer written in words, not a choice, a date or an address.
_WRITTEN = re.compile(r"[^\W\d_]{2,}(?:[^\w@]+[^\W\d_']+){3,}")
# Labels whose value is never the customer's words, however long.
NOT_WORDS = (*COMPANY, "subject", "title", "survey", "form", "url", "link", "page", "address",
             "nps", "csat", "satisf", "rating", "score", "timestamp", "date", "time")


def _names_someone(label: str) -> bool:
    key = label.lower()
    return any(w in key for w in CONTACT) and not any(x in key for x in NOT_CONTACT)


def is_value_only(value: str) -> bool:
    """A number, a score, an email or a link: not words."""
    plain = unmark(value).strip()
    return (bool(re.fullmatch(r"[\d\s./★☆⭐%:+-]*", plain)) or email_in(plain) == plain.lower()
            or bool(re.fullmatch(r"<[^>]+>", plain)))


def contact_and_customer(view: View) -> tuple[str | None, str | None]:
    """(contact, customer): the requester's name or email; the company field, else the
    requester's email domain (free mail names no company)."""
    raw = next((value for label, value in view.fields
                if any(w in label.lower() for w in CONTACT)
                and not any(x in label.lower() for x in NOT_CONTACT)), None)
    name, email = person(raw)
    if email is None:
        email = email_in(view.field("email", "e-mail"))
    company = company_of(view)
    if name is None and email is None:
        name, email, company = (*header_person(view), company)
        if company is None and name and (m := _NAME_COMPANY.match(name)):
            name, company = m.group(1), m.group(2)
    customer = unmark(company).strip() if company else domain_of(email)
    return (name or email), customer or None


def is_company_label(label: str, value: str) -> bool:
    """A field naming the customer's company: "Company", "Organization", "Account name"; not
    a question that mentions one ("How likely is it that you would recommend this company to
    a friend?", SurveyMonkey's NPS question), nor a value that is only a number or a score."""
    key = unmark(label).strip().lower()
    return (any(w in key for w in COMPANY) and "?" not in key and "recommend" not in key
            and len(key.split()) <= 4 and not is_value_only(value))


def company_of(view: View) -> str | None:
    return next((value for label, value in view.fields if value and is_company_label(label, value)), None)


# "New ticket #4821 from Jane Doe", "New NPS response from ann@acme.io: ...", "New ticket
# <…|#232> from Sam Lee (sam@wayne.com): ...": the person a notification's header names.
_HEADER_FROM = re.compile(r"\b(?:from|by)\s+(.+?)\s*(?::\s|:$|$)", re.I)
# A person's name: one to four words, the first capitalised, no digits ("the web widget" is none).
_A_NAME = re.compile(r"[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,3}")
_NAME_COMPANY = re.compile(r"^(.+?)\s*\(([^()@]{2,60})\)$")


def header_person(view: View) -> tuple[str | None, str | None]:
    """(name, email) of the person a header line names ("... from Jane Doe"), else (None, None)."""
    for line in view.lines:
        if not is_boilerplate(line) and not _unheaded(line):
            continue
        plain = _LEAD_EMOJI.sub("", _LABELLED_LINK.sub(r"\1", unmark(line))).strip()
        head = plain.split(": ", 1)[0]
        m = _HEADER_FROM.search(head + (":" if ": " in plain else ""))
        if not m or _CHANGED.search(head):  # "Status changed from Open to Pending"
            continue
        name, email = person(m.group(1))
        if email:
            return name, email
        bare = _NAME_COMPANY.sub(r"\1", name or "")
        if name and bare[:1].isupper() and _A_NAME.fullmatch(bare):
            return name, None
    return None, None


def score_of(view: View) -> Rating | None:
    return scores.labelled(view)


def link_of(view: View) -> str | None:
    for _, link in view.titles:
        if link:
            return link
    return view.links[0] if view.links else None


def generic(view: View) -> AppPost:
    contact, customer = contact_and_customer(view)
    return AppPost(source=view.app or "An app", text=words_from(view), notice=notice_of(view),
                   customer=customer, contact=contact, link=link_of(view), score=score_of(view))
