"""``/feedback help``: everything the command can do, generated from the registered subcommands."""

from __future__ import annotations

from handlers.commands.router import SUBCOMMANDS, Call, Reply, reply, subcommand


def intro(emoji: str) -> str:
    return (
        "*Earshot files customer feedback against your processes.*\n"
        f"Capture a remark: react to any message with :{emoji}:, forward it to me, "
        "mention me in a thread, use the message shortcut *File customer feedback*, or type it here.\n\n"
        "*Type a remark*\n"
        "• `/feedback [Process] (Customer) what they said` — files it; `[Process]` and `(Customer)` are "
        "optional (Earshot picks the process itself), e.g. `/feedback [Billing] (Acme Corp) invoice arrived twice`\n"
        "• add `+share` as the last word to post the confirmation in the channel instead of privately\n"
        "• `/feedback` alone opens a form; start with `--` to file text that begins with `[` or `(` "
        "or is a single word: `/feedback -- [sic] …`"
    )


def help_text(emoji: str) -> str:
    lines = [intro(emoji), "", "*`/feedback` commands*"]
    for sub in sorted(SUBCOMMANDS.values(), key=lambda s: (s.order, s.name)):
        lines.append(f"• `{sub.usage}` — {sub.summary}")
    return "\n".join(lines)


@subcommand("help", usage="/feedback help", summary="this list", aliases=("?", "-h", "--help"), order=99)
async def show_help(call: Call) -> Reply:
    return reply(help_text(call.services.settings.main_capture_emoji))
