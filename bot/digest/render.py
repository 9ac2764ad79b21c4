"""The digest as Block Kit (Slack) and as plain text (the terminal). No I/O.

Kept within Slack's limits whatever the data: at most 50 blocks, 3,000 characters per
section, 150 per header; quotes are cut short so one long remark cannot crowd out the rest.

Every name, quote, tier, theme label and title in it came from outside Earshot: each is placed
with bot.slack.mrkdwn (escaped, links and mentions built only from checked URLs and ids), so
the digest can neither ping the channel nor carry a disguised link. The terminal rendering
reads the entities back.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.classify import language
from bot.digest.build import Digest, ProcessLine
from bot.digest.stats import change, moved, sparkline
from bot.slack.improvements import start_button
from bot.slack.loop import thank_button
from bot.slack.mrkdwn import Mrkdwn, clip, fit, join, link, md, mention
from bot.slack.source_volumes import by_source_line
from bot.slack.text import readable, shown, truncate
from storage.repositories.digests import QuoteRow

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
FALLBACK_LIMIT = 3000
QUOTE_CHARS = 280
ACTION_TRIAGE = "digest_triage"
METADATA_EVENT = "earshot_digest"


def headline(d: Digest) -> str:
    t, p = d.totals, d.previous
    n = t.total
    parts = [
        f"*{n} remark{'s' if n != 1 else ''}* ({change(n, p.total)} on last period)",
        f":large_green_circle: {t.praise} praise",
        f":red_circle: {t.complaint} complaint{'s' if t.complaint != 1 else ''}",
        f":white_circle: {t.neutral} neutral",
        *([f":bulb: {t.suggestion} idea{'s' if t.suggestion != 1 else ''}"] if t.suggestion else []),
        f"{d.capturers} capturer{'s' if d.capturers != 1 else ''}",
        f"{d.customers} customer{'s' if d.customers != 1 else ''}",
    ]
    extra = [x for x in (by_source_line(d.by_source), languages_line(d)) if x]
    return " · ".join(parts) + "".join(f"\n{x}" for x in extra)


def languages_line(d: Digest) -> str | None:
    """Remarks per language, only when some were not in English (those wait for a person)."""
    if not d.languages:
        return None
    english = max(0, d.totals.total - sum(d.languages.values()))
    counts = sorted(d.languages.items(), key=lambda kv: (-kv[1], kv[0]))
    others = " · ".join(md("{} {} ({})", str(n), language.name(code), code) for code, n in counts)
    return (f":globe_with_meridians: By language: {english} English · {others}. "
            "Earshot reads English only: the others wait for a person in triage.")


def scores_text(d: Digest) -> str | None:
    """Per process with scores this period: CSAT (share of 4-5) and NPS, 95 % intervals."""
    if not d.scores:
        return None
    lines = [f"• *{shown(name)}*: " + " · ".join(f.text() for f in figures) for name, figures in d.scores[:10]]
    return ":bar_chart: *Scores* this period (95 % intervals; stars count as CSAT)\n" + "\n".join(lines)


def title(d: Digest) -> str:
    what = "Feedback so far this period" if d.in_progress else "Weekly feedback digest"
    return truncate(f"{what} · {d.period.label()}", HEADER_LIMIT)


def empty_line(d: Digest) -> str:
    return (
        f":zzz: Quiet week: no customer feedback was captured {d.period.label()}. "
        f"React with :{d.capture_emoji}: to a customer's message to capture it for next week's digest."
    )


def _who(q: QuoteRow) -> Mrkdwn:
    if q.customer:
        return md("*{}*", clip(q.customer, 255))
    if q.author_user_id:
        return mention(q.author_user_id)
    return Mrkdwn("a customer")


def quote_line(q: QuoteRow) -> Mrkdwn:
    body = clip(q.text, QUOTE_CHARS)
    extra = f" · {q.endorsements} captures" if q.endorsements > 1 else ""
    view = md(" · {}", link(q.permalink, "view")) if q.permalink else ""
    return Mrkdwn(f"> {body}\n— {_who(q)}{extra}{view}")


def _name(name: str, limit: int = 150) -> Mrkdwn:
    """A process's name as typed by an admin: outside text."""
    return clip(name, limit)


