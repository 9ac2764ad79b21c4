"""What the demo prints after the story: one private confirmation per capture route, the
correction, the edit and the deletion, then the digests (the last one in full)."""

from __future__ import annotations

from typing import Any

import yaml

from bot.demo import story as s
from bot.demo.render import Style, boxed, message_lines, mrkdwn
from bot.demo.runner import Demo, Played, Shown

WIDTH = 96


def _first(name: str, who: str | None = None) -> str:
    return s.first_name(who) if who in s.PEOPLE else name


def _quote(demo: Demo, message: str, limit: int = 70) -> str:
    channel, ts = demo.messages.get(message, ("", ""))
    found = demo.state.find_message(channel, ts) or demo.state.previous_versions.get((channel, ts)) or {}
    text = " ".join(str(found.get("text", "")).split())
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”" if text else ""


def _confirmation(played: Played, user: str | None = None) -> list[Shown]:
    """The first private confirmation (to ``user``, if given) the step showed, or nothing."""
    for shown in played.shown:
        if shown.kind in ("ephemeral", "reply") and (user is None or shown.user in (None, user)):
            return [shown]
    return []


def route_examples(demo: Demo) -> list[tuple[str, Played, list[Shown]]]:
    """(title, step, what to show) for the first use of each route in the story."""
    out: list[tuple[str, Played, list[Shown]]] = []
    seen: set[str] = set()
    reacted: dict[str, int] = {}
    for played in demo.played:
        step = played.step
        key, title, shown = "", "", []
        if isinstance(step, s.React):
            reacted[step.message] = reacted.get(step.message, 0) + 1
            endorsing = reacted[step.message] > 1
            key = "endorse" if endorsing else "react"
            verb = "adds a second :memo:, an endorsement" if endorsing else f"reacts :{step.emoji}:"
            title = f"Capture emoji: {_first('', step.who)} {verb}"
            shown = _confirmation(played, demo.user_id(step.who))
        elif isinstance(step, s.Forward):
            key = "forward"
            title = f"Forward: {_first('', step.who)} forwards a message to Earshot"
            shown = _confirmation(played)
        elif isinstance(step, s.Mention):
            key = "mention"
            title = f"Mention: {_first('', step.who)} writes “@earshot {step.note}” in a thread"
            shown = _confirmation(played)
        elif isinstance(step, s.Shortcut):
            key = "shortcut"
            title = f"Shortcut: {_first('', step.who)} uses “File customer feedback” + the modal"
            shown = [x for x in played.shown if x.kind == "ephemeral"][:1]
        elif isinstance(step, s.Command) and step.text.startswith(("[", "(")):
            key = "command"
            title = f"/feedback {step.text[:60]}{'…' if len(step.text) > 60 else ''}"
            shown = _confirmation(played)
        elif isinstance(step, s.Correct):
            key = "correct"
            title = f"Correction: {_first('', step.who)} picks “{step.process}” (before | after)"
            before = demo.confirmations.get((step.message, demo.user_id(step.who)))
            shown = ([before] if before else []) + [
                x for x in played.shown if x.kind in ("update", "reply")][:1]
        if key and key not in seen and shown:
            seen.add(key)
            out.append((title, played, shown))
    return out


def setup(demo: Demo, style: Style) -> list[str]:
    """The admin's one-time commands and the bot's (private) answers, one line each."""
    names = demo.names()
    lines: list[str] = []
    for played in demo.played:
        step = played.step
        if isinstance(step, s.Registry):
            reply = next((x for x in played.shown if x.kind == "reply"), None)
            command = f"earshot customers import {step.file}"
            lines.append(f"  {command:<50} → {reply.message.get('text') if reply else '(no answer)'}")
            continue
        if not isinstance(step, s.Command) or step.text.startswith(("[", "(")):
            continue
        reply = next((x for x in played.shown if x.kind == "reply"), None)
        answer = mrkdwn(str(reply.message.get("text", "")) if reply else "", names, style)
        answer = " ".join(answer.split())
        typed = mrkdwn(step.text, names, style)
        lines.append(f"  /feedback {typed:<40} → {answer[:100]}{'…' if len(answer) > 100 else ''}")
    if registry(demo):
        lines.append(f"  ({len(registry(demo))} customers with tiers, yearly values and account owners: "
                     f"{s.CUSTOMERS_FILE} in the demo's folder)")
    return [style.bold("Setting up (Alice, an admin: the customer file, then Slack)"), *lines, ""] if lines else []


def registry(demo: Demo) -> list[dict[str, Any]]:
    """The customers the story imported (none when it did not play the import)."""
    if not any(isinstance(p.step, s.Registry) for p in demo.played):
        return []
    return list(yaml.safe_load(s.CUSTOMERS)["customers"])


