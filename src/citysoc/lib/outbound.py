"""Requests the server makes for a unit: resolve the name, check the address, connect to it.

A unit types a URL (a website monitor, a webhook, a Telegram or SMS gateway); the server
then connects there from inside the city's network. Without a rule, `http://127.0.0.1:…`,
`http://169.254.169.254/` or another unit's intranet would be fetched and its answer shown
back. The rule, applied to every address a name resolves to, at the moment of connecting:

- loopback, link-local, multicast, unspecified ("this network"), reserved/broadcast and
  the server's own addresses: always refused;
- private and shared (100.64.0.0/10) space: only inside the `allowed` ranges of the
  policy (the requesting unit's registered ranges plus the city's `OUTBOUND_ALLOW`);
- anything else (public addresses): allowed.

The check and the connection are one step: the name is resolved once, each address is
checked, and the socket is opened to that checked address (the Host header and TLS SNI
keep the name). A DNS answer that changes between a check and a connect cannot slip
through, because there is no second lookup. Each redirect opens its own connection, so
each hop is checked the same way.

Two adapters carry the rule: `async_transport()` for httpx (the website checks) and
`session()` for requests (notifications, feeds). No Django here.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from citysoc.lib import iprange

# Tests run their servers on 127.0.0.1. This switch lets loopback through for them: True
# for any port, or a set of ports (to test a redirect from an allowed local server to
# another loopback port). Only test fixtures set it (no setting or environment variable
# reaches it), so a deployed server always refuses loopback.
ALLOW_LOOPBACK_FOR_TESTS: bool | frozenset[int] = False

# Names that mean "this machine" without asking DNS (RFC 6761 reserves .localhost).
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


# What a refused address is (the end of "<address> is …"); the app translates these.
UNSPECIFIED = "an unspecified address"
LOOPBACK = "a loopback address"
LINK_LOCAL = "a link-local address"
MULTICAST = "a multicast address"
RESERVED = "a reserved address"
THIS_SERVER = "an address of this server"
PRIVATE = "a private address outside the unit's ranges and OUTBOUND_ALLOW"
SHARED = "a shared (carrier) address outside the unit's ranges and OUTBOUND_ALLOW"


class OutboundRefused(Exception):
    """The destination is not one the server may connect to; `reason` says why, briefly.

    Deliberately not an OSError: HTTP libraries would turn it into a generic "could not
    connect" and retry; this propagates as itself so the caller records the reason.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutboundPolicy:
    """Where private-address requests may go: the unit's ranges and the city's allowlist."""

    allowed: tuple[iprange.IpRange, ...] = ()
    # No address refused: only for the server's administrator at the command line
    # (`citysoc webwatch check --allow-internal`), never for a request made for a unit.
    unrestricted: bool = False

    @classmethod
    def of(cls, *ranges: str) -> OutboundPolicy:
        """A policy from range texts ("10.20.0.0/16", "10.1.1.5", "a-b"); RangeError if bad."""
        return cls(tuple(iprange.parse_range(text) for text in ranges))

    def refusal(self, address: str) -> str | None:
        """Why `address` (an IP literal) may not be connected to, or None when it may."""
        return None if self.unrestricted else refusal(address, self.allowed)

    def url_host_refused(self, url: str) -> tuple[str, str] | None:
        """(host, kind of address) when the URL's host is visibly refused; else None.

        The input-time check, without DNS: it catches what the text shows (a literal
        address, `localhost`); the connection-time check stays the real guard.
        """
        try:
            parts = urlsplit(url.strip())
            host, port = (parts.hostname or "").rstrip(".").lower(), parts.port
        except ValueError:
            return None
        if not host or self.unrestricted:
            return None
        if _is_local_name(host) and not _loopback_for_tests(port):
            return host, THIS_SERVER
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return None
        return _refused_kind(host, self.allowed, port)


def refusal(
    address: str, allowed: tuple[iprange.IpRange, ...] = (), port: int | None = None
) -> str | None:
    """Why the server may not connect to `address`, or None when it may.

    A pure function of the address and the allowed ranges, except for "the server's own
    address", which asks the operating system (see `is_own_address`).
    """
    found = _refused_kind(address, allowed, port)
    return f"{found[0]} is {found[1]}" if found else None


def _loopback_for_tests(port: int | None) -> bool:
    hatch = ALLOW_LOOPBACK_FOR_TESTS
    return hatch is True or (isinstance(hatch, frozenset) and port in hatch)


