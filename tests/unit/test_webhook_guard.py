"""Where outbound webhooks may go (bot/domain/workspace/hooks_guard.py): https URLs whose
host is a public address, checked when added and again when resolved at send time."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from types import SimpleNamespace

import pytest
from aiohttp.abc import AbstractResolver

from bot.domain.workspace.hooks_guard import GuardedResolver, Refused, Rules, check_url, is_public
from bot.domain.workspace.hooks_send import http_session, post

STRICT = Rules()
OPEN = Rules(allow_http=True, allow_private=True)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "198.18.0.1",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://example.com/hook", "https://"),
        ("ftp://example.com/hook", "https://"),
        ("https://127.0.0.1/hook", "not a public address"),
        ("https://[::1]:8443/hook", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://localhost/hook", "not a public host"),
        ("https://metadata.google.internal/", "not a public host"),
        ("https://user:pw@example.com/hook", "user name or password"),
        ("https:///nohost", "needs a host"),
        ("https://example.com:99999/", "not a URL"),
        ("https://" + "a" * 1000 + ".com/", "1 to 1000"),
        ("", "1 to 1000"),
    ],
)
def test_urls_refused_by_default(url, why):
    with pytest.raises(Refused, match=why.replace("(", r"\(")):
        check_url(url, STRICT)


def test_https_public_url_passes_and_slack_brackets_are_removed():
    assert (
        check_url("<https://hooks.example.com/earshot?x=1>", STRICT)
        == "https://hooks.example.com/earshot?x=1"
    )
    assert (
        check_url("<https://hooks.example.com/a|hooks.example.com/a>", STRICT)
        == "https://hooks.example.com/a"
    )


def test_operator_settings_allow_http_and_private_addresses():
    assert check_url("http://127.0.0.1:8080/hook", OPEN) == "http://127.0.0.1:8080/hook"
    with pytest.raises(Refused):
        check_url("http://127.0.0.1:8080/hook", Rules(allow_private=True))


async def test_the_resolver_refuses_a_name_that_resolves_inside():
    resolver = GuardedResolver(STRICT)
    try:
        with pytest.raises(Refused, match="not a public address"):
            await resolver.resolve("localhost", 443, socket.AF_INET)
    finally:
        await resolver.close()
    allowed = GuardedResolver(OPEN)
    try:
        found = await allowed.resolve("localhost", 443, socket.AF_INET)
        assert found and all(ipaddress.ip_address(f["host"]).is_loopback for f in found)
    finally:
        await allowed.close()


class Rebound(AbstractResolver):
    """A DNS that answers a public address first and loopback afterwards (DNS rebinding)."""

    def __init__(self) -> None:
        self.answers = ["93.184.215.14", "127.0.0.1"]
        self.asked = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ):
        ip = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        return [
            {
                "hostname": host,
                "host": ip,
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        pass


async def test_a_name_rebound_inside_after_it_was_checked_is_refused_at_send_time():
    """The add-time check saw a public address; when sending, the same name answers loopback and
    the client's own resolver refuses it: the connection only goes to checked addresses."""
    dns = Rebound()
    guard = GuardedResolver(STRICT, dns)
    assert (await guard.resolve("hooks.example.com", 443))[0][
        "host"
    ] == "93.184.215.14"  # as at add time
    sub = SimpleNamespace(url="https://hooks.example.com/earshot", secret="whsec_" + "A" * 44)
    now = dt.datetime.now(dt.UTC)
    async with http_session(STRICT, dns) as http:
        error = await post(
            http,
            sub,
            msg_id="msg_1",
            event_type="webhook.test",
            at=now,
            data={},
            now=now,
            rules=STRICT,
            timeout=2,
        )
    assert (
        error
        == "refused: 127.0.0.1 is not a public address (private, loopback, link-local or reserved)"
    )
    assert dns.asked == 2
