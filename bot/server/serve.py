"""Starting and stopping the bot's processes: the database check, the HTTP listener, Socket
Mode, and a bounded shutdown. The CLI and the demo both start the bot through here."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable

from aiohttp import web

from bot.config import Settings, SettingsError
from bot.domain.services import Services
from bot.server.runtime import Runtime
from bot.server.scheduler import DigestScheduler
from bot.server.web import build_web_app
from storage.db import is_sqlite
from storage.migrate import SchemaNotCurrent, check_current, upgrade_async

log = logging.getLogger("earshot")

# Closing the database and the process after the grace: a safety margin, not a wait.
CLOSE_SECONDS = 3.0


async def prepare_database(settings: Settings) -> None:
    """SQLite is migrated in place; PostgreSQL must have been migrated by the release phase.

    Raises SettingsError saying what is wrong: an old schema, or a database that cannot be
    reached (with the driver's reason).
    """
    try:
        await check_current(settings.database_url)
    except SchemaNotCurrent as e:
        if not is_sqlite(settings.database_url):
            raise SettingsError(str(e)) from None
        # Checked first: Alembic costs a few hundred ms even when there is nothing to do.
        await upgrade_async(settings.database_url)


async def start_http(settings: Settings, *, services: Services | None = None
                     ) -> tuple[web.AppRunner, Runtime, int]:
    """What `earshot serve` runs (and `earshot demo`, on loopback): prepare the database,
    start the runtime (inbox, and the worker unless ``WORKER=separate``) and listen. Returns ``(runner, runtime, port)``.

    Raises SettingsError (schema not current) or OSError (cannot listen), having cleaned up.
    """
    await prepare_database(settings)
    runtime = Runtime.create(settings, services=services)
    await runtime.start()
    runner = web.AppRunner(build_web_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        await runtime.stop()
        await runtime.services.close()
        raise
    return runner, runtime, int(runner.addresses[0][1])


async def start_worker(settings: Settings) -> Runtime:
    """What `earshot worker` runs: the background worker alone, leasing what web processes
    stored (slash commands and interactions still run in the web process).

    It first lowers its CPU priority by ``WORKER_NICE``: where it shares the cores with
    web processes, the kernel then runs their acknowledgements ahead of its background
    work, which still gets every cycle the acknowledgements leave (on a machine of its
    own, nothing changes)."""
    lower_priority(settings.worker_nice)
    await prepare_database(settings)
    runtime = Runtime.create(settings)
    await runtime.start(worker=True)
    return runtime


def lower_priority(by: int) -> None:
    """Add ``by`` to this process's niceness (a no-op where the platform has none)."""
    if by and hasattr(os, "nice"):
        try:
            os.nice(by)
        except OSError as e:  # e.g. a sandbox that forbids it: run at normal priority
            log.warning("worker: could not lower the CPU priority (%s)", e)


async def shutdown(first: Awaitable[None], runtime: Runtime, *, grace: float | None = None,
                   scheduler: DigestScheduler | None = None) -> None:
    """A graceful stop within ``grace`` seconds (SHUTDOWN_GRACE_SECONDS), in this order:

    1. ``first`` stops new work coming in: the HTTP listener closes (requests in flight are
       answered: their deliveries are stored), or the Socket Mode connection;
    2. the runtime lets what is in flight finish and records it (``Runtime.stop``), and
       the scheduler (when it runs in this process) its jobs running;
    3. the database is closed.
    Everything acknowledged is in the database already: what the grace cuts short is
    redone on restart, at most once more.
    """
    grace = runtime.services.settings.shutdown_grace_seconds if grace is None else grace
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    log.info("stopping: finishing the work in flight (up to %.0fs)", grace)
    try:
        await asyncio.wait_for(first, timeout=grace)
    except TimeoutError:
        log.warning("stopping: requests still open after %.0fs; closed", grace)
    left = max(0.0, deadline - loop.time())
    await asyncio.gather(runtime.stop(grace=left),
                         scheduler.stop(grace=left) if scheduler is not None else asyncio.sleep(0))
    try:
        await asyncio.wait_for(runtime.services.close(), timeout=CLOSE_SECONDS)
    except TimeoutError:
        log.warning("stopping: the database did not close in time; exiting")
    log.info("stopped")
