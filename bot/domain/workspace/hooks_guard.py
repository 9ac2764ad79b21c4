"""Where an outbound webhook may go: an https URL whose host is a public address.

A URL is checked when it is added and again at every send, against what its name resolves
to *then* (DNS rebinding: a name that was public when added can point inside later). The
check lives in the HTTP client's resolver, so the connection goes to exactly the addresses
that were checked, with no second lookup in between. An IP literal never reaches a resolver
(aiohttp connects to it directly), so ``check_url`` checks it itself.

Refused: loopback, private (RFC 1918, unique local), link-local (cloud metadata at
169.254.169.254), shared (100.64/10), multicast, reserved and unspecified addresses, IPv4
mapped into IPv6 the same; and a host with any such address among its answers.
``WEBHOOKS_ALLOW_PRIVATE`` (tests, an internal receiver) and ``WEBHOOKS_ALLOW_HTTP`` lift the
rules; neither is on by default.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

MAX_URL = 1000

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """A URL or an address a webhook may not go to; the message says why."""


@dataclass(frozen=True)
class Rules:
    allow_http: bool = False
    allow_private: bool = False


def is_public(ip: IP) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def literal(host: str) -> IP | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_address(ip: IP, rules: Rules) -> None:
    if not rules.allow_private and not is_public(ip):
        raise Refused(f"{ip} is not a public address (private, loopback, link-local or reserved)")


def check_url(url: str, rules: Rules) -> str:
    """The URL, cleaned of surrounding spaces and Slack's <...>, if it is one a webhook may
    have (its host's addresses are checked apart, when it is resolved); else Refused."""
    url = url.strip().removeprefix("<").removesuffix(">").split("|", 1)[0]
    if not url or len(url) > MAX_URL:
        raise Refused(f"a webhook URL has 1 to {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise Refused(f"that is not a URL ({e})") from None
    if parts.scheme != "https" and not (rules.allow_http and parts.scheme == "http"):
        raise Refused("a webhook URL must start with https://")
    host = parts.hostname
    if not host:
        raise Refused("a webhook URL needs a host name")
    if parts.username or parts.password:
        raise Refused("a webhook URL may not carry a user name or password")
    if port == 0:
        raise Refused("a webhook URL's port must be 1 to 65535")
    if any(c.isspace() for c in url):
        raise Refused("a webhook URL has no spaces")
    ip = literal(host)
    if ip is not None:
        check_address(ip, rules)
    elif host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        if not rules.allow_private:
            raise Refused(f"{host} is not a public host name")
    return url


class GuardedResolver(AbstractResolver):
    """Resolves like the system does, then refuses the host unless every address is allowed."""

    def __init__(self, rules: Rules, inner: AbstractResolver | None = None) -> None:
        self.rules = rules
        self._inner = inner or ThreadedResolver()  # ``inner``: a stand-in DNS in tests

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            found = await self._inner.resolve(host, port, family)
        except OSError as e:
            raise Refused(f"{host} does not resolve ({e})") from None
        for entry in found:
            ip = literal(entry["host"].split("%", 1)[0])
            if ip is None:
                raise Refused(f"{host} resolved to something that is not an address")
            check_address(ip, self.rules)
        return found

    async def close(self) -> None:
        await self._inner.close()


async def check_host(url: str, rules: Rules) -> None:
    """Resolve the URL's host now and refuse it if any address is not allowed (at add time)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if literal(host) is not None:
        return  # checked by check_url
    resolver = GuardedResolver(rules)
    try:
        await resolver.resolve(host, parts.port or 443, socket.AF_UNSPEC)
    finally:
        await resolver.close()
