"""The `earshot` group imports a subcommand's module only when it is needed."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from bot.cli.main import COMMANDS, main


def test_every_listed_command_resolves_to_a_command_of_that_name() -> None:
    ctx = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command)
        assert command.name == name


def test_help_lists_every_command_and_an_unknown_one_is_refused() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMANDS)
    unknown = runner.invoke(main, ["serv"])
    assert unknown.exit_code == 2 and "No such command 'serv'" in unknown.output


def test_serve_does_not_import_the_demo_or_the_other_clis() -> None:
    # What `earshot serve --help` loads is what `earshot serve` loads before it listens.
    code = ("import sys; from bot.cli.main import main\n"
            "try: main(['serve', '--help'])\n"
            "except SystemExit: pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('bot.') or m in ('matplotlib', 'numpy', 'sklearn', 'wordllama'))), file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stderr.split()
    assert "bot.cli.run" in loaded
    for heavy in ("bot.cli.demo", "bot.demo.runner", "bot.fakeslack", "bot.cli.classify",
                  "bot.cli.customers", "bot.server.socket_mode", "matplotlib", "numpy", "sklearn", "wordllama"):
        assert heavy not in loaded
