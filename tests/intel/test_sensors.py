"""Exports for units' own sensors: the exact files Zeek, Suricata and Wazuh are given."""

from __future__ import annotations

import base64
import csv
import io
import ipaddress
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citysoc.intel import sensors
from citysoc.intel.sensors import EXPORTS, SensorIndicator, common
from citysoc.lib.iprange import parse_range

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
SRC = "VNCERT botnet 2024-01"

ITEMS = [
    SensorIndicator("198.51.100.7", "ipv4", "Mirai", SRC, "2024-01", c2=True),
    SensorIndicator("2001:db8::1", "ipv6", "Emotet", SRC, "2024-01"),
    SensorIndicator("203.0.113.0/24", "cidr", "", "Spamhaus DROP", "2024-05-01"),
    SensorIndicator("192.0.2.10-192.0.2.20", "range", "", "Spamhaus DROP", "2024-05-01"),
    SensorIndicator("evil.example", "domain", "Qakbot", "abuse.ch", "v7"),
    SensorIndicator("http://evil.example:8080/gate.php?id=1", "url", "Qakbot", "abuse.ch", "v7"),
    SensorIndicator(SHA, "sha256", "", "abuse.ch", "v7"),
]


def write(func, items=ITEMS, **kwargs):
    out = io.StringIO()
    result = func(items, out, **kwargs)
    return out.getvalue().splitlines(), result


def assert_accounted(result, n_items):
    assert result.items == n_items
    assert result.exported + result.skipped_total == n_items


# ---- Zeek ------------------------------------------------------------------------------


def test_zeek_file_has_one_line_per_indicator_with_ranges_as_cidrs():
    lines, result = write(sensors.zeek_intel)
    assert lines == [
        "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url",
        f"198.51.100.7\tIntel::ADDR\t{SRC}\tMirai; C2; 2024-01\t-",
        f"2001:db8::1\tIntel::ADDR\t{SRC}\tEmotet; 2024-01\t-",
        "203.0.113.0/24\tIntel::SUBNET\tSpamhaus DROP\t2024-05-01\t-",
        "192.0.2.10/31\tIntel::SUBNET\tSpamhaus DROP\t2024-05-01\t-",
        "192.0.2.12/30\tIntel::SUBNET\tSpamhaus DROP\t2024-05-01\t-",
        "192.0.2.16/30\tIntel::SUBNET\tSpamhaus DROP\t2024-05-01\t-",
        "192.0.2.20\tIntel::ADDR\tSpamhaus DROP\t2024-05-01\t-",
        "evil.example\tIntel::DOMAIN\tabuse.ch\tQakbot; v7\t-",
        "evil.example:8080/gate.php?id=1\tIntel::URL\tabuse.ch\tQakbot; v7\t-",
        f"{SHA}\tIntel::FILE_HASH\tabuse.ch\tv7\t-",
    ]
    assert (result.exported, result.lines, result.skipped_total) == (7, 10, 0)


def read_zeek_intel(text: str) -> list[dict[str, str]]:
    """A small reader that follows the #fields header, as Zeek's ASCII input reader does."""
    fields: list[str] = []
    rows = []
    for line in text.splitlines():
        if line.startswith("#fields\t"):
            fields = line.split("\t")[1:]
        elif line and not line.startswith("#"):
            values = line.split("\t")
            assert len(values) == len(fields), line
            rows.append(dict(zip(fields, values, strict=True)))
    return rows


