"""The ``earshot`` command: a group whose subcommands are imported when they run.

`earshot serve` is what a web dyno starts; it should not pay for importing the demo, the
digest renderer or the classifier CLI before it can answer `/healthz`. Click's lazy-group
pattern (click docs, "Lazily Loading Subcommands") keeps each command in its own module
and imports it only when it is invoked or listed by ``--help``.
"""

from __future__ import annotations

import errno
import importlib
import os

import click

from bot.cli.common import end_quietly_on_broken_pipe

# One BLAS thread, set before any command imports numpy (no import above does): a remark's
# maths is many small products, for which a BLAS thread pool costs more than it saves and
# competes with the event loop and other processes for cores (the theme step ran 12x
# slower with the default pool on a busy 2-core machine). A deployer's setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# name -> "module:attribute"; each module is imported only when its command is needed.
COMMANDS = {
    "serve": "bot.cli.run:serve",
    "worker": "bot.cli.run:worker",
    "socket": "bot.cli.socket_mode:socket",
    "migrate": "bot.cli.run:migrate",
    "clock": "bot.cli.digest:clock_command",
    "digest": "bot.cli.digest:digest_command",
    "classify": "bot.cli.classify:classify_command",
    "processes": "bot.cli.processes:processes_command",
    "customers": "bot.cli.customers:customers_command",
    "improvements": "bot.cli.improvements:improvements_command",
    "workspace": "bot.cli.workspace:workspace_command",
    "watch": "bot.cli.watch:watch_command",
    "export": "bot.cli.export:export_command",
    "api-token": "bot.cli.intake:api_token_command",
    "hooks": "bot.cli.hooks:hooks_command",
    "import": "bot.cli.intake:import_command",
    "doctor": "bot.cli.doctor:doctor_command",
    "manifest": "bot.cli.manifest:manifest_command",
    "demo": "bot.cli.demo:demo_command",
}


class LazyGroup(click.Group):
    """A group that resolves ``COMMANDS`` on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):  # a wrong table entry is our bug, say so
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> object:
        # A closed pipe (`earshot export | head -1`) is the reader being done, not an error of
        # ours or the database's: end quietly wherever the write happened.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            end_quietly_on_broken_pipe()
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            end_quietly_on_broken_pipe()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="earshot")
def main() -> None:
    """Earshot: catch customer feedback in Slack, file it against your processes,
    and post a weekly improvement digest.

    Configuration comes from the environment and a .env file; see docs/running.md.
    """
