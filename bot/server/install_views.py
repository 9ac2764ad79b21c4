"""What the Add to Slack pages say: the landing page an admin decides on (what Earshot does,
each scope and why, what it keeps and for how long, who runs it) and the outcome pages
(installed, cancelled, failed), each with what to do next. HTML only; the flow is in
install_pages.py."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import REDACT_KINDS, Settings
from bot.scopes import SCOPE_REASONS
from bot.server.pages import document, esc
from bot.server.worker import KEEP_FINISHED

WHAT = ("Earshot keeps the customer feedback your team already hears in Slack. When a teammate "
        "reacts to a customer's message, forwards it, mentions @Earshot under it, uses the message "
        "shortcut or types <code>/feedback</code>, Earshot files the remark against one of your "
        "processes (onboarding, billing, support, ...) as praise, complaint or an idea. Every week "
        "it posts a digest to a channel you choose: which processes to improve, which to keep, "
        "with quotes and links.")
REDACTED = {"email": "e-mail addresses", "phone": "phone numbers", "card": "card numbers", "iban": "IBANs"}
NOT_DONE = [
    "It sees only channels it is invited to, and files a message only when someone asks it to "
    "or an admin asked it to watch that channel.",
    "It classifies on this server's own CPU: no customer text is sent to any other service.",
    "It posts in a channel only what was asked for there (the digest, a confirmation, a reply "
    "an improvement's owner chose to send).",
]


def operator(settings: Settings) -> str:
    """Who runs this deployment, as the installer should see it."""
    if not settings.operator_name:
        return ("<p><b>The people running this Earshot have not said who they are.</b> Ask them "
                "before you install it. (Operators: set <code>OPERATOR_NAME</code>, "
                "<code>OPERATOR_CONTACT</code> and <code>PRIVACY_POLICY_URL</code>.)</p>")
    lines = [f"<p>This Earshot is run by <b id='operator'>{esc(settings.operator_name)}</b>.</p>"]
    contact = settings.operator_contact
    if contact:
        href = contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"
        lines.append(f"<p>Questions: <a id='contact' href='{esc(href)}'>{esc(contact)}</a></p>")
    if settings.privacy_policy_url:
        lines.append(f"<p><a id='privacy' href='{esc(settings.privacy_policy_url)}'>Privacy policy</a></p>")
    else:
        lines.append("<p>They have not published a privacy policy here.</p>")
    return "".join(lines)


def _days(n: int) -> str:
    return f"{n} day" + ("" if n == 1 else "s")


def kept(settings: Settings) -> list[str]:
    """What Earshot stores and for how long, from this deployment's settings."""
    text_for = (f"for {_days(settings.remark_text_retention_days)} after it was said, then the "
                "text is deleted and only its filing and counts stay"
                if settings.remark_text_retention_days else
                "until the message is deleted in Slack, the capture is withdrawn, or Earshot is removed")
    purge = (f"{_days(settings.uninstall_grace_days)} after Earshot is removed from the workspace"
             if settings.uninstall_grace_days else "as soon as Earshot is removed from the workspace")
    items = [
        f"<b>Filed remarks</b>: the message's text, its author, who filed it and their note, the "
        f"customer, the process and a link to the message; the text {text_for}.",
        "<b>Counts</b> per process and day (no text), for the digest's trends.",
        f"<b>Events Slack sends</b> (a reaction, a message in a channel Earshot is in): each until it "
        f"is handled, usually within seconds; then only its id, for {_days(KEEP_FINISHED.days)}, "
        "so Slack's retries change nothing.",
        "<b>Your workspace's bot token</b>, until Earshot is removed (then it is deleted at once).",
        f"<b>Everything else</b> of your workspace is deleted {purge}. An admin can export the "
        "remarks at any time (<code>/feedback export</code>) and erase one person's data "
        "(<code>/feedback erase @person</code>).",
    ]
    if settings.redact_kinds:
        kinds = [REDACTED[k] for k in REDACT_KINDS if k in settings.redact_kinds]
        items.append("Before anything is stored, " + ", ".join(kinds) + " in the text are replaced "
                     "by placeholders.")
    return items


def scope_rows(scopes: Sequence[str]) -> str:
    rows = []
    for scope in scopes:
        why = SCOPE_REASONS.get(scope, "Asked for by this deployment's SLACK_SCOPES setting "
                                       "(Earshot itself does not use it).")
        rows.append(f"<tr><td class='scope'><code>{esc(scope)}</code></td><td>{esc(why)}</td></tr>")
    return "".join(rows)