def _owner(p: ProcessLine) -> Mrkdwn:
    return md("owner {}", mention(p.owner_user_id)) if p.owner_user_id else Mrkdwn("_no owner_")


def mix_text(p: ProcessLine, what: str) -> str:
    """"from Enterprise 3 · SMB 1 · 240,000/year across 2 customers" (registered customers only)."""
    m = p.mix
    if m is None:
        return ""
    tiers = join((md("{} {}", tier, n) for tier, n in m.tiers), " · ")
    value = f" · {m.value:,}/year" if m.value else ""
    return md("\n:office: {} from {}{} across {} customer{}", what, tiers, value, m.customers,
              "s" if m.customers != 1 else "")


THEME_QUOTE_CHARS = 140


def themes_text(p: ProcessLine) -> str:
    """"VAT number · invoices: 5 remarks, 3 customers (new)" and one short quote each."""
    lines = []
    for t in p.themes:
        new = " · :new: _new_" if t.new else ""
        who = f", {t.customers} customer{'s' if t.customers != 1 else ''}" if t.customers else ""
        lines.append(md(":label: *{}*: {} remarks{}", clip(t.label, 80), t.remarks, who) + new)
        if t.quote is not None:
            lines.append(f"      _“{clip(t.quote.text, THEME_QUOTE_CHARS)}”_")
    return ("\n*Themes*\n" + "\n".join(lines)) if lines else ""


def improve_text(i: int, p: ProcessLine) -> str:
    n = p.now
    head = (
        f"*{i}. {_name(p.name)}* · {_owner(p)}\n"
        f":red_circle: {n.complaint} complaint{'s' if n.complaint != 1 else ''} "
        f"({change(n.complaint, p.before.complaint)} on last period) · :large_green_circle: {n.praise} praise · "
        f"last 4 periods {p.window.complaint}/{p.window.total} complaints\n"
        f"complaints, 8 periods: `{sparkline(p.complaints_trend)}`"
        f"{mix_text(p, 'complaints')}{themes_text(p)}"
    )
    quotes = "\n".join(quote_line(q) for q in p.quotes)
    return truncate(f"{head}\n{quotes}" if quotes else head, SECTION_LIMIT)


def consolidate_text(p: ProcessLine) -> str:
    w = p.window
    head = (
        f"*{_name(p.name)}* · {_owner(p)} · :large_green_circle: {w.praise} praise, "
        f"{w.complaint} complaint{'s' if w.complaint != 1 else ''} in 4 periods · "
        f"praise `{sparkline(p.praise_trend)}`"
        f"{mix_text(p, 'praise')}{themes_text(p)}"
    )
    quotes = "\n".join(quote_line(q) for q in p.quotes)
    return truncate(f"{head}\n{quotes}" if quotes else head, SECTION_LIMIT)


IDEAS_TITLE = ":bulb: *Ideas from customers*: suggestions captured this period"


def idea_text(p: ProcessLine) -> str:
    n = p.now.suggestion
    head = f"*{_name(p.name)}* · {_owner(p)} · {n} idea{'s' if n != 1 else ''}"
    quotes = "\n".join(quote_line(q) for q in p.quotes)
    return truncate(f"{head}\n{quotes}" if quotes else head, SECTION_LIMIT)


