"""`earshot demo`: play the story and show what Slack would have shown; `earshot demo send`
talks to a demo left running with `--keep`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import click
from sqlalchemy.engine import make_url

from bot import logs
from bot.demo import loopback, output, show, show_loop
from bot.demo import story as s
from bot.demo.control import STATE_FILE, Control
from bot.demo.render import Style
from bot.demo.runner import Demo, DemoError, Options
from storage.db import normalise_database_url

DEFAULT_OUT = Path("earshot-demo")
INTERRUPTED = 130


@click.group("demo", invoke_without_command=True)
@click.option("--database-url", default=None, metavar="URL",
              help="Use this database instead of a throwaway SQLite file, e.g. "
                   "postgresql://postgres@127.0.0.1/earshot_demo (its schema is migrated).")
@click.option("--keep", is_flag=True,
              help="Leave the bot and the Slack stand-in running afterwards, to try "
                   "`earshot demo send …` (Ctrl-C stops it).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port for the bot on 127.0.0.1 (default: any free port).")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, metavar="DIR",
              help="Folder for the digest JSON, chart and remarks CSV (a folder: the demo writes several files).")
@click.option("--quiet", is_flag=True, help="No progress bar or Slack renderings; just the summary.")
@click.pass_context
def demo_command(ctx: click.Context, database_url: str | None, keep: bool, port: int | None,
                 out: Path, quiet: bool) -> None:
    """Try Earshot in one command, without a Slack workspace.

    Plays seven weeks at a small company against the Slack stand-in that ships with
    Earshot: customer remarks captured by every route, corrections, the weekly digest
    posted by the real scheduler, then the loop: an improvement started from the digest,
    shipped by a GitHub webhook, the capturers told, and the digest's verdict on it.
    Everything stays on 127.0.0.1.
    """
    if ctx.invoked_subcommand is not None:
        return
    sys.exit(run(database_url=database_url, keep=keep, port=port, out=out, quiet=quiet))


def run(*, database_url: str | None, keep: bool, port: int | None, out: Path, quiet: bool) -> int:

    if database_url is not None:
        try:
            database_url = normalise_database_url(database_url)
        except Exception as e:
            click.echo(f"earshot demo: --database-url is not usable ({e}).", err=True)
            return 2

        loopback.allow_host(make_url(database_url).host)
    loopback.install()
    try:
        folder = output.prepare(out)
    except OSError as e:
        click.echo(f"earshot demo: cannot use --out {out}: {e}", err=True)
        return 2
    return asyncio.run(_main(database_url=database_url, keep=keep, port=port or 0, folder=folder,
                             quiet=quiet))


async def _main(*, database_url: str | None, keep: bool, port: int, folder: Path, quiet: bool) -> int:

    logs.configure("WARNING")
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    stopping: list[str] = []

    def interrupt(name: str) -> None:
        if not stopping and task is not None:
            stopping.append(name)
            task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, interrupt, sig.name)

    began = time.monotonic()
    tty = sys.stdout.isatty()
    style = Style(color=tty, unicode=(sys.stdout.encoding or "").lower().replace("-", "") == "utf8")
    echo = click.echo
    demo = Demo(Options(database_url=database_url, port=port, keep=keep))
    control: Any = None
    try:
        await demo.start()
        steps = s.story()
        if not quiet:
            _header(demo, steps, style)
        await _play(demo, steps, quiet=quiet)
        remarks = await demo.remarks()
        elapsed = time.monotonic() - began
        if not quiet:
            for line in show.setup(demo, style) + show.confirmations(demo, style) + show.quiet_routes(demo, remarks, style) \
                    + show.digests(demo, style) + show.account_notes(demo, style) + show_loop.loop(demo, style):
                echo(line)
        written = output.write_all(demo, folder, remarks, elapsed=elapsed, refused=loopback.refused())
        problems = [f"{p.step.caption()}: {p.error}" for p in demo.played if p.error]
        echo(style.bold(f"Files in {folder}"))
        for path, what in written:
            echo(f"  {path.name:<26} {what}")
        echo("")
        for problem in problems:
            echo(f"earshot demo: {problem}", err=True)
        echo(f"Done in {elapsed:.1f} s: {len(steps)} steps, {len(remarks)} remarks filed, "
             f"{len(demo.digests)} digests posted, {len(demo.fake.calls)} Slack Web API calls "
             "answered by the stand-in, nothing sent outside 127.0.0.1.")
        if keep:

            control = Control(demo, folder)
            await control.start()
            _keep_instructions(demo, folder, style)
            await asyncio.Event().wait()  # until Ctrl-C / SIGTERM
        else:
            echo("Next: `earshot demo --keep` to send your own remarks; docs/demo.md for the way "
                 "to a real workspace.")
        return 1 if problems else 0
    except asyncio.CancelledError:
        if not stopping:
            raise
        echo("", err=True)
        echo(f"earshot demo: stopped ({'Ctrl-C' if stopping[0] == 'SIGINT' else stopping[0]}); "
             "the bot and the Slack stand-in are shut down.", err=True)
        return INTERRUPTED
    except DemoError as e:
        echo(f"earshot demo: {e}", err=True)
        return 2
    finally:
        if control is not None:
            await control.stop()
        await demo.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def _header(demo: Any, steps: list[Any], style: Any) -> None:

    end = demo.story_start + steps[-1].at.offset()
    click.echo(style.bold(f"Earshot demo: seven weeks at {s.TEAM_NAME}, a small B2B SaaS company"))
    click.echo("Played against the Slack stand-in that ships with Earshot: no Slack workspace, no tokens.")
    click.echo(f"  bot (as `earshot serve`)  {demo.events_url}")
    click.echo(f"  Slack stand-in            {demo.fake.api_url}")
    click.echo(f"  database                  {demo.database_label}")
    click.echo(f"  story                     {demo.story_start:%a %d %b} – {end:%a %d %b %Y}; the clock "
               "moves, the digest falls due each Monday 09:00")
    click.echo("")


async def _play(demo: Any, steps: list[Any], *, quiet: bool) -> None:
    if quiet:
        for step in steps:
            await demo.play(step)
        return
    current: list[str] = [""]
    def caption(_item: object) -> str | None:
        return current[0] or None

    # click's ProgressBar class is private, so the bar is not annotated further.
    progress: Any = click.progressbar(length=len(steps), label="Playing the story", width=24,
                                      file=sys.stderr, item_show_func=caption)
    with progress as bar:
        for step in steps:
            current[0] = f"{step.at.label()} · {step.caption()}"
            await demo.play(step)
            bar.update(1)
    click.echo("")


def _keep_instructions(demo: Any, folder: Path, style: Any) -> None:
    click.echo("")
    click.echo(style.bold("Still running (--keep). In another terminal, try:"))
    click.echo('  earshot demo send feedback "[Billing] (Harbor Goods) The refund still has not arrived"')
    click.echo('  earshot demo send say "Harbor Goods love the new export" --as bob --channel support')
    click.echo("  earshot demo send react <ts printed by say> --as alice")
    click.echo("  earshot demo send week            # Monday 09:00 again: the scheduler posts a digest")
    if folder.resolve() != DEFAULT_OUT.resolve():
        click.echo(f"  (add --out {folder} to each, so `send` finds this demo)")
    click.echo(f"Slack's side is at {demo.fake.api_url}, the bot at {demo.events_url}. "
               "Ctrl-C stops both.")


# ------------------------------------------------------------------------------ send


@demo_command.group("send")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, metavar="DIR", help="The folder of the running `earshot demo --keep`.")
@click.pass_context
def send_command(ctx: click.Context, out: Path) -> None:
    """Act in the running demo's workspace (start it with `earshot demo --keep`)."""
    ctx.obj = out