def landing(settings: Settings, authorize_url: str) -> str:
    """GET /slack/install: everything an admin needs to decide, then the button."""
    def button(attrs: str = "") -> str:
        return (f"<a class='button'{attrs} href='{esc(authorize_url)}'>"
                "<span class='hash' aria-hidden='true'>#</span>Add to Slack</a>")

    first = button(" id='add-to-slack'")
    body = (
        "<h1>Add Earshot to your Slack workspace</h1>"
        f"<p class='lead'>{WHAT}</p>"
        f"<div class='cta'>{first}<span class='small'>Slack shows the same permissions and asks "
        "you to confirm. This link works once, for the next "
        f"{max(1, settings.oauth_state_seconds // 60)} minutes, in this browser.</span></div>"
        f"<section class='card' id='who'><h2>Who runs this Earshot</h2>{operator(settings)}</section>"
        "<section class='card' id='scopes'><h2>What it asks Slack for, and why</h2>"
        f"<table>{scope_rows(settings.bot_scopes)}</table></section>"
        "<section class='card' id='kept'><h2>What it keeps, and for how long</h2><ul>"
        + "".join(f"<li>{item}</li>" for item in kept(settings)) + "</ul></section>"
        "<section class='card' id='not'><h2>What it does not do</h2><ul>"
        + "".join(f"<li>{esc(item)}</li>" for item in NOT_DONE) + "</ul></section>"
        f"<div class='cta'>{button()}</div>"
    )
    return document("Add Earshot to Slack", body)


def installed(settings: Settings, *, where: str, teams: Sequence[tuple[str, str]], open_url: str) -> str:
    """The install worked: where, and the three things to do next."""
    items = "".join(f"<li>{esc(name)} <code>{esc(tid)}</code></li>" for tid, name in teams)
    body = (
        "<section class='card status ok'><h1>Earshot is installed</h1>"
        f"<p>It was added to {where}:</p><ul id='teams'>{items}</ul></section>"
        "<section class='card' id='next'><h2>Next steps</h2><ol>"
        "<li>Invite it to the channels where customers' words appear: type "
        "<code>/invite @Earshot</code> in each.</li>"
        "<li>Choose where the weekly digest goes (workspace admins): "
        "<code>/feedback digest channel #channel</code>, after inviting it there.</li>"
        f"<li>File your first remark: react with :{esc(settings.main_capture_emoji)}: to a "
        "customer's message, or type "
        "<code>/feedback help</code> to see everything.</li></ol>"
        f"<div class='cta'><a class='button' id='open-slack' href='{esc(open_url)}'>Open Slack</a></div>"
        "</section>" + _contact_line(settings)
    )
    return document("Earshot is installed", body)


def not_installed(settings: Settings, *, reason: str, cancelled: bool) -> str:
    """Cancelled (the installer pressed Cancel) or failed: what happened and what to do."""
    title = "Installation cancelled" if cancelled else "Earshot was not installed"
    again = ("Changed your mind? Start again; Slack shows the permissions once more." if cancelled
             else "Start again from the install page; a fresh link usually works.")
    body = (
        f"<section class='card status {'warn' if cancelled else 'bad'}'><h1>{esc(title)}</h1>"
        f"<p id='reason'>{esc(reason)}</p><p>Nothing was installed and nothing was stored.</p></section>"
        f"<section class='card' id='next'><h2>What now</h2><p>{esc(again)}</p>"
        "<div class='cta'><a class='button plain' id='start-again' href='/slack/install'>"
        "Back to Add to Slack</a></div></section>" + _contact_line(settings)
    )
    return document(title, body)


def single_workspace() -> str:
    """GET /slack/install on a deployment that runs with one bot token."""
    body = ("<section class='card status warn'><h1>No Add to Slack here</h1>"
            "<p>This Earshot runs for one workspace, with the one bot token it was given "
            "(<code>SLACK_BOT_TOKEN</code>). To add it to other workspaces, its operator sets "
            "<code>SLACK_CLIENT_ID</code> and <code>SLACK_CLIENT_SECRET</code> instead.</p></section>")
    return document("No Add to Slack here", body)


def _contact_line(settings: Settings) -> str:
    if not settings.operator_name:
        return ""
    who = esc(settings.operator_name)
    if settings.operator_contact:
        c = settings.operator_contact
        href = c if c.startswith(("http://", "https://")) else f"mailto:{c}"
        who += f" (<a href='{esc(href)}'>{esc(c)}</a>)"
    return f"<p class='small'>This Earshot is run by {who}.</p>"
