"""Exports of a list version for units' own sensors (Zeek, Suricata, Wazuh, plain CSV).

Each exporter takes plain `SensorIndicator` records (no Django here) and writes one text
file to a stream. Every record is either written or counted as skipped with a reason, so
the page that offers the download can say "written 1,204; skipped 3 (domain: Suricata IP
reputation holds only addresses)". Duplicate entries are written once: sensors either
refuse them (Wazuh CDB keys must be unique) or just waste memory on them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TextIO

from citysoc.intel.sensors.common import ExportResult, SensorIndicator
from citysoc.intel.sensors.plain import plain_csv
from citysoc.intel.sensors.suricata import suricata_dataset, suricata_iprep
from citysoc.intel.sensors.wazuh import wazuh_cdb
from citysoc.intel.sensors.zeek import zeek_intel

__all__ = [
    "EXPORTS",
    "Export",
    "ExportResult",
    "SensorIndicator",
    "plain_csv",
    "suricata_dataset",
    "suricata_iprep",
    "wazuh_cdb",
    "zeek_intel",
]

Writer = Callable[[Iterable[SensorIndicator], TextIO], ExportResult]


@dataclass(frozen=True)
class Export:
    """One downloadable export: what the web page and the API list."""

    label: str
    extension: str
    content_type: str
    write: Writer
    help: str = ""


def _iprep_reputation(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    return suricata_iprep(items, io.StringIO(), out)


def _iprep_categories(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    # The categories file does not depend on the list; it goes with the reputation file.
    return suricata_iprep((), out, io.StringIO())


EXPORTS: dict[str, Export] = {
    "zeek_intel": Export(
        "Zeek Intel Framework",
        "txt",
        "text/plain; charset=utf-8",
        zeek_intel,
        'redef Intel::read_files += { "/opt/zeek/intel/citysoc.txt" };',
    ),
    "suricata_iprep": Export(
        "Suricata IP reputation",
        "list",
        "text/plain; charset=utf-8",
        _iprep_reputation,
        "reputation-files: [citysoc.list]; rule: iprep:any,citysoc,>,0",
    ),
    "suricata_iprep_categories": Export(
        "Suricata IP reputation categories",
        "txt",
        "text/plain; charset=utf-8",
        _iprep_categories,
        "reputation-categories-file: categories.txt",
    ),
    "suricata_dataset_ip": Export(
        "Suricata dataset (IP addresses)",
        "lst",
        "text/plain; charset=utf-8",
        partial(suricata_dataset, kind="ip"),
        "ip.dst; dataset:isset,citysoc-ip, type ip, load citysoc-ip.lst;",
    ),
    "suricata_dataset_domain": Export(
        "Suricata dataset (domains)",
        "lst",
        "text/plain; charset=utf-8",
        partial(suricata_dataset, kind="string"),
        "dns.query; dataset:isset,citysoc-dns, type string, load citysoc-dns.lst;",
    ),
    "wazuh_cdb": Export(
        "Wazuh CDB list",
        "cdb.txt",
        "text/plain; charset=utf-8",
        wazuh_cdb,
        '<list field="srcip" lookup="address_match_key">etc/lists/citysoc</list>',
    ),
    "plain_csv": Export("CSV", "csv", "text/csv; charset=utf-8", plain_csv),
}
