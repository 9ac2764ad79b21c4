"""What every app rule reads from another app's Slack post, and what it returns.

A post arrives in one of three shapes (often mixed): words in ``text``; legacy
``attachments`` (``pretext``, ``author_name``, ``title``/``title_link``, ``text``, ``fields``
of ``title``/``value``, ``footer``); or Block Kit ``blocks`` (``header``, ``section`` with
``text`` and ``fields``, ``context``). ``View`` flattens them into lines and labelled
fields once, defensively (any key may be missing or of the wrong type), so the rules stay
short. Nothing here trusts the post: it is data to read, never markup to pass on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.slack.text import MAX_TEXT, as_dict, blocks_text


@dataclass
class View:
    """A post flattened: its app name, lines of text, labelled fields and links."""

    app: str
    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, value), in order
    titles: list[tuple[str, str | None]] = field(default_factory=list)  # (title, title_link)
    bodies: list[str] = field(default_factory=list)  # attachment texts, section texts
    heads: list[str] = field(default_factory=list)  # pretext, author_name, header, message text
    authors: list[tuple[str, str | None]] = field(default_factory=list)  # (author_name, author_link); also in heads
    footers: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # every https URL, in order of appearance

    def field(self, *labels: str) -> str | None:
        """The first non-empty field whose label contains one of ``labels`` (any case)."""
        for label, value in self.fields:
            key = label.lower()
            if value and any(w in key for w in labels):
                return value
        return None

    def everything(self) -> str:
        return "\n".join([*self.heads, *(t for t, _ in self.titles), *self.bodies,
                          *(f"{k}: {v}" for k, v in self.fields), *self.footers])


def app_name(msg: dict[str, Any]) -> str:
    """The posting app's name as Slack shows it (bot profile, else the legacy username)."""
    profile = as_dict(msg.get("bot_profile"))
    for value in (profile.get("name"), msg.get("username"), as_dict(msg.get("bot")).get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()[:80]
    return ""


def app_names(msg: dict[str, Any]) -> list[str]:
    """Every name the post goes by: the app's (bot profile), and the name it posted under
    (``username``: a legacy integration, an incoming webhook or chat.postMessage's override)."""
    profile = as_dict(msg.get("bot_profile"))
    names = [v.strip()[:80] for v in (profile.get("name"), msg.get("username"), as_dict(msg.get("bot")).get("name"))
             if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(names))


def view_of(msg: dict[str, Any]) -> View:
    """Flatten a post (see the module docstring)."""
    v = View(app=app_name(msg))
    text = msg.get("text")
    if isinstance(text, str) and text.strip():
        if rest := _label_lines(v, text.strip()):
            v.heads.append(rest)
    for att in msg.get("attachments") or []:
        if isinstance(att, dict):
            _attachment(v, att)
    for block in msg.get("blocks") or []:
        if isinstance(block, dict):
            _block(v, block)
    for chunk in [*v.heads, *(t for t, _ in v.titles), *v.bodies, *(x for _, x in v.fields), *v.footers]:
        v.links.extend(u for u in urls_in(chunk) if u not in v.links)
    for _, link in v.titles:
        if link and link not in v.links:
            v.links.insert(0, link)
    for att in msg.get("attachments") or []:  # the author's link (an app's store page) comes last
        if isinstance(att, dict) and (link := https(att.get("author_link"))) and link not in v.links:
            v.links.append(link)
    v.lines = [line for chunk in [*v.heads, *v.bodies] for line in chunk.splitlines() if line.strip()]
    return v


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _attachment(v: View, att: dict[str, Any]) -> None:
    for key in ("pretext", "author_name"):
        if s := _str(att.get(key)):
            v.heads.append(s)
    if s := _str(att.get("author_name")):
        v.authors.append((s, https(att.get("author_link"))))
    title = _str(att.get("title"))
    link = https(att.get("title_link"))
    if title or link:
        v.titles.append((title, link))
    if (s := _str(att.get("text"))) and (rest := _label_lines(v, s)):
        v.bodies.append(rest)
    for f in att.get("fields") or []:
        if isinstance(f, dict):
            label, value = _str(f.get("title")), _str(f.get("value"))
            if label and value:
                v.fields.append((unmark(label).rstrip(":"), value))
            elif value:  # an untitled field is a paragraph (e.g. a review's title or words)
                v.bodies.append(value)
    if s := _str(att.get("footer")):
        v.footers.append(s)
    # Legacy link buttons ("Open ticket", "View response": attachments[].actions[] with a
    # url, api.slack.com/legacy/interactive-message-field-guide#action_fields): the link to
    # the original, ahead of any link the customer wrote in the words.
    for action in att.get("actions") or []:
        if (url := https(as_dict(action).get("url"))) and url not in v.links:
            v.links.append(url)


# "Customer: Jane Doe", "*Rating:* 2/5", "Comment:" (its value on the lines below): a field
# written into the text, as an incoming webhook, a Zapier step or a helpdesk's placeholder
# ({{ticket.requester.email}}) posts it. A label is one to three words of letters (no
# digits: "Ticket #4821: Subject" is a header, "10:12" a time; no "@": a header naming an
# email).
_PLAIN_LABEL = re.compile(r"^\s*[*_]*([^\W\d_][^\W\d_'’/&-]*(?: [^\W\d_][^\W\d_'’/&-]*){0,2})"
                          r"[*_]*\s*:[*_]*(?:\s+(\S.*))?\s*$")
# A lone label line is a field only when its label is one of these (else "Customer called:
# the app is down" would be a field).
_KNOWN_LABELS = frozenset((
    "comment", "comments", "feedback", "message", "review", "description", "details", "answer",
    "rating", "score", "nps", "csat", "stars", "satisfaction", "email", "e-mail", "customer",
    "requester", "requestor", "reviewer", "author", "contact", "name", "company", "organization",
    "organisation", "account"))


def _label_lines(v: View, text: str) -> str:
    """Take ``text``'s "Label: value" lines as fields (when two or more lines are, or the one
    is a known label); a label alone on its line takes the lines below it, up to a blank line
    or the next label, as its value. Returns the other lines."""
    lines = text.splitlines()
    found = [(i, m) for i, line in enumerate(lines) if (m := _PLAIN_LABEL.match(line))
             and not (m.group(2) or "").startswith("//")]
    if not found or (len(found) == 1 and found[0][1].group(1).strip().lower() not in _KNOWN_LABELS):
        return text
    labelled = {i for i, _ in found}
    taken: set[int] = set(labelled)
    for i, m in found:
        value = (m.group(2) or "").strip()
        if not value:
            below: list[str] = []
            for j in range(i + 1, len(lines)):
                if j in labelled or not lines[j].strip():
                    if below or j in labelled:
                        break
                    continue
                below.append(lines[j].strip())
                taken.add(j)
            value = "\n".join(below)
        if value:
            v.fields.append((unmark(m.group(1)).strip(), value))
    return "\n".join(line for i, line in enumerate(lines) if i not in taken).strip()


# "*Label*\nvalue", "*Label:* value", "*Label*: value"; not "*Jane Doe* rated the conversation"
# (a sentence with a bold lead is a paragraph).
_LABELLED = re.compile(r"^\*([^*\n]{1,60}?)(?::\*|\*:|\*[ \t]*\n|:\*\s*\n)\s*(.+)$", re.S)


def _block(v: View, block: dict[str, Any]) -> None:
    kind = block.get("type")
    if kind == "header":
        if s := _str(as_dict(block.get("text")).get("text")):
            v.heads.append(s)
    elif kind == "section":
        if s := _str(as_dict(block.get("text")).get("text")):
            _labelled_or_body(v, s)
        for f in block.get("fields") or []:
            if s := _str(as_dict(f).get("text")):
                _labelled_or_body(v, s)
        url = https(as_dict(as_dict(block.get("accessory"))).get("url"))
        if url:
            v.links.append(url)
    elif kind == "context":
        parts = [_str(as_dict(e).get("text")) for e in block.get("elements") or []]
        if s := " ".join(p for p in parts if p):
            v.footers.append(s)
    elif kind == "actions":
        for e in block.get("elements") or []:
            if url := https(as_dict(e).get("url")):
                v.links.append(url)
    elif kind == "rich_text":
        # Each quote, list or section of rich text is its own paragraph in Slack (a review
        # bot quotes the stars and author, then the review: two lines, not one).
        parts = [blocks_text([{"type": "rich_text", "elements": [e]}]) for e in block.get("elements") or []]
        if (s := "\n".join(p for p in parts if p)) and (rest := _label_lines(v, s)):
            v.bodies.append(rest)


_ASKED = re.compile(r"^\s*([^:\n*]{3,150}\?)\s*:\s+(\S.*)$")


def _labelled_or_body(v: View, s: str) -> None:
    """``*Label*\\nvalue`` or ``*Label:* value`` is a field; lines of ``*Label:* value`` are
    several fields; anything else is a paragraph."""
    m = _LABELLED.match(s)
    if m and "\n*" not in m.group(2):
        v.fields.append((m.group(1).strip(), m.group(2).strip()))
        return
    pairs = [_LABELLED.match(line) for line in s.splitlines() if line.strip()]
    if pairs and all(pairs):
        v.fields.extend((p.group(1).strip(), p.group(2).strip()) for p in pairs if p)
        return
    # Plain "Question?: answer" lines, every line of them (a survey tool's answer summary,
    # e.g. docs.shondalai.com/community-surveys/integration-slack: "How would you rate us?: 9").
    asked = [_ASKED.match(line) for line in s.splitlines() if line.strip()]
    if asked and all(asked):
        v.fields.extend((a.group(1).strip(), a.group(2).strip()) for a in asked if a)
        return
    if _bold_label_pairs(v, s):
        return
    if rest := _label_lines(v, s):
        v.bodies.append(rest)


_BOLD_LABEL = re.compile(r"^\s*\*([^*\n]{1,60}?):?\*:?\s*$")


def _bold_label_pairs(v: View, s: str) -> bool:
    """One section of "*Label*" lines, each over its value's lines (a form's answers in one
    section, as Slack's Workflow Builder posts them): the fields, when every label has a value
    and there are two or more. False (nothing taken) otherwise."""
    pairs: list[tuple[str, list[str]]] = []
    for line in s.splitlines():
        if not line.strip():
            continue
        if m := _BOLD_LABEL.match(line):
            pairs.append((m.group(1).strip(), []))
        elif pairs:
            pairs[-1][1].append(line.strip())
        else:
            return False
    if len(pairs) < 2 or not all(values for _, values in pairs):
        return False
    v.fields.extend((label, "\n".join(values)) for label, values in pairs)
    return True


_URL = re.compile(r"<(https://[^|>\s]+)(?:\|[^>]*)?>|(?<![<|\w])(https://[^\s<>|]+)")
_MAILTO = re.compile(r"<mailto:([^|>]+)(?:\|[^>]*)?>")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def https(value: Any) -> str | None:
    """``value`` when it is an https URL without spaces or markup (nothing else is a link)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url.startswith("https://") or len(url) > 500 or re.search(r"[\s<>|\"]", url):
        return None
    return url if "." in url[8:].split("/", 1)[0] else None


def urls_in(text: str) -> list[str]:
    found = []
    for m in _URL.finditer(text or ""):
        # Slack escapes & as &amp; inside <url|label> (api.slack.com/reference/surfaces/formatting#escaping).
        url = https((m.group(1) or m.group(2) or "").rstrip(".,);").replace("&amp;", "&"))
        if url:
            found.append(url)
    return found


def link_matching(view: View, *needles: str) -> str | None:
    """The first link whose address contains one of ``needles`` (the app's own site)."""
    for url in view.links:
        if any(n in url for n in needles):
            return url
    return None


def email_in(text: str | None) -> str | None:
    if not text:
        return None
    m = _MAILTO.search(text)
    found = m.group(1) if m else (e.group(0) if (e := _EMAIL.search(text)) else None)
    return found.strip().lower() if found else None


# Free mail: a requester writing from one of these names no company.
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "hotmail.com",
    "hotmail.co.uk", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
    "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de",
    "mail.com", "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "fastmail.com",
    "hey.com", "pm.me", "orange.fr", "free.fr", "laposte.net", "libero.it", "btinternet.com",
})