ACCOUNT_NOTE = "whose account you own"  # in the daily note to account owners (alerts/customers.py)


def account_notes(demo: Demo, style: Style) -> list[str]:
    """The daily note to account owners about their customers' remarks: who got how many,
    and the first one as Slack showed it."""
    names = demo.names()
    notes = [x for p in demo.played for x in p.shown
             if x.kind == "dm" and ACCOUNT_NOTE in str(x.message.get("text", ""))]
    if not notes:
        return []
    told: dict[str, int] = {}
    for x in notes:
        told[names.user(str(x.channel))] = told.get(names.user(str(x.channel)), 0) + 1
    lines = [style.bold("Account owners hear about their customers (at most one note a day)"),
             "  " + ", ".join(f"{who}: {n} note{'s' if n != 1 else ''}" for who, n in told.items()), ""]
    lines += boxed(f"DM to {names.user(str(notes[0].channel))}, account owner",
                   message_lines(notes[0].message, names, style=style, width=WIDTH), style=style, width=WIDTH)
    lines.append("")
    return lines


def confirmations(demo: Demo, style: Style) -> list[str]:
    names = demo.names()
    lines = [style.bold("What the capturers saw in Slack (private confirmations, one per route)"), ""]
    for title, played, shown in route_examples(demo):
        for i, x in enumerate(shown):
            part = title
            if " (before | after)" in title:
                part = title.replace(" (before | after)", ", before" if i == 0 else ", after")
            lines += boxed(f"{played.step.at.label()} · {part}", message_lines(x.message, names, style=style,
                                                                                 width=WIDTH), style=style,
                           width=WIDTH)
        lines.append("")
    return lines


def quiet_routes(demo: Demo, remarks: list[dict[str, Any]], style: Style) -> list[str]:
    """The routes that show nothing privately: a watched channel, an edit, a deletion."""
    lines: list[str] = []
    watched = [r for r in remarks if "watch" in r["routes"]]
    if watched:
        customers = sorted({r["customer"] for r in watched if r["customer"]})
        lines.append(f"• Watched Slack Connect channel #{s.KESTREL.name}: {len(watched)} remarks "
                     f"filed as {s.MAYA.real_name} wrote them (customer: {', '.join(customers) or '?'}); "
                     "each marked quietly with 📥.")
    for played in demo.played:
        step = played.step
        if isinstance(step, s.Edit):
            now = next((r for r in remarks if r["text"] == step.text), None)
            lines.append(f"• Edit: the author edited {_quote(demo, step.message, 40)}; "
                         + ("the remark's text followed the edit." if now else "the remark was not updated."))
        elif isinstance(step, s.Delete):
            channel, ts = demo.messages.get(step.message, ("", ""))
            gone = not any(r["permalink"].endswith(f"p{ts.replace('.', '')}") for r in remarks if r["permalink"])
            lines.append("• Deletion: a captured message was deleted in Slack; "
                         + ("Earshot removed the remark and its text." if gone else "the remark is still there."))
    learned = [r for r in remarks if "Snowflake" in r["text"]]
    if len(learned) >= 2:
        first, later = learned[0], learned[-1]
        lines.append(f"• Learning: the classifier could not place the first Snowflake remark; "
                     f"{first['process_decided_by']} filed it under {first['process'] or 'nothing'} with "
                     f"one click. The next one went to {later['process'] or 'nothing'} on its own "
                     f"({later['process_decided_by'].replace('auto (', '').rstrip(')')} sure).")
    return [style.bold("What happened without a private message"), *lines, ""] if lines else []


def digests(demo: Demo, style: Style) -> list[str]:
    names = demo.names()
    if not demo.digests:
        return [style.bold("No digest was posted."), ""]
    lines = [style.bold(f"The weekly digests, posted to #{s.DIGEST_ROOM.name} by the scheduler "
                        "(Mondays 09:00, once each)"), ""]
    # In full: the last digest of the feedback weeks (the loop's weeks follow in their section).
    last = next((d for d in demo.digests if d.week == s.WEEKS - 4), demo.digests[-1])
    for d in demo.digests:
        if d is last:
            continue
        once = "posted once" if d.posts == 1 else f"posted {d.posts} times!"
        lines.append(f"  Week {d.week} ({once}): {mrkdwn(d.text, names, style)}")
    lines.append("")
    once = "posted once" if last.posts == 1 else f"posted {last.posts} times!"
    lines += boxed(f"#{s.DIGEST_ROOM.name} · Earshot · week {last.week} digest ({once})",
                   message_lines({"blocks": last.blocks, "text": last.text}, names, style=style,
                                 width=WIDTH), style=style, width=WIDTH)
    if last.chart_name:
        lines.append(f"  (in the thread: {last.chart_name}, the 8-week chart)")
    lines.append("")
    return lines