_AS = click.option("--as", "who", default=None, help="alice, bob, carla, dan (or maya, the customer).")
_CHANNEL = click.option("--channel", default=None, help="support, sales, product, general, ext-kestrel-freight.")


@send_command.command("feedback")
@click.argument("text", nargs=-1, required=True)
@_AS
@_CHANNEL
@click.pass_obj
def send_feedback(out: Path, text: tuple[str, ...], who: str | None, channel: str | None) -> None:
    """/feedback TEXT, e.g. "[Billing] (Acme) the invoice arrived twice"."""
    _send(out, {"action": "feedback", "text": " ".join(text), "as": who, "channel": channel})


@send_command.command("say")
@click.argument("text", nargs=-1, required=True)
@_AS
@_CHANNEL
@click.pass_obj
def send_say(out: Path, text: tuple[str, ...], who: str | None, channel: str | None) -> None:
    """Post a message (prints its ts, to react to it)."""
    _send(out, {"action": "say", "text": " ".join(text), "as": who, "channel": channel})


@send_command.command("react")
@click.argument("ts")
@_AS
@click.option("--emoji", default="memo", show_default=True)
@click.pass_obj
def send_react(out: Path, ts: str, who: str | None, emoji: str) -> None:
    """React to the message TS with a capture emoji."""
    _send(out, {"action": "react", "ts": ts, "as": who, "emoji": emoji})


