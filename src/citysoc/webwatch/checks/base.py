"""The contract between the website checks and the rest of webwatch.

A check is one module in `checks/` with `NAME`, `LABEL` and
`async def run(ctx: Context) -> list[Finding]` (`checks.context.Context`: the target, the
page fetched once and parsed once, and the extra fetches some checks need), registered in
`checks.CHECKS`. No Django here: the scheduler's runner, the CLI (`citysoc webwatch check`)
and the benchmark call the checks the same way, through `checks.check_site()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citysoc.lib.outbound import OutboundPolicy

SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(slots=True)
class Target:
    """What to check and how (a monitor's settings, or the CLI's defaults)."""

    url: str
    expected_status: int = 200
    must_contain: str = ""  # keyword that must appear
    must_not_contain: str = ""  # keyword that must not appear
    tls_warn_days: int = 21
    domain_warn_days: int = 30
    max_response_ms: int = 5000
    crawl_depth: int = 1  # 0: the page only; 1: plus same-site pages it links to
    crawl_max_pages: int = 10
    retries: int = 1  # retried before declaring down
    timeout_s: float = 10.0
    # Accepted baseline of the page (None: no baseline yet, the first run makes one).
    baseline: dict[str, Any] | None = None
    # Domains to treat as gambling/scam (from intel lists or configured), lower-case.
    blocklist: frozenset[str] = frozenset()
    # Check NAMEs not to run for this target (e.g. {"cloaking"}); empty: run them all.
    skip_checks: frozenset[str] = frozenset()
    # Defacement: combined text/structure change (0..1) against the baseline that alerts.
    change_threshold: float = 0.5
    # Where this target's requests may go (its unit's ranges and the city's allowlist);
    # None: the run's `FetchConfig.outbound`.
    outbound: OutboundPolicy | None = None


def gettext_noop(message: str) -> str:
    """Mark an English title template for the catalogue; the pages translate it.

    Checks import no Django, so they cannot translate; `makemessages` collects every string
    passed to a function of this name, and the finding keeps the template and its values.
    """
    return message


@dataclass(frozen=True, slots=True)
class Title:
    """A finding's title: an English template (`%(name)s` placeholders) and its values.

    `on` names the crawled page the finding is on when that is not the watched URL.
    """

    template: str
    params: dict[str, str | int] = field(default_factory=dict)
    on: str = ""

    def __str__(self) -> str:
        text = self.template % self.params
        return f"{text} on {self.on}" if self.on else text


def title(template: str, **params: str | int) -> Title:
    return Title(template, params)


@dataclass(slots=True)
class Finding:
    check: str  # the check module's NAME, e.g. "defacement"
    severity: str  # one of SEVERITIES
    title: str  # one line for the duty officer, in English (logs, API); pages translate `parts`
    evidence: dict[str, Any] = field(default_factory=dict)  # snippet, link, hidden element, diff…
    # Stable part of the alert dedup key: webwatch:<monitor>:<check>[:<key>]
    key: str = ""
    page: str = ""  # the page the finding is on (the target URL or a crawled page)
    parts: Title | None = None  # the title as template and values, for translation

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "title": self.title,
            "evidence": self.evidence,
            "key": self.key,
            "page": self.page,
            "title_parts": (
                {"template": self.parts.template, "params": self.parts.params, "on": self.parts.on}
                if self.parts
                else {}
            ),
        }


@dataclass(slots=True)
class SiteResult:
    url: str
    up: bool
    status: int | None
    response_ms: int | None
    error: str = ""
    findings: list[Finding] = field(default_factory=list)
    # The page's fingerprint (visible text, structure) to store as a baseline when accepted.
    fingerprint: dict[str, Any] | None = None
    tls_expires_at: str | None = None  # ISO 8601
    domain_expires_at: str | None = None
    # The redirects followed from `url`: [(status, location), …]; empty when none.
    redirects: list[tuple[int, str]] = field(default_factory=list)
    final_url: str = ""  # where the redirects ended ("" when the page was not reached)
    # Checks that did not run and why (not applicable, not configured), for the UI.
    skipped: dict[str, str] = field(default_factory=dict)
    # Pages scanned besides `url` (crawl), so the UI can say what was covered.
    crawled: list[str] = field(default_factory=list)

    def worst(self) -> str | None:
        """The most severe finding's severity, or None without findings."""
        ranks = [SEVERITIES.index(f.severity) for f in self.findings]
        return SEVERITIES[min(ranks)] if ranks else None
