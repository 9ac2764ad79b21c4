"""What the demo prints about closing the loop: the improvement started from the digest, the
GitHub webhook that shipped it, the DMs to the people who captured its remarks and to the
account owners of the customers who raised them, the weekly
praise note, and the last digest's *Did it work?* with the verdict (and who heard it worked:
the owner, the capturers, and the account owners again, as owners)."""

from __future__ import annotations

from typing import Any

from bot.demo import story as s
from bot.demo.render import Style, boxed, message_lines, mrkdwn
from bot.demo.runner import Demo, Played

WIDTH = 96
SHIPPED, WORKED, PRAISE = "has shipped", " worked:", "customers praised"
# The account owners' DMs when it ships and when it worked (bot/slack/account_notes.py), worded
# apart from the above.
OWNERS_SHIPPED = "Shipped for your accounts"
OWNERS_WORKED = "It worked, for your accounts"


def _dms(played: Played, marker: str) -> list[Any]:
    return [x for x in played.shown if x.kind == "dm" and marker in str(x.message.get("text", ""))]


def dm_recipients(demo: Demo, marker: str) -> list[str]:
    """Who got a DM whose text has ``marker``, one entry per DM (the stand-in's call log)."""
    return [
        str(c.params.get("channel"))
        for c in demo.fake.calls_to("chat.postMessage")
        if c.ok and marker in str(c.params.get("text", ""))
    ]


def did_it_work(demo: Demo) -> str | None:
    """The last digest's *Did it work?* section (mrkdwn), if it has one."""
    last = demo.digests[-1] if demo.digests else None
    for block in last.blocks if last else []:
        text = (block.get("text") or {}).get("text", "")
        if "*Did it work?*" in text:
            return str(text)
    return None


def _owners(played: Played, names: Any, style: Style, marker: str = OWNERS_SHIPPED) -> list[str]:
    """The account owners of the customers whose remarks it answers: one DM each, by account
    (when it shipped, or with ``OWNERS_WORKED`` when it worked)."""
    owners = _dms(played, marker)
    if not owners:
        return []
    what = "It worked for their accounts: one" if marker == OWNERS_WORKED else "One"
    lines = [
        f"    {what} DM each to the {len(owners)} account owners of the customers who raised "
        "them: " + ", ".join(names.user(str(x.channel)) for x in owners)
    ]
    return lines + boxed(
        f"DM to {names.user(str(owners[0].channel))}, as account owner",
        message_lines(owners[0].message, names, style=style, width=WIDTH),
        style=style,
        width=WIDTH,
    )


def loop(demo: Demo, style: Style) -> list[str]:
    names = demo.names()
    lines = [style.bold("Closing the loop (weeks 4 to 7)"), ""]
    praise_shown = False
    for played in demo.played:
        step = played.step
        when = played.step.at.label()
        if isinstance(step, s.Improve):
            card = next((x for x in played.shown if x.kind == "dm"), None)
            lines += boxed(
                f"{when} · {step.caption()}: the form proposes Billing's complaints, all ticked",
                message_lines(card.message, names, style=style, width=WIDTH)
                if card
                else ["(no confirmation)"],
                style=style,
                width=WIDTH,
            )
        elif isinstance(step, s.Ship):
            answer = next((x for x in played.shown if x.kind == "reply"), None)
            told = _dms(played, SHIPPED)
            lines.append(f"  {when} · {step.caption()}")
            if answer:
                lines.append(f"    {answer.message.get('text')}")
            lines.append(
                f"    One DM each to the {len(told)} teammates who captured its remarks: "
                + ", ".join(names.user(str(x.channel)) for x in told)
            )
            if told:
                lines += boxed(
                    f"DM to {names.user(str(told[0].channel))}",
                    message_lines(told[0].message, names, style=style, width=WIDTH),
                    style=style,
                    width=WIDTH,
                )
            lines += _owners(played, names, style)
        elif isinstance(step, s.Batch):
            lines.append(f"  {when} · {step.caption()}")
        elif isinstance(step, s.WeekEnds) and step.week > s.WEEKS - 4:
            worked = _dms(played, WORKED)
            notes = _dms(played, PRAISE)
            lines.append(f"  {when} · the week {step.week} digest is posted")
            if notes and not praise_shown:
                praise_shown = True
                lines += boxed(
                    f"Weekly praise note to {names.user(str(notes[0].channel))}",
                    message_lines(notes[0].message, names, style=style, width=WIDTH),
                    style=style,
                    width=WIDTH,
                )
            if worked:
                lines.append(
                    "    It worked: one DM each to the owner and the capturers: "
                    + ", ".join(names.user(str(x.channel)) for x in worked)
                )
                lines += boxed(
                    f"DM to {names.user(str(worked[0].channel))}",
                    message_lines(worked[0].message, names, style=style, width=WIDTH),
                    style=style,
                    width=WIDTH,
                )
            lines += _owners(played, names, style, OWNERS_WORKED)
    section = did_it_work(demo)
    if section:
        lines.append("")
        lines += boxed(
            f"#{s.DIGEST_ROOM.name} · week {demo.digests[-1].week} digest · Did it work?",
            [mrkdwn(x, names, style) for x in section.splitlines()],
            style=style,
            width=WIDTH,
        )
    lines.append("")
    return lines if len(lines) > 3 else []
