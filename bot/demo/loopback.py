"""Keep the demo on this machine: refuse any socket connection outside loopback.

An audit hook (PEP 578) sees every ``socket.connect`` in the process. The demo installs it
before it starts anything, so a connection to anything but 127.0.0.0/8, ::1, a Unix
socket, or the database host the person named with ``--database-url`` fails at once and
is counted (the demo's summary reports it). Audit hooks cannot be removed; the demo is a
process of its own, so that is what we want.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any

_state: dict[str, Any] = {"installed": False, "allowed": set(), "refused": []}


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event != "socket.connect" or len(args) < 2:
        return
    address = args[1]
    if not isinstance(address, tuple) or not address:
        return  # a Unix socket path
    host = str(address[0])
    if _is_loopback(host) or host in _state["allowed"]:
        return
    _state["refused"].append(f"{host}:{address[1] if len(address) > 1 else '?'}")
    raise PermissionError(f"earshot demo: refused to connect to {host} (the demo stays on loopback)")


def allow_host(host: str | None) -> None:
    """Also allow ``host`` (the database the person chose), by each address it resolves to."""
    if not host or _is_loopback(host):
        return
    _state["allowed"].add(host)
    try:
        for info in socket.getaddrinfo(host, None):
            _state["allowed"].add(str(info[4][0]))
    except OSError:
        pass


def install() -> None:
    """Start refusing non-loopback connections in this process (idempotent)."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True


def refused() -> list[str]:
    """Connections refused so far (host:port)."""
    return list(_state["refused"])
