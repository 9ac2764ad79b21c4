"""The `earshot` group imports a subcommand's module only when it is needed."""

from __future__ import annotations

import os
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


def _commands() -> list[tuple[str, click.Command]]:
    """Every command and subcommand, by its full name."""
    ctx = click.Context(main)
    out: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        out.append((prefix, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}", sub)

    for name in COMMANDS:
        walk(name, main.get_command(ctx, name))
    return out


# The commands that write something a person may want in a file (docs/cli.md's table).
WRITES_OUTPUT = {"export", "processes export", "customers export", "classify", "digest", "improvements",
                 "demo", "demo send"}


def test_output_is_one_way_everywhere_and_team_is_never_required() -> None:
    """Issue 22 item 6: output files were --out, -o or positional depending on the command."""
    for name, command in _commands():
        options = {o for p in command.params if isinstance(p, click.Option) and not p.hidden for o in p.opts}
        if name in WRITES_OUTPUT:
            assert {"-o", "--out"} <= options, name
        assert "--output" not in options, name
        for p in command.params:
            if isinstance(p, click.Option) and "--team" in p.opts:
                assert not p.required, f"{name}: --team is optional where one workspace is installed"


def test_earshot_processes_use_one_blas_thread_unless_the_deployer_says_otherwise() -> None:
    # What the earshot script does: import bot.cli.main, then the command imports numpy.
    probe = (
        "import bot.cli.main, numpy, scipy.sparse\n"
        "from threadpoolctl import threadpool_info\n"
        "print(max(i['num_threads'] for i in threadpool_info()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}

    def threads(e: dict[str, str]) -> str:
        return subprocess.run(
            [sys.executable, "-c", probe], env=e, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert threads(env) == "1"
    assert threads({**env, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}) == "2"
