"""Offline bundles for hosts without connectivity, and the result files they write.

A bundle is one zip that Python runs as it is (`python citysoc-sweep.zip sweep --once`):
the agent's code, `bundle.json` with the host's own agent identity (its signing secret),
the current job spec (paths, limits, YARA rule sets, hashes, file-name IOCs, the C2 list)
and a `__main__.py`. It writes a signed result file, uploaded later on the sweep page or
with `citysoc import-sweep FILE`; the same checks as an online upload apply.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from citysoc.inventory.models import Host
from citysoc.sweep import enrolment, ingesting, jobs
from citysoc.sweep.enrolment import Refused
from citysoc.sweep.models import Result
from citysoc.sweep.signatures import Signed, verify

MAX_RESULT_BYTES = 8 * 1024 * 1024
MAIN = '''"""Offline citysoc sweep: python citysoc-sweep.zip sweep --once [--paths DIR ...]"""
import json
import sys
import zipfile

from citysoc_agent.cli import main

with zipfile.ZipFile(sys.argv[0]) as bundle:
    config = json.loads(bundle.read("bundle.json"))
sys.exit(main(bundle=config))
'''


def agent_source() -> Path:
    """The citysoc_agent package: installed, or beside the server in the repository."""
    spec = importlib.util.find_spec("citysoc_agent")
    if spec is not None and spec.origin:
        return Path(spec.origin).parent
    return Path(__file__).resolve().parents[3] / "agent" / "src" / "citysoc_agent"


def agent_version() -> str:
    init = agent_source() / "__init__.py"
    found = re.search(r'VERSION = "([^"]+)"', init.read_text()) if init.exists() else None
    return found.group(1) if found else ""


def build(host: Host, server_url: str = "") -> tuple[bytes, str]:
    """The bundle of `host` (zip bytes, file name); a new offline identity each time."""
    source = agent_source()
    if not (source / "cli.py").is_file():
        raise Refused(
            _("The agent package is not installed on this server (pip install citysoc-agent)."),
            status=503,
        )
    agent, secret = enrolment.offline_agent(host)
    config = {
        "identity": {"agent": agent.key, "secret": secret, "server": server_url},
        "jobs": [jobs.spec_for(None)],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("__main__.py", MAIN)
        bundle.writestr("bundle.json", json.dumps(config, ensure_ascii=False, indent=1))
        for path in sorted(source.rglob("*.py")):
            bundle.write(path, f"citysoc_agent/{path.relative_to(source).as_posix()}")
    return buffer.getvalue(), f"citysoc-sweep-{host.hostname}.zip"


def read_result(data: bytes) -> Signed:
    """A result file from an offline bundle (or `sweep --out`), checked but not stored."""
    if len(data) > MAX_RESULT_BYTES:
        raise Refused(_("The file is too large for a sweep result."), status=413)
    try:
        envelope = json.loads(data)
    except ValueError as exc:
        raise Refused(_("This is not a sweep result file (not JSON)."), status=400) from exc
    signed = verify(envelope)
    if signed.kind != "result":
        raise Refused(_("This file is not a sweep result."), status=400)
    return signed


def import_result(data: bytes) -> tuple[Result, bool]:
    """Check and store a result file; (result, created)."""
    return ingesting.ingest(read_result(data), via=Result.Via.OFFLINE)