def test_zeek_output_reads_back_with_every_indicator_once():
    out = io.StringIO()
    sensors.zeek_intel(ITEMS, out)
    rows = read_zeek_intel(out.getvalue())
    indicators = [r["indicator"] for r in rows]
    assert len(indicators) == len(set(indicators))
    assert all(r["meta.source"] not in ("", "-") for r in rows)  # Zeek requires a source
    networks = [
        ipaddress.ip_network(r["indicator"])
        for r in rows
        if r["indicator_type"] in ("Intel::ADDR", "Intel::SUBNET")
    ]
    for item in ITEMS[:4]:  # each IP item is covered exactly by its own entries
        r = parse_range(item.value)
        inside = [
            n
            for n in networks
            if n.version == r.version and r.first <= int(n.network_address) <= r.last
        ]
        assert sum(n.num_addresses for n in inside) == r.size
    assert sum(n.num_addresses for n in networks) == 1 + 1 + 256 + 11
    others = {r["indicator"] for r in rows} - {common.host_or_net(n) for n in networks}
    assert others == {"evil.example", "evil.example:8080/gate.php?id=1", SHA}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://evil.example/a/b.exe", "evil.example/a/b.exe"),
        ("http://evil.example:80/x", "evil.example/x"),
        ("http://evil.example", "evil.example/"),
        ("https://evil.example/login#frag", "evil.example/login"),
        ("http://198.51.100.7:8080/", "198.51.100.7:8080/"),
    ],
)
def test_zeek_urls_are_written_as_zeek_builds_them(url, expected):
    lines, _ = write(sensors.zeek_intel, [SensorIndicator(url, "url", source="s")])
    assert lines[1].split("\t")[:2] == [expected, "Intel::URL"]


def test_zeek_fills_a_missing_source_and_marks_empty_desc_unset():
    lines, _ = write(sensors.zeek_intel, [SensorIndicator("198.51.100.9", "ipv4")])
    assert lines[1] == "198.51.100.9\tIntel::ADDR\tcitysoc\t-\t-"


def test_zeek_never_writes_a_tab_inside_a_field():
    item = SensorIndicator("198.51.100.9", "ipv4", "Mirai\tvariant", "list\nname")
    lines, _ = write(sensors.zeek_intel, [item])
    assert lines[1] == "198.51.100.9\tIntel::ADDR\tlist name\tMirai variant\t-"


# ---- Suricata IP reputation ------------------------------------------------------------


