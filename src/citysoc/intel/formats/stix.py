"""STIX 2.x bundle: the `indicator` objects whose pattern names addresses, domains, URLs
or file hashes.

Read from each indicator with `pattern_type` "stix" (or none, as in STIX 2.0): the
comparisons `ipv4-addr:value`, `ipv6-addr:value` (`=` or `ISSUBSET` a CIDR),
`domain-name:value`, `url:value` and `file:hashes.MD5/'SHA-1'/'SHA-256'` (kind md5, sha1,
sha256). Comparisons joined by OR, inside one observation or across observations, give one
entry each, all with the indicator's row: so `rows` counts indicator values, not objects.
An AND between different object types, FOLLOWEDBY, other operators (MATCHES, LIKE, !=…)
or other object types (x509-certificate, email-message, file:name…) cannot be turned into
a list entry: the indicator is rejected with its pattern in the reason; so is an indicator
with another `pattern_type` (snort, yara…).

`row` is the 1-based position of the indicator in the bundle's `objects` list. The family is
the name (lower-case) of the malware the indicator `indicates` through a relationship
object, else a label that is not a STIX indicator-type word; the note is the indicator's
name; valid_from/valid_until are first_seen/last_seen. Other objects and revoked
indicators are skipped (counted in `meta["object_types"]`, `meta["revoked"]`).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from citysoc.core import jsondepth
from citysoc.intel.formats import base
from citysoc.intel.formats.base import ListEntry, ParsedList, RejectedRow, build, gettext_noop

NAME = "stix"
LABEL = gettext_noop("STIX 2.1 bundle (JSON)")
EXTENSIONS = (".json", ".stix")

_COMPARISON = re.compile(
    r"(?P<object>[a-z0-9-]+):(?P<path>[A-Za-z0-9_.\-\[\]*]*(?:'[^']*'[A-Za-z0-9_.\-]*)*)"
    r"\s*(?P<op>=|!=|ISSUBSET|ISSUPERSET|MATCHES|LIKE|IN|<=|>=|<|>)\s*"
    r"(?P<value>'(?:[^'\\]|\\.)*'|\([^)]*\)|[\w.:-]+)"
)
# What may remain of a pattern once the comparisons we read are taken out.
_GLUE = re.compile(r"^(?:[\[\]\s]|\bOR\b|\bAND\b)*$")
_QUALIFIERS = re.compile(r"\b(?:WITHIN|REPEATS|START|STOP)\b.*$")
ADDRESS_OBJECTS = {"ipv4-addr", "ipv6-addr", "domain-name", "url"}
HASHES = {"md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha256": "sha256", "sha-256": "sha256"}
# Words of the STIX indicator-type vocabulary: labels, but not malware families.
GENERIC_LABELS = {
    "anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity",
    "attribution", "unknown",
}  # fmt: skip


class PatternError(ValueError):
    """A STIX pattern that does not reduce to a list of values."""


def sniff(head: bytes, filename: str) -> bool:
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    return text.startswith("{") and bool(re.search(r'"type"\s*:\s*"(bundle|indicator)"', text))


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    try:
        document = jsondepth.loads(base.decode(data))
    except ValueError as exc:
        raise ValueError(f"This is not a STIX bundle: the JSON cannot be read ({exc}).") from exc
    objects = _objects(document)
    families = _families(objects)
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    types = Counter(o.get("type", "?") for o in objects if isinstance(o, dict))
    revoked = 0
    for number, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict) or obj.get("type") != "indicator":
            continue
        if obj.get("revoked"):
            revoked += 1
            continue
        try:
            values = _indicator_values(obj)
        except PatternError as exc:
            rejected.append(RejectedRow(number, str(obj.get("pattern", "")), str(exc)))
            continue
        entries.extend(_entry(number, obj, value, kind, families) for value, kind in values)
    meta = {
        "bundle_id": document.get("id", "") if isinstance(document, dict) else "",
        "object_types": dict(types),
        "revoked": revoked,
    }
    skipped = len(objects) - types.get("indicator", 0) + revoked
    return build(NAME, entries, rejected, skipped=skipped, meta=meta)


def _objects(document: object) -> list[Any]:
    if isinstance(document, dict) and document.get("type") == "bundle":
        return list(document.get("objects") or [])
    if isinstance(document, dict) and document.get("type") == "indicator":
        return [document]
    raise ValueError("This is not a STIX bundle: no top-level object of type 'bundle'.")


def _families(objects: list[Any]) -> dict[str, str]:
    """Indicator id -> name of the first malware it `indicates`, lower-case."""
    malware = {
        o["id"]: str(o.get("name", "")).lower()
        for o in objects
        if isinstance(o, dict) and o.get("type") == "malware" and "id" in o
    }
    families: dict[str, str] = {}
    for o in objects:
        if isinstance(o, dict) and o.get("relationship_type") == "indicates":
            name = malware.get(o.get("target_ref", ""))
            if name:
                families.setdefault(o.get("source_ref", ""), name)
    return families


def _indicator_values(obj: dict[str, Any]) -> list[tuple[str, str]]:
    pattern_type = obj.get("pattern_type") or "stix"
    if pattern_type != "stix":
        raise PatternError(f"pattern_type '{pattern_type}' is not read; only STIX patterns are")
    return pattern_values(str(obj.get("pattern", "")))


def pattern_values(pattern: str) -> list[tuple[str, str]]:
    """(value, kind) for every readable comparison of a STIX pattern; PatternError if any
    part of the pattern is not a plain OR of readable comparisons."""
    body = _QUALIFIERS.sub("", pattern).strip()
    if re.search(r"\bFOLLOWEDBY\b", body):
        raise PatternError(f"a FOLLOWEDBY sequence is not a list of values: {_short(pattern)}")
    comparisons = list(_COMPARISON.finditer(body))
    if not comparisons or not _GLUE.match(_COMPARISON.sub(" ", body)):
        raise PatternError(f"cannot read the STIX pattern {_short(pattern)}")
    joined_by_and = re.search(r"\bAND\b", _COMPARISON.sub(" ", body))
    if joined_by_and and len({m["object"] for m in comparisons}) > 1:
        raise PatternError(f"the pattern joins different objects with AND: {_short(pattern)}")
    return [_comparison_value(m, pattern) for m in comparisons]


def _short(pattern: str) -> str:
    return base.shorten(pattern, 120)


def _comparison_value(match: re.Match[str], pattern: str) -> tuple[str, str]:
    obj, path, op, raw = match["object"], match["path"], match["op"], match["value"]
    short = _short(pattern)
    if op not in ("=", "ISSUBSET") or not raw.startswith("'"):
        raise PatternError(f"the operator {op} cannot be turned into a list entry: {short}")
    value = re.sub(r"\\(.)", r"\1", raw[1:-1]).strip()
    if obj in ADDRESS_OBJECTS and path == "value":
        return value, ""
    hash_name = re.fullmatch(r"hashes\.'?([A-Za-z0-9-]+)'?", path)
    if obj == "file" and hash_name and hash_name[1].lower() in HASHES:
        return value, HASHES[hash_name[1].lower()]
    raise PatternError(f"{obj}:{path} is not an address, domain, URL or file hash: {short}")


def _entry(
    number: int, obj: dict[str, Any], value: str, kind: str, families: dict[str, Any]
) -> ListEntry:
    labels = [str(x).lower() for x in obj.get("labels") or [] if str(x).lower()]
    family = families.get(obj.get("id", "")) or next(
        (x for x in labels if x not in GENERIC_LABELS), ""
    )
    return ListEntry(
        row=number,
        value=value,
        kind=kind,
        family=family,
        first_seen=_time(obj.get("valid_from")),
        last_seen=_time(obj.get("valid_until")),
        note=str(obj.get("name", "")),
    )


def _time(value: object) -> datetime | None:
    try:
        return base.parse_time(value, tz=UTC) if value else None
    except ValueError:
        return None