def domain_of(email: str | None) -> str | None:
    """The company domain of an email address (``jane@eu.acme.com`` -> ``eu.acme.com``);
    None for free mail providers and anything that is not an address."""
    if not email or email.count("@") != 1:
        return None
    domain = email.rsplit("@", 1)[1].strip().strip(">").lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9\-]+(\.[a-z0-9\-]+)+", domain) or domain in FREE_MAIL:
        return None
    return domain


_SLACK_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_NAME_EMAIL = re.compile(r"^(.*?)\s*[(<]\s*(?:<?mailto:)?([^\s|>()]+@[^\s|>()]+)(?:\|[^>]*)?>?\s*[)>]?\s*$")


def person(value: str | None) -> tuple[str | None, str | None]:
    """A requester field read as (name, email): "Jane Doe <jane@acme.com>", "Jane Doe
    (<mailto:jane@acme.com|jane@acme.com>)", a bare email, or a bare name."""
    if not value:
        return None, None
    value = unmark(value)
    if _SLACK_USER.search(value):  # "<@U0CARLA001>": a teammate in Slack, never the customer's contact
        return None, None
    m = _NAME_EMAIL.match(value)
    if m:
        name = m.group(1).strip(" -–:,") or None
        return name, email_in(m.group(2)) or m.group(2).lower()
    email = email_in(value)
    if email:
        rest = _MAILTO.sub("", value).replace(email, "").strip(" -–:,()<>")
        return rest or None, email
    return value.strip()[:120] or None, None


