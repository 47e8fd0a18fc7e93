"""The authorities' botnet list: own fixtures always, the real samples when present.

The real samples (botnet-vi.xlsx, vncert-template.xlsx and their expected.json) are not
ours to copy, so those tests read them from ../shared/samples and skip without it.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from citysoc.intel.formats import botnet_sheet
from citysoc.intel.formats.base import VIETNAM, NeedsMapping
from tests.intel.formats import support


def parse(name: str, **options):
    return botnet_sheet.parse(support.fixture(f"botnet_sheet/{name}"), name, options)


def test_it_finds_the_header_under_the_title_block():
    parsed = parse("vi_title_block.xlsx")
    support.assert_counts(parsed, entries=6, rejected=1, skipped=8)
    assert parsed.meta["header_row"] == 5
    assert parsed.meta["title"][2] == "DANH SÁCH ĐỊA CHỈ IP BOTNET tháng 01/2024"
    assert parsed.meta["columns"]["ip"] == "Địa chỉ IP"
    assert parsed.meta["columns"]["c2"] == "Máy chủ C&C"


def test_it_reads_every_field_of_a_row_with_sheet_row_numbers():
    first = parse("vi_title_block.xlsx").entries[0]
    assert (first.row, first.value, first.family) == (6, "192.0.2.10", "mirai")
    assert (first.c2, first.c2_port, first.isp) == ("198.51.100.200", 23, "VNPT")
    assert first.first_seen == datetime(2024, 1, 5, 8, 30, tzinfo=VIETNAM)


def test_text_dates_in_vietnamese_and_iso_order():
    entries = parse("vi_title_block.xlsx").entries
    assert entries[1].first_seen == datetime(2024, 1, 15, 14, 5, tzinfo=VIETNAM)
    assert entries[2].first_seen == datetime(2024, 1, 20, 9, 0, tzinfo=VIETNAM)


def test_a_family_merged_over_two_rows_fills_both():
    entries = {e.row: e for e in parse("vi_title_block.xlsx").entries}
    assert (entries[8].family, entries[9].family) == ("ramnit", "ramnit")


def test_a_bad_ip_is_passed_on_and_an_empty_ip_is_rejected():
    parsed = parse("vi_title_block.xlsx")
    assert [e.value for e in parsed.entries if e.row == 10] == ["192.0.2.300"]
    [rejected] = parsed.rejected
    assert rejected.row == 11
    assert rejected.reason == "no IP address in column 'Địa chỉ IP'"


def test_notes_under_the_table_are_skipped_not_rejected():
    parsed = parse("vi_title_block.xlsx")
    assert parsed.meta["notes"] == [
        "row 14: Tổng cộng: 7",
        "row 15: Ghi chú: Danh sách chỉ dùng cho công tác xử lý mã độc.",
    ]


def test_unreadable_date_and_port_leave_the_field_empty_with_a_warning():
    parsed = parse("vi_title_block.xlsx")
    last = parsed.entries[-1]
    assert (last.row, last.value, last.first_seen, last.c2_port) == (12, "203.0.113.77", None, None)
    assert parsed.meta["warnings"] == [
        "row 12: could not read 'abc' in 'Cổng C&C'",
        "row 12: could not read '32/13/2024' in 'Thời gian'",
    ]


def test_the_vncert_template_ip_column_is_the_c2_server():
    parsed = parse("vncert_template.xlsx")
    support.assert_counts(parsed, entries=3, rejected=0, skipped=1)
    first = parsed.entries[0]
    assert (first.value, first.c2, first.port, first.family) == (
        "192.0.2.21",
        "198.51.100.250",
        23,
        "mirai",
    )
    assert first.note == "LocalIP: 10.0.0.5"
    assert parsed.entries[2].value == "abc"  # garbage goes to the importer, which rejects it


def test_a_cp1258_semicolon_csv_from_vietnamese_excel():
    parsed = parse("vi_cp1258.csv")
    support.assert_counts(parsed, entries=2, rejected=0, skipped=2)
    assert parsed.meta["columns"]["ip"] == "Địa chỉ IP"
    assert [(e.row, e.value, e.family) for e in parsed.entries] == [
        (3, "198.51.100.9", "mirai"),
        (4, "2001:db8:1::9", "đã gỡ"),
    ]
    assert parsed.entries[0].first_seen == datetime(2024, 1, 2, 7, 15, tzinfo=VIETNAM)


def test_no_ip_column_asks_for_a_mapping_with_the_headers():
    data = "Máy nhiễm,Loại mã độc\n192.0.2.1,mirai\n".encode()
    with pytest.raises(NeedsMapping) as caught:
        botnet_sheet.parse(data, "list.csv")
    assert caught.value.headers == ["Máy nhiễm", "Loại mã độc"]
    assert caught.value.guessed == {"family": "Loại mã độc"}
    assert "Máy nhiễm" in str(caught.value)


def test_a_remembered_mapping_names_the_ip_column():
    data = "Máy nhiễm,Loại mã độc\n192.0.2.1,Mirai\n".encode()
    parsed = botnet_sheet.parse(data, "list.csv", {"columns": {"ip": "máy nhiễm"}})
    assert [(e.row, e.value, e.family) for e in parsed.entries] == [(2, "192.0.2.1", "mirai")]


REAL = [("botnet-vi.xlsx", 1), ("vncert-template.xlsx", 1)]


@pytest.mark.samples
@pytest.mark.parametrize(("name", "header_row"), REAL)
def test_the_real_sheets_match_expected_json(name, header_row):
    expected = json.loads(support.shared("botnet-list/expected.json").read_text())[name]
    parsed = botnet_sheet.parse(support.shared(f"botnet-list/{name}").read_bytes(), name)
    assert parsed.meta["header_row"] == header_row
    assert parsed.rows == expected["rows"]
    # Parsers pass bad values on; the importer rejects them. Together with the rows the
    # parser rejected, they are the rejected rows expected.json lists (0-based data rows).
    first_data_row = header_row + 1
    bad = [e.row for e in parsed.entries if not support.is_ip(e.value)]
    bad += [r.row for r in parsed.rejected]
    assert sorted(r - first_data_row for r in bad) == expected["rejected_rows"]
    valid = [e.value for e in parsed.entries if support.is_ip(e.value)]
    assert (len(valid), len(set(valid))) == (expected["valid"], expected["distinct_ips"])


@pytest.mark.samples
def test_the_real_vietnamese_sheet_rejects_its_empty_ip_row():
    parsed = botnet_sheet.parse(support.shared("botnet-list/botnet-vi.xlsx").read_bytes())
    assert [(r.row, r.reason) for r in parsed.rejected] == [
        (288, "no IP address in column 'Địa chỉ IP'")
    ]
    assert {e.row: e.value for e in parsed.entries}[233] == "256.1.1.1"
