"""The formats registry: every module registered and complete, detection, parse()."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

from citysoc.intel import formats
from tests.intel.formats import support

PACKAGE = "citysoc.intel.formats"


def module_names() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(formats.__path__) if m.name != "base"]


@pytest.mark.parametrize("name", module_names())
def test_every_format_module_is_registered_with_fixture_and_test(name):
    module = importlib.import_module(f"{PACKAGE}.{name}")
    assert formats.FORMATS[module.NAME] is module
    assert name == module.NAME
    assert module.LABEL and module.EXTENSIONS and module.__doc__
    assert callable(module.sniff) and callable(module.parse)
    assert any((support.FIXTURES / name).iterdir()), f"no fixture in tests/fixtures/intel/{name}"
    assert (support.REPO / "tests" / "intel" / "formats" / f"test_{name}.py").exists()


def test_formats_do_not_import_django():
    code = f"import sys, {PACKAGE}; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


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
        ("misp/own_event.json", "misp"),
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