def test_iprep_writes_categories_and_addresses_and_counts_what_it_skips():
    categories, reputation = io.StringIO(), io.StringIO()
    result = sensors.suricata_iprep(ITEMS, categories, reputation, category_id=3, score=90)
    assert categories.getvalue() == "3,citysoc,Indicators exported by citysoc\n"
    assert reputation.getvalue().splitlines() == [
        "198.51.100.7,3,90",
        "2001:db8::1,3,90",
        "203.0.113.0/24,3,90",
        "192.0.2.10/31,3,90",
        "192.0.2.12/30,3,90",
        "192.0.2.16/30,3,90",
        "192.0.2.20,3,90",
    ]
    assert result.skipped == {
        "domain: Suricata IP reputation holds only addresses": 1,
        "url: Suricata IP reputation holds only addresses": 1,
        "sha256: Suricata IP reputation holds only addresses": 1,
    }
    assert_accounted(result, len(ITEMS))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category_id": 61}, "1-60"),
        ({"score": 0}, "1-127"),
        ({"category_name": "bad,name"}, "without commas"),
    ],
)
def test_iprep_refuses_settings_suricata_would_reject(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sensors.suricata_iprep(ITEMS, io.StringIO(), io.StringIO(), **kwargs)


@st.composite
def ip_items(draw):
    version = draw(st.sampled_from([4, 6]))
    bits = 32 if version == 4 else 128
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    first = draw(st.integers(0, 2**bits - 1))
    shape = draw(st.sampled_from(["addr", "cidr", "range"]))
    if shape == "addr":
        return SensorIndicator(str(cls(first)), f"ipv{version}")
    if shape == "cidr":
        prefix = draw(st.integers(bits - 20, bits))
        return SensorIndicator(str(ipaddress.ip_network((first, prefix), strict=False)), "cidr")
    last = draw(st.integers(first, min(first + 5000, 2**bits - 1)))
    return SensorIndicator(f"{cls(first)}-{cls(last)}", "range")


@settings(max_examples=150, deadline=None)
@given(st.lists(ip_items(), min_size=1, max_size=8))
def test_iprep_covers_each_ip_item_exactly_once(items):
    reputation = io.StringIO()
    result = sensors.suricata_iprep(items, io.StringIO(), reputation)
    lines = reputation.getvalue().splitlines()
    assert len(lines) == len(set(lines)) == result.lines
    written = {line.split(",")[0] for line in lines}
    expected = set()
    for item in items:
        # Each item appears as itself (an address or CIDR) or as its minimal CIDR expansion.
        r = parse_range(item.value)
        expansion = {
            common.host_or_net(n) for n in ipaddress.summarize_address_range(*common.ends(r))
        }
        assert expansion <= written
        expected |= expansion
    assert written == expected
    assert_accounted(result, len(items))


# ---- Suricata dataset ------------------------------------------------------------------


def test_ip_dataset_lists_single_addresses_and_expands_small_networks():
    lines, result = write(sensors.suricata_dataset, kind="ip")
    assert lines[:3] == ["198.51.100.7", "2001:db8::1", "203.0.113.0"]
    assert lines[2:258] == [f"203.0.113.{i}" for i in range(256)]
    assert lines[258:] == [f"192.0.2.{i}" for i in range(10, 21)]
    assert result.skipped == {
        "domain: the IP dataset holds only addresses": 1,
        "url: the IP dataset holds only addresses": 1,
        "sha256: the IP dataset holds only addresses": 1,
    }
    assert_accounted(result, len(ITEMS))


def test_ip_dataset_skips_networks_too_wide_to_list():
    lines, result = write(
        sensors.suricata_dataset, [SensorIndicator("10.0.0.0/16", "cidr")], kind="ip"
    )
    assert lines == []
    assert list(result.skipped) == [
        "cidr: wider than 256 addresses; datasets hold single addresses, use the IP "
        "reputation export"
    ]


def test_ipv4_dataset_leaves_out_ipv6():
    lines, result = write(sensors.suricata_dataset, ITEMS[:2], kind="ipv4")
    assert lines == ["198.51.100.7"]
    assert result.skipped == {"ipv6: IPv6 in an ipv4 dataset": 1}


def test_string_dataset_holds_domains_base64_encoded():
    items = [*ITEMS, SensorIndicator("Bad.Example.", "domain")]
    lines, result = write(sensors.suricata_dataset, items, kind="string")
    assert lines == ["ZXZpbC5leGFtcGxl", "YmFkLmV4YW1wbGU="]
    assert [base64.b64decode(x).decode() for x in lines] == ["evil.example", "bad.example"]
    assert result.exported == 2
    assert_accounted(result, len(items))


def test_hash_dataset_is_lower_case_hex():
    lines, _ = write(
        sensors.suricata_dataset, [SensorIndicator(SHA.upper(), "sha256")], kind="sha256"
    )
    assert lines == [SHA]


def test_unknown_dataset_kind_is_refused():
    with pytest.raises(ValueError, match="dataset kind 'sha1'"):
        sensors.suricata_dataset(ITEMS, io.StringIO(), kind="sha1")


# ---- Wazuh -----------------------------------------------------------------------------


def test_wazuh_cdb_keys():
    lines, result = write(sensors.wazuh_cdb)
    assert lines == [
        "198.51.100.7:Mirai",
        '"2001:db8::1":Emotet',
        "203.0.113.:Spamhaus DROP",
        *[f"192.0.2.{i}:Spamhaus DROP" for i in range(10, 21)],
        "evil.example:Qakbot",
        '"http://evil.example:8080/gate.php?id=1":Qakbot',
        f"{SHA}:abuse.ch",
    ]
    assert_accounted(result, len(ITEMS))


def test_wazuh_splits_networks_to_octet_boundaries_and_skips_ipv6_subnets():
    items = [
        SensorIndicator("10.16.0.0/12", "cidr", source="a"),
        SensorIndicator("172.16.0.0/20", "cidr", source="a"),
        SensorIndicator("192.0.2.64/26", "cidr", source="a"),
        SensorIndicator("10.0.0.0/8", "cidr", source="a"),
        SensorIndicator("2001:db8::/32", "cidr", source="a"),
    ]
    lines, result = write(sensors.wazuh_cdb, items)
    keys = [line.rsplit(":", 1)[0] for line in lines]
    assert keys[:16] == [f"10.{i}." for i in range(16, 32)]
    assert keys[16:32] == [f"172.16.{i}." for i in range(16)]
    assert keys[32:96] == [f"192.0.2.{i}" for i in range(64, 128)]
    assert keys[96:] == ["10."]
    assert result.skipped == {"IPv6 subnet: Wazuh CDB lists match IPv6 addresses only exactly": 1}


def wazuh_address_match(keys: set[str], address: str) -> bool:
    """Wazuh's address_match_key: the whole address, then the address cut back to each '.'."""
    if address in keys:
        return True
    return any(address[:i] in keys for i in range(len(address), 0, -1) if address[i - 1] == ".")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(8, 32), st.integers(0, 2**32 - 1))
