"""Talking to the citysoc server: HTTPS (plain HTTP only to this machine), signed bodies."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from citysoc_agent import VERSION
from citysoc_agent.signing import envelope

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 60


class ServerError(Exception):
    """The server refused or could not be reached; the message says which and why."""


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return url.rstrip("/")
    raise ServerError(f"{url}: use https:// (plain http is only accepted to this machine)")


def post(server: str, path: str, data: dict[str, Any], *, cafile: str = "") -> dict[str, Any]:
    url = check_url(server) + path
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "User-Agent": f"citysoc-agent/{VERSION}"},
        method="POST",
    )
    context = ssl.create_default_context(cafile=cafile or None)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT, context=context) as response:  # noqa: S310
            return dict(json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:300]
        raise ServerError(f"{url}: HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"{url}: {exc}") from exc


class Client:
    """An enrolled agent: every request is signed with the host's secret."""

    def __init__(self, identity: dict[str, Any]) -> None:
        self.identity = identity

    def send(self, path: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = envelope(self.identity["agent"], self.identity["secret"], kind, payload)
        return post(self.identity["server"], path, body, cafile=self.identity.get("cafile", ""))

    def jobs(self) -> dict[str, Any]:
        return self.send("/api/agent/jobs/", "jobs", {"agent_version": VERSION})

    def heartbeat(self) -> dict[str, Any]:
        return self.send("/api/agent/heartbeat/", "heartbeat", {"agent_version": VERSION})

    def upload(self, result: dict[str, Any]) -> dict[str, Any]:
        return self.send("/api/agent/results/", "result", result)

    def retire(self) -> dict[str, Any]:
        return self.send("/api/agent/heartbeat/", "retire", {"agent_version": VERSION})
