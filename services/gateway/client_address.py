"""Who the client is, as far as its network address says: the TCP peer, or, when that peer is one of
our own proxies (`GATEWAY_TRUSTED_PROXIES`), the address the proxies recorded in X-Forwarded-For.

The header is a list that each proxy appends the address it saw to, so only its right end is
written by proxies we trust; anything to the left may be whatever the client sent. The client is
therefore the right-most entry that is not a trusted proxy, read from the right and only while
every hop so far was trusted. A peer that is not a trusted proxy is the client itself, whatever
headers it sends. With no trusted proxies (the default) the header is never read.

The address is also the key of per-client limits (the gateway's rate limits, the users service's
sign-in throttle). An IPv6 client counts as its /64 (`GATEWAY_CLIENT_IPV6_PREFIX`): one host is
routinely given a whole /64, so counting single IPv6 addresses would give it 2^64 budgets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_trusted_proxies(value: str | Iterable[str] | None) -> tuple[IPNetwork, ...]:
    """Addresses and CIDRs, comma- or space-separated (or a list); ValueError for anything else.
    `*` is refused: trusting every peer would let every client name its own address."""
    if value is None:
        return ()
    items = value.replace(",", " ").split() if isinstance(value, str) else [str(v).strip() for v in value]
    networks: list[IPNetwork] = []
    for item in items:
        if not item:
            continue
        if item == "*":
            raise ValueError("'*' is not allowed: name the proxies' addresses or CIDRs (every peer would be trusted)")
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or CIDR: {item!r}") from None
    return tuple(networks)


def _parse_host(value: str) -> IPAddress | None:
    """An address of an X-Forwarded-For entry or a peer ("1.2.3.4", "1.2.3.4:80", "[::1]:80", "::1");
    IPv4-mapped IPv6 as IPv4; None for anything that is not an address ("unknown", garbage)."""
    v = value.strip().strip('"')
    if v.startswith("["):
        end = v.find("]")
        if end == -1:
            return None
        v = v[1:end]
    elif v.count(":") == 1:  # IPv4 with a port
        v = v.split(":", 1)[0]
    v = v.split("%", 1)[0]  # an IPv6 zone
    try:
        addr = ipaddress.ip_address(v)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _trusted(addr: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(addr.version == net.version and addr in net for net in proxies)


def client_address(peer: str | None, forwarded_for: Iterable[str], proxies: Sequence[IPNetwork]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    X-Forwarded-For entry that is not a trusted proxy (several headers count as one list, in order).
    When every entry is a trusted proxy, the left-most; when the entry that would be the client is
    not an address, the last trusted hop (a proxy of ours wrote it, so this is a misconfiguration,
    and the coarser answer is the safe one). "" when there is no peer at all."""
    addr = _parse_host(peer) if peer else None
    if addr is None:
        return (peer or "").strip()
    if not proxies or not _trusted(addr, proxies):
        return str(addr)
    entries = [e for header in forwarded_for for e in header.split(",") if e.strip()]
    for entry in reversed(entries):
        hop = _parse_host(entry)
        if hop is None:
            break
        addr = hop
        if not _trusted(hop, proxies):
            break
    return str(addr)


def client_key(address: str, ipv6_prefix: int = 64) -> str:
    """What per-client limits count by: an IPv4 address as is, an IPv6 address as its network of
    `ipv6_prefix` bits ("2001:db8:1:2::/64"); anything else (a unix socket, "") unchanged."""
    try:
        addr = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(addr, ipaddress.IPv6Address) and 0 < ipv6_prefix < 128:
        return str(ipaddress.ip_network(f"{addr}/{ipv6_prefix}", strict=False))
    return str(addr)
