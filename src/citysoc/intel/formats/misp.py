"""MISP event JSON (one file of a MISP feed, or an event exported from MISP).

`parse()` reads one event (`{"Event": {...}}` or the bare event): its `Attribute` list, then
the attributes of each `Object`, in that order; `row` is the attribute's 1-based position
in that order. Attribute types read (`TYPES`): ip-src/ip-dst (+ `|port`), domain, hostname
(+ `|port`), domain|ip (two entries, same row), url, md5/sha1/sha256 and filename|md5,
filename|sha1, filename|sha256 (the hash, kind md5/sha1/sha256, file name in the note).
So `rows` counts indicator values. Other types (link, text, comment, filename, regkey…)
and deleted attributes are skipped and counted per type in `meta["skipped_types"]`. An
attribute of a read type with an empty value, or a composite type without its `|`, is
rejected.

The family is the first value of a malware galaxy (malpedia, mitre-malware, malware,
botnet, ransomware…) attached to the attribute, else to its object, else to the event,
from `Galaxy` clusters or `misp-galaxy:<type>="Name"` tags, lower-case. The note is the
attribute's comment, plus "to_ids=false" when the attribute is not meant for detection.
first_seen/last_seen are the attribute's, else first_seen is its timestamp (UTC).
`meta` keeps the event uuid, info, date, creator organisation and tags.

`parse_feed(path)` reads a feed folder (or its `manifest.json`) and every event file the
manifest lists; a listed event whose file is missing is a rejected row (its row is the
event's position in the manifest). Rows restart in each event file, so the reasons of
rejected attributes start with the event file name; `meta["events"]` lists the events.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citysoc.core import jsondepth
from citysoc.intel.formats import base
from citysoc.intel.formats.base import ListEntry, ParsedList, RejectedRow, build, gettext_noop

NAME = "misp"
LABEL = gettext_noop("MISP event / feed (JSON)")
EXTENSIONS = (".json",)

HASH_TYPES = {"md5": "md5", "sha1": "sha1", "sha256": "sha256"}
# type -> how to read it: "value", "value|port", "both" (domain|ip), "file|hash".
TYPES = {
    "ip-dst": "value", "ip-src": "value", "domain": "value", "hostname": "value",
    "url": "value", "md5": "value", "sha1": "value", "sha256": "value",
    "ip-dst|port": "value|port", "ip-src|port": "value|port", "hostname|port": "value|port",
    "domain|ip": "both", "filename|md5": "file|hash", "filename|sha1": "file|hash",
    "filename|sha256": "file|hash",
}  # fmt: skip
MALWARE_GALAXIES = (
    "malpedia", "mitre-malware", "malware", "botnet", "ransomware", "banker", "rat",
    "stealer", "backdoor", "android", "tool", "mitre-tool",
)  # fmt: skip
_GALAXY_TAG = re.compile(r'^misp-galaxy:([\w-]+)="(.+)"$')


def sniff(head: bytes, filename: str) -> bool:
    """An event (`{"Event": …}` or a bare event export) or a feed's manifest.json."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    if Path(filename).name == "manifest.json" and text.startswith("{"):
        return True  # parse() then explains that a feed is imported from its folder
    if re.match(r'\{\s*"Event"\s*:', text):
        return True
    # A bare export may start with a long Attribute list: "to_ids" is MISP's own word.
    keys = ("info", "Orgc", "uuid")
    return text.startswith("{") and ('"to_ids"' in text or all(f'"{k}"' in text for k in keys))


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    try:
        document = jsondepth.loads(base.decode(data))
    except ValueError as exc:
        raise ValueError(f"This is not a MISP event: the JSON cannot be read ({exc}).") from exc
    return parse_event(document)


def parse_event(document: object) -> ParsedList:
    event = document.get("Event", document) if isinstance(document, dict) else None
    if not isinstance(event, dict) or "Attribute" not in event and "Object" not in event:
        if isinstance(document, dict) and all(isinstance(v, dict) for v in document.values()):
            raise ValueError(
                "This is a MISP feed manifest.json, not an event: import the feed folder, or"
                " the event files it lists."
            )
        raise ValueError("This is not a MISP event: no 'Event' with 'Attribute' or 'Object'.")
    event_family = _family(event)
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    skipped: Counter[str] = Counter()
    for number, (attribute, family) in enumerate(_attributes(event, event_family), start=1):
        kind = str(attribute.get("type", ""))
        if kind not in TYPES or attribute.get("deleted"):
            skipped["deleted" if attribute.get("deleted") else kind] += 1
            continue
        try:
            entries.extend(_entries(number, attribute, family))
        except ValueError as exc:
            rejected.append(RejectedRow(number, str(attribute.get("value", "")), str(exc)))
    meta = {
        "event_uuid": event.get("uuid", ""),
        "info": event.get("info", ""),
        "date": event.get("date", ""),
        "org": (event.get("Orgc") or {}).get("name", ""),
        "tags": [t.get("name", "") for t in event.get("Tag") or []],
        "skipped_types": dict(skipped),
    }
    return build(NAME, entries, rejected, skipped=sum(skipped.values()), meta=meta)