def changed_text(d: Digest) -> str | None:
    """One line per mover, said in words: "*Billing* got worse: complaints up 2 (3 → 5), praise
    unchanged (0)"; then the processes gone quiet."""
    lines = []
    for m in d.movers:
        verdict = ":warning: *{}* got worse" if m.worse else ":white_check_mark: *{}* got better"
        lines.append(
            f"{md(verdict, m.name)}: {moved('complaints', m.before.complaint, m.now.complaint)}, "
            f"{moved('praise', m.before.praise, m.now.praise)}"
        )
    if d.quiet:
        names = ", ".join(f"*{_name(name)}* ({n} before)" for name, n in d.quiet)
        lines.append(f":mute: Gone quiet for 3+ periods: {names}")
    return truncate("\n".join(lines), SECTION_LIMIT) if lines else None


def shipped_text(d: Digest) -> str | None:
    """"Did it work?": improvements shipped in the last weeks, before/after and verdict."""
    if not d.shipped:
        return None
    lines = [":test_tube: *Did it work?* Improvements shipped in the last 6 weeks, complaint share "
             "of all remarks before and after"]
    for s in d.shipped[:6]:
        lines.append(f"*{clip(s.title, 150)}* · {_name(s.process_name)} · shipped {s.shipped_at:%d %b}\n{s.summary}")
    return truncate("\n".join(lines), SECTION_LIMIT)


def unfiled_text(d: Digest) -> str:
    if d.unfiled == 0:
        return ":white_check_mark: *Unfiled*: every remark has a process."
    return (
        f":inbox_tray: *Unfiled*: {d.unfiled} remark{'s' if d.unfiled != 1 else ''} still need"
        f"{'s' if d.unfiled == 1 else ''} a process ({d.unfiled_now} from this period)."
    )


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=fit(text, SECTION_LIMIT)))


def digest_blocks(d: Digest) -> list[dict[str, Any]]:
    """The whole digest as blocks, within Slack's limits."""
    if d.empty:
        return [_section(empty_line(d)).to_dict()]
    out: list[Block] = [HeaderBlock(text=title(d)), _section(headline(d))]
    if d.late:
        out.append(ContextBlock(elements=[MarkdownTextObject(
            text=":hourglass: Posted late: Earshot was offline at the scheduled time.")]))
    out.append(DividerBlock())
    if d.improve:
        out.append(_section(":wrench: *Improve*: complaints, strongest pattern first"))
        for i, p in enumerate(d.improve, 1):
            item = _section(improve_text(i, p))
            item.accessory = start_button(p.process_id)
            out.append(item)
    else:
        out.append(_section(":wrench: *Improve*: no complaints this period."))
    if d.consolidate:
        out.append(DividerBlock())
        out.append(_section(":trophy: *Consolidate*: consistently praised, few complaints"))
        for p in d.consolidate:
            item = _section(consolidate_text(p))
            # Keyed by the period's ISO week, like the weekly praise note's button: one thanks
            # per process and week, whichever of the two it is sent from.
            year, week, _ = d.period.start.isocalendar()
            item.accessory = thank_button(p.process_id, f"{year}-W{week:02d}")
            out.append(item)
    if d.ideas:
        out.append(DividerBlock())
        out.append(_section(IDEAS_TITLE))
        out.extend(_section(idea_text(p)) for p in d.ideas)
    scored = scores_text(d)
    if scored:
        out.append(DividerBlock())
        out.append(_section(truncate(scored, SECTION_LIMIT)))
    changed = changed_text(d)
    if changed:
        out.append(DividerBlock())
        out.append(_section(f":chart_with_upwards_trend: *Changed since last period*\n{changed}"))
    shipped = shipped_text(d)
    if shipped:
        out.append(DividerBlock())
        out.append(_section(shipped))
    out.append(DividerBlock())
    triage = _section(unfiled_text(d))
    if d.unfiled:
        triage.accessory = ButtonElement(action_id=ACTION_TRIAGE, text="Triage", value=d.team_id)
    out.append(triage)
    out.append(ContextBlock(elements=[MarkdownTextObject(text=(
        "Ranked by how sure we are that a process draws complaints (lower bound of the "
        "complaint share over 4 periods, weighted by captures, times log of volume). "
        "Preview anytime: `/feedback digest`."))]))
    blocks = [b.to_dict() for b in out]
    if len(blocks) > MAX_BLOCKS:  # cannot happen with today's caps; guard the limit anyway
        blocks = blocks[: MAX_BLOCKS - 1] + [blocks[-1]]
    return blocks


