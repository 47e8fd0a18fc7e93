"""TLS certificate: trusted, for this host name, and not about to expire (https:// only).

Two handshakes at most: one verifying (system trust store plus `FetchConfig.ca_file`);
when it fails, one without verification to read the certificate and say what is wrong.
Findings: not trusted (expired, self-signed, unknown issuer, wrong host name) — high;
expires within `tls_warn_days` — medium, within 7 days — high. Sets `tls_expires_at`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citysoc.lib.outbound import OutboundRefused, checked_address
from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.fetch import unverified_ssl_context

NAME = "tls"
LABEL = "TLS certificate"
URGENT_DAYS = 7
_REASONS = {
    10: "expired",
    18: "self-signed",
    19: "self-signed certificate in the chain",
    20: "issuer not trusted",
    21: "issuer not trusted",
    62: "issued for another host name",
}


async def run(ctx: Context) -> list[Finding]:
    parts = urlsplit(ctx.target.url)
    if parts.scheme != "https" or not parts.hostname:
        ctx.skipped[NAME] = "not an https:// URL"
        return []
    host, port = parts.hostname, parts.port or 443
    config, timeout = ctx.fetcher.config, ctx.target.timeout_s
    try:
        # The handshakes connect to this checked address (see citysoc.lib.outbound).
        address = await checked_address(host, port, config.outbound, config.resolve)
    except OutboundRefused as exc:
        ctx.skipped[NAME] = exc.reason
        return []
    except OSError as exc:
        ctx.skipped[NAME] = f"no TLS handshake with {host}:{port} ({exc})"
        return []
    try:
        cert = await _peer_cert(address, port, host, _verifying(ctx), timeout)
    except ssl.SSLCertVerificationError as exc:
        return await _untrusted(ctx, exc, (address, port, host, timeout))
    except (OSError, ssl.SSLError, TimeoutError) as exc:
        ctx.skipped[NAME] = f"no TLS handshake with {host}:{port} ({exc})"
        return []
    return _expiry(ctx, cert)


def _verifying(ctx: Context) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ctx.fetcher.config.ca_file:
        context.load_verify_locations(ctx.fetcher.config.ca_file)
    return context


async def _peer_cert(
    address: str, port: int, host: str, context: ssl.SSLContext, timeout: float
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        _reader, writer = await asyncio.open_connection(
            address, port, ssl=context, server_hostname=host
        )
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        cert: dict[str, Any] | None = ssl_object.getpeercert()
        return cert if cert else decode(ssl_object.getpeercert(binary_form=True))
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()


def decode(der: bytes) -> dict[str, Any]:
    """The certificate's fields as `getpeercert()` gives them, from DER bytes."""
    pem = ssl.DER_cert_to_PEM_cert(der)
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as fh:
        fh.write(pem)
    try:
        # The standard library decodes a certificate only from a file (no public helper).
        decoded: dict[str, Any] = ssl._ssl._test_decode_cert(fh.name)  # type: ignore[attr-defined]  # noqa: SLF001 - private, untyped
        return decoded
    finally:
        Path(fh.name).unlink(missing_ok=True)


def expires_at(cert: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), tz=UTC)


def _names(cert: dict[str, Any]) -> list[str]:
    names = [value for kind, value in cert.get("subjectAltName", ()) if kind == "DNS"]
    if not names:
        names = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
    return names


def _name(cert: dict[str, Any], field: str) -> str:
    return ", ".join(f"{k}={v}" for rdn in cert.get(field, ()) for k, v in rdn)


async def _untrusted(
    ctx: Context, exc: ssl.SSLCertVerificationError, where: tuple[str, int, str, float]
) -> list[Finding]:
    address, port, host, timeout = where
    problems = [_REASONS.get(exc.verify_code, exc.verify_message or str(exc))]
    evidence: dict[str, Any] = {
        "verify_code": exc.verify_code,
        "verify_message": exc.verify_message,
    }
    try:
        cert = await _peer_cert(address, port, host, unverified_ssl_context(), timeout)
    except (OSError, ssl.SSLError, TimeoutError):
        cert = {}
    if cert:
        ends = expires_at(cert)
        ctx.tls_expires_at = ends.isoformat()
        if ends < datetime.now(tz=UTC) and "expired" not in problems:
            problems.append("expired")
        if _name(cert, "subject") == _name(cert, "issuer") and "self-signed" not in problems:
            problems.append("self-signed")
        evidence |= {
            "subject": _name(cert, "subject"),
            "issuer": _name(cert, "issuer"),
            "names": _names(cert),
            "not_after": ends.strftime("%d/%m/%Y"),
        }
    evidence["problems"] = problems
    return [
        ctx.finding(
            NAME,
            "high",
            title(
                gettext_noop("Certificate not valid for %(host)s: %(problems)s"),
                host=host,
                problems=", ".join(problems),
            ),
            evidence,
            key="invalid",
        )
    ]


def _expiry(ctx: Context, cert: dict[str, Any]) -> list[Finding]:
    ends = expires_at(cert)
    ctx.tls_expires_at = ends.isoformat()
    days = (ends - datetime.now(tz=UTC)).days
    if days > ctx.target.tls_warn_days:
        return []
    return [
        ctx.finding(
            NAME,
            "high" if days <= URGENT_DAYS else "medium",
            title(
                gettext_noop("Certificate expires in %(days)s days (%(day)s)"),
                days=days,
                day=f"{ends:%d/%m/%Y}",
            ),
            {
                "days_left": days,
                "not_after": ends.strftime("%d/%m/%Y"),
                "issuer": _name(cert, "issuer"),
                "names": _names(cert),
            },
            key="expiring",
        )
    ]
