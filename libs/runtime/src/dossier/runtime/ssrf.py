"""Which webhook targets Dossier may call: public `https` only, unless allow-listed.

A partner-supplied URL must not let anyone reach our own network (server-side
request forgery). A URL passes when its scheme is `https` and every address its
host resolves to is public: not private, loopback, link-local, multicast,
reserved, unspecified, carrier-grade NAT (100.64/10), IPv6 unique-local or
site-local, nor any of those hidden in an IPv4-mapped or 6to4 IPv6 address.
All resolved addresses must pass, so a name with one public and one private
record is refused.

The check runs at registration and again right before each delivery (a name
can be re-pointed after registration: DNS rebinding). The webhooks service
then connects to the very address it checked (see `CheckedTarget.pinned_url`),
so no second resolution happens between check and connect.

`DOSSIER_WEBHOOK_ALLOWLIST` (comma-separated) lets listed targets through, plain
`http` included: a host name entry admits that exact name whatever it resolves
to; an IP or CIDR entry admits URLs whose host is an address literal in that
range. Address entries deliberately do not admit names that happen to resolve
into the range, so `127.0.0.1` allow-listed for a local receiver does not open
`localhost` (or any name an attacker points at 127.0.0.1).
"""

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Ranges refused beyond what `ipaddress`'s flags already cover.
_EXTRA_BLOCKED: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
    ipaddress.ip_network("fc00::/7"),  # unique local
    ipaddress.ip_network("fe80::/10"),  # link-local
    ipaddress.ip_network("fec0::/10"),  # deprecated site-local
    ipaddress.ip_network("64:ff9b:1::/48"),  # local-use NAT64
)


class UrlRefusedError(ValueError):
    """The URL may not be called. `reason` is safe to show to the partner."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, raw: str | None) -> "Allowlist":
        """`"127.0.0.1, 10.1.0.0/16, hooks.internal"` → names and networks."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (e.strip() for e in (raw or "").split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(_normal_host(entry))
        return cls(frozenset(hosts), tuple(networks))

    def admits_host(self, host: str) -> bool:
        return _normal_host(host) in self.hosts

    def admits_address(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    ):
        return False
    return not any(address.version == n.version and address in n for n in _EXTRA_BLOCKED)


@dataclass(frozen=True)
class ParsedUrl:
    scheme: str
    host: str
    port: int
    parts: SplitResult

    @property
    def literal(self) -> IPAddress | None:
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None


def parse_url(url: str) -> ParsedUrl:
    """Syntax only: scheme http(s), a host, no credentials, a valid port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UrlRefusedError("The URL is not valid.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlRefusedError("Only https URLs are accepted.")
    if not parts.hostname:
        raise UrlRefusedError("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefusedError("Credentials in the URL are not accepted.")
    host = _normal_host(parts.hostname)
    return ParsedUrl(scheme, host, port or (443 if scheme == "https" else 80), parts)


def decide(parsed: ParsedUrl, addresses: Sequence[IPAddress], allowlist: Allowlist) -> None:
    """The whole policy, pure: raise `UrlRefusedError` unless `parsed` may be called at `addresses`."""
    if allowlist.admits_host(parsed.host):
        return
    literal = parsed.literal
    if literal is not None and allowlist.admits_address(literal):
        return
    if parsed.scheme != "https":
        raise UrlRefusedError("Only https URLs are accepted.")
    if not addresses:
        raise UrlRefusedError("The host does not resolve.")
    refused = [a for a in addresses if not is_public(a)]
    if refused:
        raise UrlRefusedError(
            "The URL points to a private, loopback, link-local or reserved address, "
            "which webhooks may not target."
        )


#: A name that takes longer than this to resolve is treated as not resolving.
RESOLVE_TIMEOUT_SECONDS = 5.0


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
        )
    except (TimeoutError, OSError, UnicodeError):
        return []
    return _unique(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)


def _unique(addresses: Iterable[IPAddress]) -> list[IPAddress]:
    return list(dict.fromkeys(addresses))


@dataclass(frozen=True)
class CheckedTarget:
    """A URL that passed the guard, with the addresses it was checked against."""

    url: str
    parsed: ParsedUrl
    addresses: tuple[IPAddress, ...]

    @property
    def host_header(self) -> str:
        default = 443 if self.parsed.scheme == "https" else 80
        host = f"[{self.parsed.host}]" if ":" in self.parsed.host else self.parsed.host
        return host if self.parsed.port == default else f"{host}:{self.parsed.port}"

    def pinned_url(self) -> str:
        """The URL with its host replaced by the first checked address: connecting there
        cannot be redirected by a DNS answer that changed after the check. Send it with
        `Host: host_header` and, for https, TLS SNI and certificate checks on the name."""
        address = self.addresses[0]
        netloc = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{netloc}:{self.parsed.port}"
        return self.parsed.parts._replace(netloc=netloc).geturl()


async def check_url(url: str, allowlist: Allowlist) -> CheckedTarget:
    """Parse, resolve and decide. Raises `UrlRefusedError`."""
    parsed = parse_url(url)
    addresses = await resolve(parsed.host, parsed.port)
    decide(parsed, addresses, allowlist)
    if not addresses:
        raise UrlRefusedError("The host does not resolve.")
    return CheckedTarget(url=url.strip(), parsed=parsed, addresses=tuple(addresses))