def fallback_text(d: Digest) -> str:
    """Notification and screen-reader text."""
    if d.empty:
        return empty_line(d)
    top = f" Top to improve: {_name(d.improve[0].name)}." if d.improve else ""
    plain = headline(d).replace("*", "")
    return truncate(f"{title(d)}: {plain}.{top}", FALLBACK_LIMIT)


def digest_message(d: Digest) -> dict[str, Any]:
    return {"text": fallback_text(d), "blocks": digest_blocks(d)}


def preview_blocks(d: Digest, note: str) -> list[dict[str, Any]]:
    """The private preview: the same digest, marked as a preview, with the settings."""
    top = ContextBlock(elements=[MarkdownTextObject(
        text=":eyes: Private preview of this period so far; only you can see this.")])
    bottom = ContextBlock(elements=[MarkdownTextObject(text=truncate(note, SECTION_LIMIT))])
    body = digest_blocks(d)[: MAX_BLOCKS - 2]
    return [top.to_dict(), *body, bottom.to_dict()]


# Plain text for the terminal ------------------------------------------------------------


_VIEW_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|view>")


def _plain(text: str) -> str:
    for a, b in (("*", ""), ("`", ""), (":large_green_circle:", "+"), (":red_circle:", "-"),
                 (":white_circle:", "o"), (":label: ", "# "), (":new: ", ""), (":bulb: ", ""),
                 (":warning: ", ""), (":white_check_mark: ", ""), (":mute: ", ""),
                 (":office: ", ""), (":inbox_tray: ", "")):
        text = text.replace(a, b)
    return text


def _terminal(text: str, users: dict[str, str] | None) -> str:
    """Slack markup made readable: "view" links become their address, mentions the person's
    name when known (else ``@U…``), escaped characters themselves again."""
    return readable(_VIEW_LINK.sub(lambda m: m.group(1), text), users)


def digest_text(d: Digest, users: dict[str, str] | None = None) -> str:
    """A readable terminal rendering of the digest (``users``: names for user ids)."""
    if d.empty:
        return _terminal(_plain(empty_line(d)).replace(":zzz: ", ""), users)
    lines = [title(d), "=" * len(title(d)), _plain(headline(d))]
    if d.late:
        lines.append("(posted late)")
    lines += ["", "IMPROVE"]
    if not d.improve:
        lines.append("  no complaints this period")
    for i, p in enumerate(d.improve, 1):
        lines += ["  " + ln for ln in _plain(improve_text(i, p)).splitlines()]
    if d.consolidate:
        lines += ["", "CONSOLIDATE"]
        for p in d.consolidate:
            lines += ["  " + ln for ln in _plain(consolidate_text(p)).splitlines()]
    if d.ideas:
        lines += ["", "IDEAS FROM CUSTOMERS"]
        for p in d.ideas:
            lines += ["  " + ln for ln in _plain(idea_text(p)).splitlines()]
    scored = scores_text(d)
    if scored:
        lines += ["", "SCORES"] + ["  " + _plain(ln) for ln in scored.splitlines()[1:]]
    changed = changed_text(d)
    if changed:
        lines += ["", "CHANGED"]
        lines += ["  " + _plain(ln) for ln in changed.splitlines()]
    shipped = shipped_text(d)
    if shipped:
        lines += ["", "DID IT WORK?"]
        lines += ["  " + _plain(ln) for ln in shipped.splitlines()[1:]]
    lines += ["", "UNFILED", "  " + _plain(unfiled_text(d))]
    return _terminal("\n".join(lines), users)
