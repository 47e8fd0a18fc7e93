"""Link judgement shared by injected_links, scam_links and cloaking (one place for the rules).

A link is *bad* when its host carries a betting brand or word, or it is on the target's
blocklist (the host or any parent domain). A link is *gambling* by the weighted terms of
its anchor text, title, host and path (see `terms`).
"""

from __future__ import annotations

import re
from typing import Any

from citysoc.webwatch.checks import terms
from citysoc.webwatch.checks.markup import Link

# Upload folders where attackers drop spam HTML/PDF through public posting features.
UPLOAD_PATH = re.compile(
    r"/(?:wp-content/uploads|uploads?|files|userfiles|upload_files|media|documents?|"
    r"attachments?|images/upload|portals/\d+)/.*\.(?:html?|pdf|php|txt|shtml)$",
    re.IGNORECASE,
)


def blocklisted(host: str, blocklist: frozenset[str]) -> str | None:
    """The blocklist entry that covers `host` (itself or a parent domain), or None."""
    if not blocklist or not host:
        return None
    labels = host.lower().rstrip(".").split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in blocklist:
            return candidate
    return None


def is_bad_host(host: str, blocklist: frozenset[str]) -> bool:
    return terms.host_score(host) >= 2 or blocklisted(host, blocklist) is not None


def gambling_score(link: Link) -> int:
    """Weighted gambling terms of a link's text, title and path, plus its host name."""
    words = terms.gambling_terms(f"{link.text} {terms.path_text(link.path)}")
    return sum(words.values()) + terms.host_score(link.host)


def describe(link: Link) -> dict[str, Any]:
    return {"url": link.url, "text": link.text[:200], "tag": link.tag}


def is_upload_spam(link: Link) -> bool:
    """A link to an uploaded HTML/PDF file whose name is betting spam."""
    return (
        bool(UPLOAD_PATH.search(link.path))
        and terms.gambling_score(terms.path_text(link.path.rsplit("/", 1)[-1])) >= 2
    )
