"""The SSRF guard: which addresses and URLs a webhook may target."""

import ipaddress

import pytest

from dossier.runtime.ssrf import (
    Allowlist,
    CheckedTarget,
    UrlRefusedError,
    check_url,
    decide,
    is_public,
    parse_url,
)

NOT_PUBLIC = [
    "10.0.0.5",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
    "2001:db8::1",  # documentation
]

PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def _ips(*addresses: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    return [ipaddress.ip_address(a) for a in addresses]


def test_public_https_url_passes() -> None:
    decide(parse_url("https://hooks.example.com/x"), _ips("93.184.216.34"), Allowlist())


def test_every_resolved_address_must_be_public() -> None:
    with pytest.raises(UrlRefusedError):
        decide(
            parse_url("https://mixed.example.com/x"), _ips("93.184.216.34", "10.0.0.1"), Allowlist()
        )


def test_plain_http_is_refused_even_to_a_public_address() -> None:
    with pytest.raises(UrlRefusedError, match="https"):
        decide(parse_url("http://example.com/hook"), _ips("93.184.216.34"), Allowlist())


def test_unresolvable_host_is_refused() -> None:
    with pytest.raises(UrlRefusedError, match="resolve"):
        decide(parse_url("https://nowhere.invalid/x"), [], Allowlist())


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "https:///nohost",
        "https://user:pw@example.com/",
        "not a url",
    ],
)
def test_malformed_or_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(UrlRefusedError):
        parse_url(url)


def test_allowlisted_cidr_admits_address_literals_in_range_over_http() -> None:
    allow = Allowlist.parse("127.0.0.1, 10.1.0.0/16")
    decide(parse_url("http://127.0.0.1:8123/hook"), _ips("127.0.0.1"), allow)
    decide(parse_url("https://10.1.2.3/hook"), _ips("10.1.2.3"), allow)


def test_allowlisted_cidr_does_not_admit_addresses_outside_it() -> None:
    with pytest.raises(UrlRefusedError):
        decide(parse_url("https://10.2.0.1/hook"), _ips("10.2.0.1"), Allowlist.parse("10.1.0.0/16"))


def test_allowlisted_address_does_not_admit_names_resolving_to_it() -> None:
    with pytest.raises(UrlRefusedError):
        decide(parse_url("https://localhost/x"), _ips("127.0.0.1"), Allowlist.parse("127.0.0.1"))


def test_allowlisted_host_admits_that_name_whatever_it_resolves_to() -> None:
    allow = Allowlist.parse("Hooks.Internal.")
    decide(parse_url("http://hooks.internal:8080/x"), _ips("10.0.0.7"), allow)


def test_allowlist_ignores_blank_entries() -> None:
    allow = Allowlist.parse(" , ,")
    assert allow == Allowlist()


def test_ipv6_allowlist_entry_in_brackets() -> None:
    allow = Allowlist.parse("[::1]")
    decide(parse_url("http://[::1]:9000/x"), _ips("::1"), allow)


async def test_check_url_resolves_address_literals_without_dns() -> None:
    target = await check_url("https://8.8.8.8/hook", Allowlist())
    assert target.addresses == tuple(_ips("8.8.8.8"))


async def test_check_url_refuses_loopback_literal() -> None:
    with pytest.raises(UrlRefusedError):
        await check_url("https://127.0.0.1/hook", Allowlist())


async def test_check_url_refuses_localhost_by_name() -> None:
    with pytest.raises(UrlRefusedError):
        await check_url("https://localhost/x", Allowlist.parse("127.0.0.1"))


def test_pinned_url_targets_the_checked_address_and_keeps_the_name_for_host() -> None:
    target = CheckedTarget(
        url="https://hooks.example.com/a/b?c=1",
        parsed=parse_url("https://hooks.example.com/a/b?c=1"),
        addresses=tuple(_ips("93.184.216.34")),
    )
    assert target.pinned_url() == "https://93.184.216.34:443/a/b?c=1"
    assert target.host_header == "hooks.example.com"


def test_pinned_url_brackets_ipv6_and_keeps_a_custom_port_in_host() -> None:
    target = CheckedTarget(
        url="https://hooks.example.com:8443/x",
        parsed=parse_url("https://hooks.example.com:8443/x"),
        addresses=tuple(_ips("2606:4700::1111")),
    )
    assert target.pinned_url() == "https://[2606:4700::1111]:8443/x"
    assert target.host_header == "hooks.example.com:8443"
