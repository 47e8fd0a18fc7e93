"""Exports of a list version for units' own sensors (Zeek, Suricata, Wazuh, plain CSV).

Each exporter takes plain `SensorIndicator` records (no Django here) and writes one text
file to a stream. Every record is either written or counted as skipped with a reason, so
the page that offers the download can say "written 1,204; skipped 3 (domain: Suricata IP
reputation holds only addresses)". Duplicate entries are written once: sensors either
refuse them (Wazuh CDB keys must be unique) or just waste memory on them.
"""

from __future__ import annotations

import base64
import csv
import io
import ipaddress
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TextIO, TypeVar
from urllib.parse import urlsplit

from citysoc.lib.domains import DomainError, normalize_domain
from citysoc.lib.formulas import defuse_formula
from citysoc.lib.iprange import IpRange, RangeError, parse_range

logger = logging.getLogger(__name__)

IP_KINDS = frozenset({"ipv4", "ipv6", "cidr", "range"})
HASH_KINDS = frozenset({"md5", "sha1", "sha256"})
KINDS = IP_KINDS | HASH_KINDS | {"domain", "url"}
_HASH_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64}

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(slots=True)
class SensorIndicator:
    """One indicator of a list version, already normalised by the importer."""

    value: str  # IPv4/IPv6 address, CIDR, a-b range, domain, URL or hash
    kind: str  # "ipv4" | "ipv6" | "cidr" | "range" | "domain" | "url" | "md5" | "sha1" | "sha256"
    family: str = ""
    source: str = ""  # list name, e.g. "VNCERT botnet 2024-01"
    version: str = ""  # list version label
    c2: bool = False


@dataclass
class ExportResult:
    """What an export wrote: `items` read = `exported` + sum of `skipped`.

    `lines` counts entries written (header lines not included); it can exceed `exported`
    because a range or a subnet may become several entries. `skipped` maps a reason to the
    number of records skipped for it.
    """

    items: int = 0
    exported: int = 0
    lines: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class Skip(Exception):  # noqa: N818 - a decision, not an error: the record is counted as skipped
    """A record this format cannot hold; the message is the reason shown to the operator."""


T = TypeVar("T")


def _export(
    items: Iterable[SensorIndicator],
    emit: Callable[[T], object],
    render: Callable[[SensorIndicator], list[tuple[str, T]]],
) -> ExportResult:
    """Render each record to (key, entry) pairs, emit entries whose key is new, and count."""
    result = ExportResult()
    seen: set[str] = set()
    for item in items:
        result.items += 1
        try:
            entries = render(item)
        except Skip as skip:
            result.skipped[str(skip)] += 1
            continue
        fresh = [(key, entry) for key, entry in entries if key not in seen]
        if not fresh:
            result.skipped["duplicate of an entry already written"] += 1
            continue
        for key, entry in fresh:
            seen.add(key)
            emit(entry)
        result.exported += 1
        result.lines += len(fresh)
    if result.skipped:
        logger.info(
            "export skipped %s of %s records: %s",
            result.skipped_total,
            result.items,
            dict(result.skipped),
        )
    return result


def _line_writer(out: TextIO) -> Callable[[str], object]:
    return lambda line: out.write(line + "\n")


# ---- shared value handling -------------------------------------------------------------


def _networks(item: SensorIndicator) -> list[IpNetwork]:
    """The minimal CIDR list covering an address, CIDR or a-b range."""
    value = item.value.strip()
    if "/" not in value and "-" not in value:
        # Single addresses are most of any botnet list; skip the range arithmetic.
        try:
            return [ipaddress.ip_network(value)]
        except ValueError as exc:
            raise Skip(f"{item.kind}: not a valid address, CIDR or range") from exc
    try:
        r = parse_range(item.value)
    except RangeError as exc:
        raise Skip(f"{item.kind}: not a valid address, CIDR or range") from exc
    return list(ipaddress.summarize_address_range(*_ends(r)))


def _ends(
    r: IpRange,
) -> (
    tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]
    | tuple[ipaddress.IPv6Address, ipaddress.IPv6Address]
):
    # ip_address(int) would read a small IPv6 value such as ::1 as IPv4, so pick the class.
    if r.version == 4:
        return ipaddress.IPv4Address(r.first), ipaddress.IPv4Address(r.last)
    return ipaddress.IPv6Address(r.first), ipaddress.IPv6Address(r.last)


