"""Suricata: the IP reputation files and the datasets (one value a line)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from functools import partial
from typing import TextIO

from citysoc.intel.sensors.common import (
    IP_KINDS,
    ExportResult,
    SensorIndicator,
    Skip,
    checked,
    export_entries,
    host_or_net,
    line_writer,
    networks,
)

IPREP_DESCRIPTION = "Indicators exported by citysoc"


def suricata_iprep(
    items: Iterable[SensorIndicator],
    out_categories: TextIO,
    out_reputation: TextIO,
    category_id: int = 1,
    category_name: str = "citysoc",
    score: int = 100,
    *,
    category_description: str = IPREP_DESCRIPTION,
) -> ExportResult:
    """Suricata IP reputation: a categories file and a reputation file.

    Reference: https://docs.suricata.io/en/latest/reputation/ipreputation/ip-reputation-format.html
    Categories file lines are `<id>,<short name>,<description>` (id at most 60); reputation
    file lines are `<ip>,<category>,<score>`, score 1-127, IPv4 or IPv6, CIDR allowed.
    Load with `reputation-categories-file` and `reputation-files` in suricata.yaml and match
    with `iprep:any,<short name>,>,0`. Ranges become the minimal CIDR list; domains, URLs
    and hashes are skipped (counted in the result).
    """
    if not 1 <= category_id <= 60:
        raise ValueError(f"category_id {category_id} is outside Suricata's range 1-60")
    if not 1 <= score <= 127:
        raise ValueError(f"score {score} is outside Suricata's range 1-127")
    for name, text in (
        ("category_name", category_name),
        ("category_description", category_description),
    ):
        if not text or "," in text or any(ch in text for ch in "\r\n"):
            raise ValueError(f"{name} must be non-empty, without commas or line breaks")
    out_categories.write(f"{category_id},{category_name},{category_description}\n")
    return export_entries(
        items,
        line_writer(out_reputation),
        partial(_iprep_entries, suffix=f",{category_id},{score}"),
    )


def _iprep_entries(item: SensorIndicator, *, suffix: str) -> list[tuple[str, str]]:
    checked(item)
    if item.kind not in IP_KINDS:
        raise Skip(f"{item.kind}: Suricata IP reputation holds only addresses")
    return [(text, text + suffix) for text in map(host_or_net, networks(item))]


# ---- Suricata dataset ------------------------------------------------------------------

DATASET_KINDS = ("ip", "ipv4", "string", "md5", "sha256")
DATASET_MAX_EXPAND = 256


def suricata_dataset(
    items: Iterable[SensorIndicator], out: TextIO, kind: str = "ip"
) -> ExportResult:
    """A Suricata dataset file for `dataset:isset,<name>, type <kind>, load <file>`.

    Reference: https://docs.suricata.io/en/latest/rules/datasets.html ("File formats"):
    one value per line; type `ip` takes IPv4 and IPv6 addresses, `ipv4` only IPv4, both as
    plain text; `string` values are base64-encoded (here: domains, for `dns.query;` or
    `tls.sni;`, matched exactly, not subdomains); `md5`/`sha256` are hex.
    Datasets hold single values, not networks: a CIDR or range of up to 256 addresses is
    written address by address, a wider one is skipped (use the IP reputation export).
    """
    if kind not in DATASET_KINDS:
        raise ValueError(f"dataset kind '{kind}' is not one of {', '.join(DATASET_KINDS)}")
    return export_entries(items, line_writer(out), partial(_dataset_entries, kind=kind))


def _dataset_entries(item: SensorIndicator, *, kind: str) -> list[tuple[str, str]]:
    value = checked(item)
    if kind in ("ip", "ipv4"):
        return _dataset_addresses(item, v4_only=kind == "ipv4")
    if kind == "string":
        if item.kind != "domain":
            raise Skip(f"{item.kind}: the string dataset holds domains")
        try:
            # DNS carries names as ASCII (IDN as punycode), which is what Suricata compares.
            raw = value.encode("ascii")
        except UnicodeEncodeError as exc:
            raise Skip("domain: not in ASCII (punycode) form") from exc
        text = base64.b64encode(raw).decode("ascii")
        return [(text, text)]
    if item.kind != kind:
        raise Skip(f"{item.kind}: the {kind} dataset holds only {kind} hashes")
    return [(value, value)]


def _dataset_addresses(item: SensorIndicator, *, v4_only: bool) -> list[tuple[str, str]]:
    if item.kind not in IP_KINDS:
        raise Skip(f"{item.kind}: the IP dataset holds only addresses")
    nets = networks(item)
    if v4_only and nets[0].version != 4:
        raise Skip(f"{item.kind}: IPv6 in an ipv4 dataset")
    size = sum(net.num_addresses for net in nets)
    if size > DATASET_MAX_EXPAND:
        raise Skip(
            f"{item.kind}: wider than {DATASET_MAX_EXPAND} addresses; datasets hold single "
            "addresses, use the IP reputation export"
        )
    return [(str(a), str(a)) for net in nets for a in net]