def parse_feed(path: str | Path) -> ParsedList:
    """Every event of a MISP feed: `path` is the feed folder or its manifest.json."""
    path = Path(path)
    manifest_path = path / "manifest.json" if path.is_dir() else path
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    skipped = 0
    events = []
    for number, uuid in enumerate(manifest, start=1):
        event_path = manifest_path.parent / f"{uuid}.json"
        if not event_path.is_file():
            reason = f"the manifest lists event {uuid} but {event_path.name} is not in the feed"
            rejected.append(RejectedRow(number, uuid, reason))
            continue
        parsed = parse(event_path.read_bytes(), event_path.name)
        entries += parsed.entries
        # Rows restart in every event file: the reason says which file the row is in.
        rejected += [
            RejectedRow(r.row, r.value, f"{event_path.name}: {r.reason}") for r in parsed.rejected
        ]
        skipped += parsed.skipped
        events.append({**parsed.meta, "entries": len(parsed.entries)})
    return build(NAME, entries, rejected, skipped=skipped, meta={"events": events})


def _attributes(event: dict[str, Any], event_family: str) -> Iterator[tuple[dict[str, Any], str]]:
    """(attribute, family) in reading order: the event's attributes, then each object's."""
    for attribute in event.get("Attribute") or []:
        yield attribute, _family(attribute) or event_family
    for obj in event.get("Object") or []:
        object_family = _family(obj) or event_family
        for attribute in obj.get("Attribute") or []:
            yield attribute, _family(attribute) or object_family


def _entries(number: int, attribute: dict[str, Any], family: str) -> list[ListEntry]:
    kind, value = str(attribute["type"]), str(attribute.get("value") or "").strip()
    if not value:
        raise ValueError(f"the {kind} attribute has no value")
    how = TYPES[kind]
    if how != "value" and "|" not in value:
        raise ValueError(f"the {kind} attribute should hold two values separated by '|'")
    first, _, second = value.partition("|")
    common: dict[str, Any] = {
        "row": number,
        "family": family,
        "first_seen": _time(attribute.get("first_seen")) or _time(attribute.get("timestamp")),
        "last_seen": _time(attribute.get("last_seen")),
        "note": _note(attribute),
    }
    if how == "value":
        return [ListEntry(value=value, kind=HASH_TYPES.get(kind, ""), **common)]
    if how == "value|port":
        return [ListEntry(value=first.strip(), port=_port(second), **common)]
    if how == "both":
        return [ListEntry(value=first.strip(), **common), ListEntry(value=second.strip(), **common)]
    common["note"] = "; ".join(filter(None, [f"file {first.strip()}", common["note"]]))
    return [ListEntry(value=second.strip(), kind=kind.split("|")[1], **common)]


def _family(thing: dict[str, Any]) -> str:
    """First malware galaxy value of an event, object or attribute, lower-case."""
    found: dict[str, str] = {}
    for galaxy in thing.get("Galaxy") or []:
        clusters = galaxy.get("GalaxyCluster") or []
        if clusters:
            found.setdefault(str(galaxy.get("type", "")), str(clusters[0].get("value", "")))
    for tag in thing.get("Tag") or []:
        if match := _GALAXY_TAG.match(str(tag.get("name", ""))):
            found.setdefault(match[1], match[2])
    return next((found[g].lower() for g in MALWARE_GALAXIES if found.get(g)), "")


def _note(attribute: dict[str, Any]) -> str:
    comment = str(attribute.get("comment") or "").strip()
    to_ids = attribute.get("to_ids", True) not in (False, "0", 0)
    return "; ".join(filter(None, [comment, "" if to_ids else "to_ids=false"]))


def _port(text: str) -> int | None:
    try:
        return base.parse_port(text)
    except ValueError:
        return None


def _time(value: object) -> datetime | None:
    try:
        return base.parse_time(value, tz=UTC) if value else None
    except (ValueError, OverflowError):
        return None