_STRONG = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_EM = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


def unmark(text: str) -> str:
    """Slack's bold/italic markers and quote marks taken off (the words stay)."""
    text = _STRONG.sub(r"\1", text or "")
    text = _EM.sub(r"\1", text)
    return "\n".join(line.lstrip("> ").rstrip() if line.startswith(">") else line.rstrip()
                     for line in text.splitlines()).strip()


def tidy(text: str) -> str:
    """Paragraphs joined, blank runs collapsed, cut to Slack's limit."""
    text = re.sub(r"\n{3,}", "\n\n", unmark(text)).strip()
    return text[:MAX_TEXT]


def notice_of(view: View) -> str:
    return tidy(unmark(view.everything()))


def shared_post(msg: dict[str, Any]) -> dict[str, Any] | None:
    """The app's post inside a forward of it (the ``is_share`` attachment of a message with a
    ``bot_id``), rebuilt as a message the rules can read; None when the forward is a person's."""
    for att in msg.get("attachments") or []:
        if not isinstance(att, dict) or not att.get("is_share") or not att.get("bot_id"):
            continue
        inner: dict[str, Any] = {}
        for mb in att.get("message_blocks") or []:
            inner = as_dict(as_dict(mb).get("message"))
            if inner:
                break
        return {"bot_id": att.get("bot_id"), "app_id": att.get("app_id"),
                "username": att.get("author_subname") or att.get("author_name") or "",
                "text": att.get("text") or inner.get("text") or "", "ts": att.get("ts"),
                "blocks": inner.get("blocks") or [], "attachments": inner.get("attachments") or []}
    return None