def _is_host(net: IpNetwork) -> bool:
    return net.prefixlen == net.max_prefixlen


def _host_or_net(net: IpNetwork) -> str:
    return str(net.network_address) if _is_host(net) else str(net)


def _checked(item: SensorIndicator) -> str:
    """The value, refusing unknown kinds and text that would break a line-based file.

    IP values are checked where they are parsed, by `_networks`, to parse them only once.
    """
    if item.kind not in KINDS:
        raise Skip(f"unknown kind '{item.kind}'")
    value = item.value.strip()
    if not value or any(ch in value for ch in "\t\r\n"):
        raise Skip(f"{item.kind}: empty or contains a tab or line break")
    if item.kind in HASH_KINDS:
        value = value.lower()
        if len(value) != _HASH_LENGTHS[item.kind] or any(
            c not in "0123456789abcdef" for c in value
        ):
            raise Skip(f"{item.kind}: not a hex digest of the right length")
    elif item.kind == "domain":
        try:
            value = normalize_domain(value)
        except DomainError as exc:
            raise Skip("domain: not a valid domain name") from exc
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- Zeek ------------------------------------------------------------------------------

ZEEK_HEADER = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url"


def zeek_intel(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """Zeek Intelligence Framework file, for `redef Intel::read_files += {"/path/file"};`.

    Reference: https://docs.zeek.org/en/current/frameworks/intel.html ("Loading
    Intelligence") and the `Intel::Type` enum in base/frameworks/intel/main.zeek.
    Tab-separated, one `#fields` header; `-` marks an unset optional field. Types:
    addresses `Intel::ADDR`, CIDRs `Intel::SUBNET` (a-b ranges become the minimal CIDR list),
    domains `Intel::DOMAIN` (matched exactly, not their subdomains), URLs `Intel::URL`
    written as Zeek's HTTP::build_url makes them: host, `:port` unless 80, then the path,
    without "http://" (Zeek sees only clear-text HTTP, so https URLs never match), and
    md5/sha1/sha256 `Intel::FILE_HASH` in lower-case hex. `meta.source` is required by Zeek,
    so a record without a source is written with "citysoc". Zeek rereads the file when it
    changes; replace it with `mv`, never by writing in place.
    """
    out.write(ZEEK_HEADER + "\n")
    return _export(items, _line_writer(out), _zeek_entries)


def _zeek_entries(item: SensorIndicator) -> list[tuple[str, str]]:
    value = _checked(item)
    source = _one_line(item.source) or "citysoc"
    desc = _zeek_desc(item)
    if item.kind in IP_KINDS:
        pairs = [
            (_host_or_net(net), "Intel::ADDR" if _is_host(net) else "Intel::SUBNET")
            for net in _networks(item)
        ]
    elif item.kind == "domain":
        pairs = [(value, "Intel::DOMAIN")]
    elif item.kind == "url":
        pairs = [(_zeek_url(value), "Intel::URL")]
    else:
        pairs = [(value, "Intel::FILE_HASH")]
    return [(f"{ind}\t{typ}\t{source}", f"{ind}\t{typ}\t{source}\t{desc}\t-") for ind, typ in pairs]


def _zeek_desc(item: SensorIndicator) -> str:
    parts = [_one_line(item.family), "C2" if item.c2 else "", _one_line(item.version)]
    text = "; ".join(p for p in parts if p)
    # A field that is exactly "-" would read as unset; "" as an empty string is "(empty)".
    return text if text and text != "-" else "-"


def _zeek_url(value: str) -> str:
    try:
        parts = urlsplit(value if "://" in value else "http://" + value)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise Skip("url: not a valid URL") from exc
    if not host or parts.scheme not in ("http", "https"):
        raise Skip("url: not an http(s) URL")
    default = 80 if parts.scheme == "http" else 443
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = parts.path or "/"
    return netloc + path + (f"?{parts.query}" if parts.query else "")


# ---- Suricata IP reputation ------------------------------------------------------------

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
    return _export(
        items,
        _line_writer(out_reputation),
        partial(_iprep_entries, suffix=f",{category_id},{score}"),
    )


def _iprep_entries(item: SensorIndicator, *, suffix: str) -> list[tuple[str, str]]:
    _checked(item)
    if item.kind not in IP_KINDS:
        raise Skip(f"{item.kind}: Suricata IP reputation holds only addresses")
    return [(text, text + suffix) for text in map(_host_or_net, _networks(item))]


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
    return _export(items, _line_writer(out), partial(_dataset_entries, kind=kind))


def _dataset_entries(item: SensorIndicator, *, kind: str) -> list[tuple[str, str]]:
    value = _checked(item)
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
    nets = _networks(item)
    if v4_only and nets[0].version != 4:
        raise Skip(f"{item.kind}: IPv6 in an ipv4 dataset")
    size = sum(net.num_addresses for net in nets)
    if size > DATASET_MAX_EXPAND:
        raise Skip(
            f"{item.kind}: wider than {DATASET_MAX_EXPAND} addresses; datasets hold single "
            "addresses, use the IP reputation export"
        )
    return [(str(a), str(a)) for net in nets for a in net]


# ---- Wazuh CDB -------------------------------------------------------------------------


def wazuh_cdb(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """Wazuh CDB list source file (`key:value` lines), for `<list>etc/lists/name</list>`.

    Reference: https://documentation.wazuh.com/current/user-manual/ruleset/cdb-list.html
    The value is the family, else the list name. A key containing ':' (IPv6, URLs) is
    quoted, as the page says for MAC addresses. Wazuh's `address_match_key` lookup tries
    the exact address and then the address cut back to each '.' ("10.1.2.", "10.1.",
    "10."), so it only understands IPv4 networks on octet boundaries: a /8, /16 or /24
    becomes one prefix key and any other prefix length is split into the next finer octet
    boundary (a /20 into 16 "a.b.c." keys, a /26 into 64 addresses) so nothing outside the
    network matches. IPv6 has no dotted prefix, so IPv6 subnets are skipped and IPv6
    addresses match only when the log writes them in the same compressed form.
    Domains, URLs and hashes are exact keys (use `lookup="match_key"`).
    """
    return _export(items, _line_writer(out), _wazuh_entries)


def _wazuh_entries(item: SensorIndicator) -> list[tuple[str, str]]:
    value = _checked(item)
    if '"' in value:
        raise Skip(f"{item.kind}: contains a double quote, which a CDB key cannot hold")
    meta = _one_line(item.family) or _one_line(item.source)
    if item.kind in IP_KINDS:
        keys = [key for net in _networks(item) for key in _wazuh_keys(net)]
    elif item.kind == "domain":
        keys = [value]
    else:
        keys = [value]
    return [(key, f"{_wazuh_quote(key)}:{meta}") for key in keys]


def _wazuh_keys(net: IpNetwork) -> list[str]:
    if isinstance(net, ipaddress.IPv6Network):
        if not _is_host(net):
            raise Skip("IPv6 subnet: Wazuh CDB lists match IPv6 addresses only exactly")
        return [str(net.network_address)]
    boundary = max(8, -(-net.prefixlen // 8) * 8)  # round up to a multiple of 8
    if boundary == 32:
        return [str(a) for a in net]
    octets = boundary // 8
    return [
        ".".join(str(sub.network_address).split(".")[:octets]) + "."
        for sub in net.subnets(new_prefix=boundary)
    ]


def _wazuh_quote(key: str) -> str:
    return f'"{key}"' if ":" in key else key


# ---- plain CSV -------------------------------------------------------------------------

CSV_HEADER = ["indicator", "kind", "family", "source", "version", "c2"]


def plain_csv(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """CSV with header `indicator,kind,family,source,version,c2` (RFC 4180, CRLF, UTF-8).

    For scripts and sensors that take a plain list; `c2` is "true" or "false". No BOM, so
    a program reading the header sees "indicator". Text fields that Excel would run as a
    formula get a leading apostrophe (as in the inventory exports).
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    return _export(items, writer.writerow, _csv_entries)


def _csv_entries(item: SensorIndicator) -> list[tuple[str, list[str]]]:
    value = _checked(item)
    if item.kind in IP_KINDS:
        _networks(item)  # written as given, but only if it parses
    row = [value, item.kind, item.family, item.source, item.version, "true" if item.c2 else "false"]
    # A family name from a public feed is untrusted text; in Excel "=..." would run.
    cells = [defuse_formula(_one_line(cell)) for cell in row]
    return [("\t".join(cells), cells)]


# ---- registry --------------------------------------------------------------------------

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
