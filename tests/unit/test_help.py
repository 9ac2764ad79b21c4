"""`/feedback help` is generated from the registered subcommands and reads consistently."""

from __future__ import annotations

from handlers.commands import digest, filing, help, process, watch  # noqa: F401  (registers them)
from handlers.commands.router import SUBCOMMANDS


def test_every_subcommand_is_listed_with_its_full_usage():
    text = help.help_text("memo")
    for sub in SUBCOMMANDS.values():
        if sub.name == "flaky":  # registered only inside a test
            continue
        assert sub.usage.startswith(f"/feedback {sub.name}"), sub.usage
        assert sub.usage in text
        assert sub.summary[:1].islower(), sub.summary
