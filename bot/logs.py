"""Logging set-up: one line per record, tokens redacted whatever a library prints."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if _TOKEN.search(msg):
            record.msg = _TOKEN.sub("[redacted]", msg)
            record.args = ()
        return True


class DropBoltTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our configured client wins; it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def configure(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactTokens())
    handler.addFilter(DropBoltTokenNotice())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Library chatter (SQL, HTTP access lines) only when asked for DEBUG.
    if level != "DEBUG":
        for noisy in ("aiohttp.access", "sqlalchemy.engine", "slack_sdk", "slack_bolt"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