def _refused_kind(
    address: str, allowed: tuple[iprange.IpRange, ...], port: int | None = None
) -> tuple[str, str] | None:
    """(the address judged, what kind of address it is) when refused; None when allowed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    # An IPv4 address written as IPv6 reaches the IPv4 host: judge that one.
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    elif ip.version == 6 and ip in _NAT64:
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.is_loopback and _loopback_for_tests(port):
        return None
    kind = _always_refused(ip)
    if kind:
        return str(ip), kind
    if is_own_address(str(ip)):
        return str(ip), THIS_SERVER
    if ip.is_global or any(r.contains(int(ip), ip.version) for r in allowed):
        return None
    return str(ip), SHARED if ip in _SHARED else PRIVATE


def _always_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if ip.is_unspecified or (ip.version == 4 and ip in _THIS_NETWORK):
        return UNSPECIFIED
    if ip.is_loopback:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    if ip.is_multicast:
        return MULTICAST
    if ip.is_reserved or (ip.version == 4 and ip == ipaddress.IPv4Address("255.255.255.255")):
        return RESERVED
    return ""


def is_own_address(address: str) -> bool:
    """True when `address` belongs to this machine (binding to it works only then)."""
    ip = ipaddress.ip_address(address)
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((address, 0))
    except OSError:
        return False
    return True


def _is_local_name(host: str) -> bool:
    return host in _LOCAL_NAMES or host.endswith(".localhost")


def checked(
    host: str, infos: list[str], policy: OutboundPolicy, port: int | None = None
) -> list[str]:
    """The addresses of `host` that may be connected to, in the resolver's order.

    Raises OutboundRefused when none may (naming the first refused address).
    """
    if policy.unrestricted:
        return list(dict.fromkeys(infos))
    refused, good = [], []
    for address in dict.fromkeys(infos):
        found = _refused_kind(address, policy.allowed, port)
        if found:
            refused.append(found)
        else:
            good.append(address)
    if good:
        return good
    if not refused:
        raise OutboundRefused(f"refused: {host} has no address")
    address, kind = refused[0]
    if _is_literal(host):
        raise OutboundRefused(f"refused: {address} is {kind}")
    raise OutboundRefused(f"refused: {host} resolves to {address}, {kind}")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal resolves to itself); gaierror if none."""
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def resolve_async(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def checked_address(
    host: str, port: int, policy: OutboundPolicy, overrides: Mapping[str, str] | None = None
) -> str:
    """The one address to connect to for `host` (after `overrides`, like curl --resolve)."""
    name = _override(host, overrides)
    return checked(host, await resolve_async(name, port), policy, port)[0]


def _override(host: str, overrides: Mapping[str, str] | None) -> str:
    if not overrides:
        return host
    return overrides.get(host.lower()) or overrides.get("*") or host


# ---- httpx (async) ---------------------------------------------------------------------


class GuardedAsyncBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the check: connects only to checked addresses.

    TLS is started on the returned stream with the URL's host name, so SNI and certificate
    names are the name's, while the TCP connection goes to the address that was checked.
    """

    def __init__(self, policy: OutboundPolicy, overrides: Mapping[str, str] | None = None):
        self._policy = policy
        self._overrides = dict(overrides or {})
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        name = _override(host, self._overrides)
        try:
            addresses = checked(host, await resolve_async(name, port), self._policy, port)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"the name {host} does not resolve ({exc})") from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error  # type: ignore[misc]

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused("refused: unix sockets are not an outbound destination")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def async_transport(
    policy: OutboundPolicy,
    *,
    verify: ssl.SSLContext | str | bool = True,
    limits: httpx.Limits | None = None,
    overrides: Mapping[str, str] | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection passes the check."""
    limits = limits or httpx.Limits()
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
    # httpx has no option for the network backend; httpcore's pool takes one, so the
    # transport's pool is rebuilt with the guarded backend (same TLS context and limits).
    ssl_context = transport._pool._ssl_context  # noqa: SLF001
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedAsyncBackend(policy, overrides),
    )
    return transport


# ---- requests (sync) -------------------------------------------------------------------


def _guarded_pools(policy: OutboundPolicy) -> dict[str, type]:
    """urllib3 pool classes whose connections resolve, check and connect in one step."""

    def new_conn(conn: HTTPConnection) -> socket.socket:
        if getattr(conn, "proxy", None) is not None:
            # The city's configured proxy: trusted; the target was checked in `send`.
            return HTTPConnection._new_conn(conn)  # noqa: SLF001
        try:
            found = resolve(conn._dns_host, conn.port)  # noqa: SLF001
            addresses = checked(conn.host, found, policy, conn.port)
        except socket.gaierror as exc:
            raise NameResolutionError(conn.host, conn, exc) from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return urllib3.util.connection.create_connection(
                    (address, conn.port),
                    conn.timeout,
                    source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except TimeoutError as exc:
                error = ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.")
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(conn, f"Failed to establish a new connection: {exc}")
        raise error  # type: ignore[misc]

    class GuardedHTTPConnection(HTTPConnection):
        _new_conn = new_conn

    class GuardedHTTPSConnection(HTTPSConnection):
        _new_conn = new_conn

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections pass the check (redirects included)."""

    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        self.policy = policy
        self._pools = _guarded_pools(policy)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        if proxy.lower().startswith("socks"):
            raise OutboundRefused("refused: SOCKS proxies are not supported for these requests")
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = str(request.url or "")
        if requests.utils.select_proxy(url, proxies):
            # Through a proxy the proxy connects, not us: check the target's addresses
            # here. The proxy resolves the name again (a gap only a filtering proxy closes).
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            host = parts.hostname or ""
            with contextlib.suppress(socket.gaierror):
                checked(host, resolve(host, port), self.policy, port)
        return super().send(request, stream, timeout, verify, cert, proxies)


def session(policy: OutboundPolicy) -> requests.Session:
    """A requests Session whose http:// and https:// connections pass the check."""
    guarded = requests.Session()
    guarded.mount("http://", GuardedAdapter(policy))
    guarded.mount("https://", GuardedAdapter(policy))
    return guarded
