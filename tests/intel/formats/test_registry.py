"""The formats registry: detection and parse() (the convention is tests/test_registries.py)."""

from __future__ import annotations

import pytest

from citysoc.intel import formats
from tests.intel.formats import support

PACKAGE = "citysoc.intel.formats"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("botnet_sheet/vi_title_block.xlsx", "botnet_sheet"),
        ("botnet_sheet/vncert_template.xlsx", "botnet_sheet"),
        ("botnet_sheet/vi_cp1258.csv", "botnet_sheet"),
        ("shadowserver/drone.csv", "shadowserver"),
        ("plain/mixed.txt", "plain"),
        ("firehol/sample.netset", "firehol"),
        ("spamhaus_drop/drop.txt", "spamhaus_drop"),
        ("spamhaus_drop_json/drop_v4.json", "spamhaus_drop_json"),
        ("feodo/ipblocklist.csv", "feodo"),
        ("dshield/block.txt", "dshield"),
        ("emerging_threats/compromised-ips.txt", "emerging_threats"),
        ("blocklist_de/ssh.txt", "blocklist_de"),
        ("stix/own_bundle.json", "stix"),
        ("stix/apt1.json", "stix"),
        ("misp/feed/00000000-0000-4000-8000-00000000e001.json", "misp"),
        ("misp/57c4445b-c548-4654-af0b-4be3950d210f.json", "misp"),
    ],
)
def test_it_detects_each_fixture(path, expected):
    data = support.fixture(path)
    assert formats.detect(data[: formats.HEAD_BYTES], path.rsplit("/", 1)[-1]) == expected


def test_a_firehol_file_is_recognised_by_its_header_without_the_extension():
    assert formats.detect(support.fixture("firehol/sample.netset"), "download") == "firehol"


def test_an_unknown_file_names_the_known_formats():
    with pytest.raises(ValueError, match="known formats are: .*Plain text list"):
        formats.detect(b"\x00\x01binary\x00", "picture.png")


def test_parse_auto_and_by_name_agree():
    data = support.fixture("plain/mixed.txt")
    auto = formats.parse(data, "mixed.txt")
    named = formats.parse(data, "mixed.txt", format="plain")
    assert auto.format == named.format == "plain"
    assert [e.value for e in auto.entries] == [e.value for e in named.entries]


def test_parse_refuses_an_unknown_format_name():
    with pytest.raises(ValueError, match="Unknown list format 'csv'"):
        formats.parse(b"192.0.2.1\n", format="csv")


def test_a_parsed_list_that_loses_a_row_is_refused():
    with pytest.raises(AssertionError, match="3 data rows but 0 entries"):
        formats.ParsedList("plain", [], [], rows=3)
