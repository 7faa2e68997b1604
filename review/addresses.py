"""The addresses to print for a desk listening on every interface (`--host 0.0.0.0` or `::`): the ones
other people can open. 127.0.0.1 only works on this machine, so the machine's name and each of its
non-loopback addresses are given instead, standard library only."""

from __future__ import annotations

import ipaddress
import socket

EVERY_INTERFACE = ("0.0.0.0", "::", "")
# A documentation address (RFC 5737 / 3849): "connecting" a UDP socket to it sends nothing, but tells which
# local address the machine would reach the network from.
_PROBES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))


def desk_urls(host: str, port: int, token: str | None) -> list[str]:
    """Every address to print, the machine's name first; the token in each when there is one."""
    names = reachable_names(host) if host in EVERY_INTERFACE else [host]
    query = f"?token={token}" if token else ""
    return [f"http://{_bracketed(name)}:{port}/{query}" for name in names]


def reachable_names(host: str) -> list[str]:
    """The machine's host name, then its non-loopback addresses (IPv6 ones only when listening on '::')."""
    families = {socket.AF_INET} | ({socket.AF_INET6} if host == "::" else set())
    found: list[str] = []
    name = socket.gethostname()
    try:
        infos = socket.getaddrinfo(name, None)
    except OSError:  # a name the machine cannot resolve itself: the addresses below still work
        infos = []
    candidates = [str(info[4][0]) for info in infos if info[0] in families]
    for family, probe in _PROBES:
        if family in families:
            candidates.append(_route_address(family, probe))
    for address in candidates:
        if address and not _local_only(address) and address not in found:
            found.append(address)
    return [name, *found] if name else found or ["127.0.0.1"]


def _route_address(family: int, probe: str) -> str:
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            return str(udp.getsockname()[0])
    except OSError:  # no route at all (a machine off any network)
        return ""


def _local_only(address: str) -> bool:
    parsed = ipaddress.ip_address(address.split("%")[0])
    return parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified


def _bracketed(name: str) -> str:
    return f"[{name}]" if ":" in name else name
