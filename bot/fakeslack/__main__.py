"""`python -m bot.fakeslack --port 0`: run the Slack stand-in standalone and print its URL."""

from __future__ import annotations

import argparse
import asyncio

from .server import DEFAULT_SIGNING_SECRET, FakeSlack


async def _serve(args: argparse.Namespace) -> None:
    async with FakeSlack(
        bot_token=args.bot_token, signing_secret=args.signing_secret, host=args.host, port=args.port
    ) as fake:
        print(fake.api_url, flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.fakeslack", description="Fake Slack Web API"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--bot-token", default="xoxb-test")
    parser.add_argument("--signing-secret", default=DEFAULT_SIGNING_SECRET)
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
