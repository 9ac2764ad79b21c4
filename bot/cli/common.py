"""What every command shares: settings or a one-line error, running a coroutine, waiting
for Ctrl-C / SIGTERM, and the output convention (docs/cli.md): a command's data goes to
standard output unless ``-o/--out FILE`` names a file (``-`` is standard output), while
notes, progress and errors go to standard error."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar

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


def decode_text(data: bytes, name: str, *, tail: str = "save the file as UTF-8") -> str:
    """Text as editors, spreadsheets and Windows tools save it: UTF-8 with or without a
    byte-order mark, or UTF-16 with one (Excel's "Unicode text"). Raises ValueError naming
    the line to fix."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise ValueError(f"{name}: starts as UTF-16 but is not UTF-16 text ({tail}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1  # the line to fix, as for any bad row
        raise ValueError(f"{name}: line {line} is not UTF-8 text ({tail}).") from None


def read_file(path: Path) -> str:
    """The file's text (see decode_text), its line ends made "\n" as text-mode reading does
    (a CSV cell's line break is stored as the customer typed it, not as Windows saved it),
    or exit 2 saying why it cannot be read."""
    try:
        return decode_text(path.read_bytes(), str(path)).replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        fail(f"{path}: no such file.", status=2)
    except OSError as e:
        fail(f"{path}: cannot read it ({e.strerror or e}).", status=2)
    except ValueError as e:
        fail(str(e), status=2)


def write_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, or exit 2 saying why it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: cannot write it ({e.strerror}).", status=2)



# -- output ---------------------------------------------------------------------------------

# What a shell reports for a program that SIGPIPE ended (128 + 13), as `cat` or `grep` would.
BROKEN_PIPE = 141

F = TypeVar("F", bound=Callable[..., Any])


def out_option(what: str) -> Callable[[F], F]:
    """``-o/--out FILE``: where the command writes ``what`` (default: standard output)."""
    return click.option(
        "-o", "--out", "out", metavar="FILE", default=None,
        type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
        help=f"Write {what} to FILE instead of standard output (- is standard output).")


def to_stdout(out: Path | None) -> bool:
    return out is None or str(out) == "-"


@contextlib.contextmanager
def output(out: Path | None, *, newline: str | None = None) -> Iterator[IO[str]]:
    """Standard output, or ``out`` opened for writing (exit 2 saying why it cannot be)."""
    if to_stdout(out):
        yield sys.stdout
        return
    assert out is not None
    try:
        stream = out.open("w", encoding="utf-8", newline=newline)
    except OSError as e:
        fail(f"{out}: cannot write it ({e.strerror}).", status=2)
    with stream:
        yield stream


def emit(out: Path | None, text: str) -> None:
    """Write ``text`` (a whole document) to standard output or to ``out``."""
    if to_stdout(out):
        click.echo(text, nl=False)
        return
    assert out is not None
    write_file(out, text)


def end_quietly_on_broken_pipe() -> NoReturn:
    """The reader went away (``earshot export | head``): stop without a traceback or a
    message. Standard output is pointed at /dev/null so the interpreter's last flush cannot
    fail again (the recipe in Python's documentation, "Note on SIGPIPE")."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(BROKEN_PIPE)
