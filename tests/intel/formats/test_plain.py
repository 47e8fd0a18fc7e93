from citysoc.intel.formats import plain
from tests.intel.formats import support


def test_it_reads_addresses_ranges_domains_and_urls_with_their_lines():
    parsed = plain.parse(support.fixture("plain/mixed.txt"), "mixed.txt")
    support.assert_counts(parsed, entries=9, rejected=1, skipped=5)
    assert [(e.row, e.value) for e in parsed.entries] == [
        (3, "192.0.2.1"),
        (4, "198.51.100.0/24"),
        (5, "203.0.113.10-203.0.113.20"),
        (6, "203.0.113.30-203.0.113.40"),
        (8, "2001:db8::1"),
        (10, "bad.example"),
        (11, "https://bad.example/login.php"),
        (12, "ads.example"),  # hosts-file line: the name, not the sink address
        (14, "999.1.1.1"),  # passed on: the importer rejects it with its row
    ]


def test_inline_comments_become_notes_and_the_header_is_kept():
    parsed = plain.parse(support.fixture("plain/mixed.txt"))
    assert parsed.entries[1].note == "a whole network"
    assert parsed.meta["comments"][1] == "# Generated: 2024-01-31"


def test_a_line_with_two_values_is_rejected_with_its_line():
    parsed = plain.parse(support.fixture("plain/mixed.txt"))
    [bad] = parsed.rejected
    assert (bad.row, bad.value) == (13, "192.0.2.2 192.0.2.3")
    assert "found 2 values" in bad.reason


def test_a_windows_file_with_bom_and_crlf_reads_the_same():
    data = "\ufeff# list\r\n192.0.2.5\r\nbad.example\r\n".encode()
    parsed = plain.parse(data)
    assert [(e.row, e.value) for e in parsed.entries] == [(2, "192.0.2.5"), (3, "bad.example")]