def test_wazuh_keys_match_exactly_the_addresses_in_the_network(base, prefix, probe):
    net = ipaddress.IPv4Network((base, prefix), strict=False)
    lines, _ = write(sensors.wazuh_cdb, [SensorIndicator(str(net), "cidr", source="s")])
    keys = {line.rsplit(":", 1)[0] for line in lines}
    inside = net.network_address + (probe % net.num_addresses)
    assert wazuh_address_match(keys, str(inside))
    outside = ipaddress.IPv4Address(probe)
    assert wazuh_address_match(keys, str(outside)) == (outside in net)


def test_wazuh_writes_each_key_once():
    items = [SensorIndicator("198.51.100.7", "ipv4", "Mirai"), ITEMS[0]]
    lines, result = write(sensors.wazuh_cdb, items)
    assert lines == ["198.51.100.7:Mirai"]
    assert result.skipped == {"duplicate of an entry already written": 1}


# ---- CSV -------------------------------------------------------------------------------


def test_plain_csv_rows():
    out = io.StringIO()
    result = sensors.plain_csv(ITEMS, out)
    assert out.getvalue().split("\r\n") == [
        "indicator,kind,family,source,version,c2",
        f"198.51.100.7,ipv4,Mirai,{SRC},2024-01,true",
        f"2001:db8::1,ipv6,Emotet,{SRC},2024-01,false",
        "203.0.113.0/24,cidr,,Spamhaus DROP,2024-05-01,false",
        "192.0.2.10-192.0.2.20,range,,Spamhaus DROP,2024-05-01,false",
        "evil.example,domain,Qakbot,abuse.ch,v7,false",
        "http://evil.example:8080/gate.php?id=1,url,Qakbot,abuse.ch,v7,false",
        f"{SHA},sha256,,abuse.ch,v7,false",
        "",
    ]
    assert (result.lines, result.skipped_total) == (7, 0)


def test_plain_csv_quotes_commas_and_defuses_formulas():
    item = SensorIndicator("198.51.100.7", "ipv4", '=HYPERLINK("x")', "list, monthly")
    out = io.StringIO()
    sensors.plain_csv([item], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1] == ["198.51.100.7", "ipv4", '\'=HYPERLINK("x")', "list, monthly", "", "false"]


# ---- bad records and the registry ------------------------------------------------------

BAD = [
    SensorIndicator("not-an-ip", "ipv4"),
    SensorIndicator("10.0.0.5/24", "cidr"),
    SensorIndicator("abc", "sha256"),
    SensorIndicator("evil.example", "hostname"),
    SensorIndicator("evil\n.example", "domain"),
]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_accounts_for_every_record(name):
    out = io.StringIO()
    result = EXPORTS[name].write([*ITEMS, *BAD], out)
    if name != "suricata_iprep_categories":
        assert_accounted(result, len(ITEMS) + len(BAD))
        assert result.skipped_total >= len(BAD)
    assert out.getvalue().endswith("\n")


def test_bad_records_are_skipped_with_reasons():
    _, result = write(sensors.zeek_intel, BAD)
    assert result.skipped == {
        "ipv4: not a valid address, CIDR or range": 1,
        "cidr: not a valid address, CIDR or range": 1,
        "sha256: not a hex digest of the right length": 1,
        "unknown kind 'hostname'": 1,
        "domain: empty or contains a tab or line break": 1,
    }


def test_registry_entries_describe_a_download():
    for name, export in EXPORTS.items():
        assert export.label and export.extension and "/" in export.content_type, name
        assert callable(export.write)


def test_sensors_and_fetching_do_not_import_django():
    code = (
        "import sys, citysoc.intel.sensors, citysoc.intel.fetching; "
        "assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