@send_command.command("forward")
@click.argument("ts")
@_AS
@click.option("--comment", default="", help="Your note, sent with the forward.")
@click.pass_obj
def send_forward(out: Path, ts: str, who: str | None, comment: str) -> None:
    """Forward the message TS to Earshot's DM."""
    _send(out, {"action": "forward", "ts": ts, "as": who, "text": comment})


@send_command.command("mention")
@click.argument("ts")
@_AS
@click.option("--note", default="", help="The rest of the mention: your note.")
@click.pass_obj
def send_mention(out: Path, ts: str, who: str | None, note: str) -> None:
    """Mention @earshot in the thread of the message TS."""
    _send(out, {"action": "mention", "ts": ts, "as": who, "text": note})


@send_command.command("week")
@click.pass_obj
def send_week(out: Path) -> None:
    """Move the clock to next Monday 09:00: the scheduler posts that week's digest."""
    _send(out, {"action": "week"})


def _send(out: Path, body: dict[str, Any]) -> None:

    loopback.install()
    path = out.expanduser() / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        click.echo(f"earshot demo send: no running demo found ({path} is missing). Start one with "
                   "`earshot demo --keep` (and pass the same --out to both).", err=True)
        sys.exit(2)
    try:
        answer = asyncio.run(_post(state, body))
    except OSError as e:
        click.echo(f"earshot demo send: the demo at {state.get('control_url')} does not answer ({e}). "
                   "Is `earshot demo --keep` still running?", err=True)
        sys.exit(2)
    if not answer.get("ok"):
        click.echo(f"earshot demo send: {answer.get('error', 'failed')}", err=True)
        sys.exit(1)
    if answer.get("ts"):
        click.echo(f"Posted in {answer.get('channel')} with ts {answer['ts']} "
                   f"(react to it: earshot demo send react {answer['ts']}).")
    for line in answer.get("shown") or []:
        click.echo(line)
    if answer.get("note"):
        click.echo(f"Note: {answer['note']}")
    if not answer.get("shown") and not answer.get("ts"):
        click.echo("Delivered; the bot showed nothing privately (see the demo's folder and Slack stand-in).")


async def _post(state: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:

    url = str(state["control_url"]) + "/send"
    headers = {"Authorization": f"Bearer {state['token']}"}
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session, \
            session.post(url, json={k: v for k, v in body.items() if v is not None}, headers=headers) as resp:
        try:
            return await resp.json(content_type=None)
        except ValueError:
            return {"ok": False, "error": f"HTTP {resp.status}"}
