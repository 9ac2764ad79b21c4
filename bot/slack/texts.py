"""What Earshot says to people in a few words, in one place (so the capture emoji, which
CAPTURE_EMOJI can change, is always the configured one)."""

from __future__ import annotations

import math

NO_TEXT = ("That message has no text I can file (only a file or an image?). Type what the "
           "customer said with `/feedback <text>` instead.")


def dm_howto(emoji: str) -> str:
    return ("To file customer feedback, *forward* the customer's message to me (⋯ → Forward "
            "message → me); add a comment and it becomes your note. You can also react to a "
            f"message with :{emoji}:, mention me in its thread, or type `/feedback <what the "
            "customer said>`. `/feedback help` lists everything.")


def mention_howto(emoji: str) -> str:
    return ("Mention me *in a thread* to file its first message as customer feedback, e.g. reply "
            "`@Earshot they love the new export` under the customer's message (the rest of your "
            f"reply becomes your note). Or react with :{emoji}:, forward the message to me, or "
            "type `/feedback <text>`.")


BOT_PARENT = ("That thread starts with one of my own messages, which is not customer feedback. "
              "Mention me under the customer's own message, or type it with `/feedback <text>`.")
UNREADABLE = ("I can't read that thread's first message (is it in a channel I'm not in?). "
              "Invite me with `/invite @Earshot`, or type it with `/feedback <text>`.")
PARENT_NO_TEXT = "That message has no text I can file. Type it with `/feedback <text>`."


def in_about(seconds: float) -> str:
    """``seconds`` from now in words: "40 seconds", "3 minutes"."""
    n = max(1, math.ceil(seconds))
    return f"{n} second{'s' if n != 1 else ''}" if n < 90 else f"{math.ceil(n / 60)} minutes"


def reads_waiting(waiting: int, seconds: float, *, again: str = "capture it again") -> str:
    """A person's reads are at the limited mode's cap (bot.domain.workspace.pacing)."""
    return (f":hourglass_flowing_sand: Slack limits how often I can read messages in this "
            f"workspace, and {waiting} of yours are already waiting their turn; the next goes in "
            f"about {in_about(seconds)}. I didn't file this one: {again} once that one is filed.")
