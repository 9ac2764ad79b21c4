"""What every command shares: settings or a one-line error, running a coroutine, waiting
for Ctrl-C / SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from bot.config import DatabaseSettings, SettingsError, load_settings

S = TypeVar("S", bound=DatabaseSettings)


def settings_or_exit(cls: type[S], **overrides: Any) -> S:
    """The settings, or exit 2 with one line naming what is wrong."""
    try:
        return load_settings(cls, **overrides)
    except SettingsError as e:
        fail(str(e), status=2)


def fail(message: str, *, status: int = 1) -> NoReturn:
    """Print ``earshot: message`` on stderr and exit."""
    click.echo(f"earshot: {message}", err=True)
    sys.exit(status)


def run(coro: Coroutine[Any, Any, None]) -> None:
    """Run a command's coroutine; Ctrl-C ends it quietly."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(coro)


async def until_stopped() -> None:
    """Wait for SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def read_file(path: Path, *, encoding: str = "utf-8") -> str:
    """The file's text, or exit 2 saying why it cannot be read."""
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        fail(f"{path}: no such file.", status=2)
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{path}: cannot read it ({e}).", status=2)


def write_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, or exit 2 saying why it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: cannot write it ({e.strerror}).", status=2)

