"""The client's address (services/gateway/client_address.py): X-Forwarded-For is believed only from
trusted proxies, read from the right; a spoofed header from anyone else is ignored."""

from __future__ import annotations

import pytest

from services.gateway.client_address import client_address, client_key, parse_trusted_proxies
from services.gateway.config import GatewayConfig

INGRESS = parse_trusted_proxies("10.244.0.0/16, 127.0.0.1")


def test_parse_trusted_proxies():
    assert parse_trusted_proxies("") == ()
    assert parse_trusted_proxies(None) == ()
    assert [str(n) for n in parse_trusted_proxies("10.0.0.0/8,  192.168.1.7 ::1 fd00::/8")] == [
        "10.0.0.0/8", "192.168.1.7/32", "::1/128", "fd00::/8"]
    assert [str(n) for n in parse_trusted_proxies(["10.1.2.3/8"])] == ["10.0.0.0/8"]  # host bits dropped
    for bad in ("*", "10.0.0.0/8,*", "ingress-nginx", "10.0.0.300", "10.0.0.0/33"):
        with pytest.raises(ValueError):
            parse_trusted_proxies(bad)


def test_the_setting_is_parsed_and_checked(monkeypatch):
    assert GatewayConfig().trusted_proxies == ()  # the default: no proxy is trusted
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.244.0.0/16,127.0.0.1")
    assert [str(n) for n in GatewayConfig().trusted_proxies] == ["10.244.0.0/16", "127.0.0.1/32"]
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "*")
    with pytest.raises(ValueError, match="not allowed"):
        GatewayConfig()


@pytest.mark.parametrize(("peer", "xff", "expected"), [
    # no trusted proxy in front: the peer, whatever it claims
    ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),
    ("203.0.113.7", [], "203.0.113.7"),
    # from the ingress: the address it appended
    ("10.244.3.4", ["198.51.100.1"], "198.51.100.1"),
    # a client that sends its own header: the ingress appends the real address; the right-most wins
    ("10.244.3.4", ["1.2.3.4, 198.51.100.1"], "198.51.100.1"),
    ("10.244.3.4", ["1.2.3.4", "198.51.100.1"], "198.51.100.1"),  # two headers are one list
    # chains of our own proxies are skipped
    ("10.244.3.4", ["198.51.100.1, 10.244.9.9"], "198.51.100.1"),
    ("10.244.3.4", ["10.244.1.1, 10.244.9.9"], "10.244.1.1"),     # only proxies: the left-most
    # ports, brackets, IPv4-mapped IPv6, odd spacing
    ("10.244.3.4", [" 198.51.100.1:5555 "], "198.51.100.1"),
    ("10.244.3.4", ["[2001:db8::1]:443"], "2001:db8::1"),
    ("::ffff:10.244.3.4", ["198.51.100.1"], "198.51.100.1"),
    ("::ffff:203.0.113.7", [], "203.0.113.7"),
    # garbage where the client should be: the last trusted hop, never the garbage
    ("10.244.3.4", ["198.51.100.1, unknown"], "10.244.3.4"),
    ("10.244.3.4", ["1.2.3.4, 198.51.100.1, 10.244.0.9, evil"], "10.244.3.4"),
    ("10.244.3.4", [""], "10.244.3.4"),
    ("10.244.3.4", [], "10.244.3.4"),
    # loopback trusted (the test stack): the header from 127.0.0.1, never from 127.0.0.2
    ("127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
    ("127.0.0.2", ["198.51.100.1"], "127.0.0.2"),
    (None, ["198.51.100.1"], ""),
])
def test_client_address(peer, xff, expected):
    assert client_address(peer, xff, INGRESS) == expected


def test_no_trusted_proxies_never_reads_the_header():
    assert client_address("127.0.0.1", ["198.51.100.1"], ()) == "127.0.0.1"


def test_client_key_groups_ipv6_by_64():
    assert client_key("198.51.100.1") == "198.51.100.1"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("2001:db8::1", 128) == "2001:db8::1"
    assert client_key("") == ""
