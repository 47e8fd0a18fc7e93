"""Why a row of a list was rejected, in the reader's language.

The engine and the list readers run without Django and write their reasons in English
("not a valid IPv4 address"); those sentences are what the engine's tests, the CLI and the
API carry. The web pages pass each reason through `translate()`, which knows every reason
they write (a fixed sentence, or a pattern with the value in it) and gives its catalogue
text; a reason it does not know is shown as it is rather than hidden.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# (pattern of the English reason, catalogue text with the pattern's named groups)
REASONS: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"not a valid IPv4 address"), _("not a valid IPv4 address")),
    (re.compile(r"not a valid IPv6 address"), _("not a valid IPv6 address")),
    (re.compile(r"not a valid CIDR"), _("not a valid CIDR block")),
    (
        re.compile(r"not an IP address, CIDR, a-b range, domain or URL"),
        _("not an IP address, CIDR block, a-b range, domain or URL"),
    ),
    (re.compile(r"range mixes IPv4 and IPv6"), _("the range mixes IPv4 and IPv6")),
    (re.compile(r"range end is before its start"), _("the end of the range is before its start")),
    (
        re.compile(r"host bits set; did you mean (?P<cidr>\S+)\?"),
        _("the address has host bits set; did you mean %(cidr)s?"),
    ),
    (
        re.compile(r"IDN name cannot be converted to punycode"),
        _("the internationalised domain name cannot be converted to ASCII (punycode)"),
    ),
    (
        re.compile(r"a domain needs at least one dot \(bare words are not matched\)"),
        _("a domain needs at least one dot (single words are not matched)"),
    ),
    (re.compile(r"URL has no host"), _("the URL has no host name")),
    (re.compile(r"empty entry"), _("the cell is empty")),
    (
        re.compile(r"no IP address in column '(?P<column>.*)'"),
        _("no IP address in column '%(column)s'"),
    ),
    (
        re.compile(r"expected one address, range or domain on the line, found (?P<n>\d+) values"),
        _("expected one address, range or domain on the line, found %(n)s values"),
    ),
    (
        re.compile(r"expected the (?P<n>\d+) Feodo columns \((?P<columns>.*)\)"),
        _("expected the %(n)s Feodo Tracker columns (%(columns)s)"),
    ),
    (
        re.compile(r"expected tab-separated start address, end address and netblock size"),
        _("expected a start address, an end address and a block size separated by tabs"),
    ),
    (re.compile(r"the line is not a JSON object"), _("the line is not a JSON object")),
    (re.compile(r'the record has no "cidr" value'), _('the record has no "cidr" value')),
]


def translate(reason: str) -> str:
    """The catalogue text of an engine or reader reason; unknown reasons unchanged."""
    for pattern, text in REASONS:
        match = pattern.fullmatch(reason.strip())
        if match:
            return str(text) % match.groupdict() if match.groupdict() else str(text)
    return reason


def translated_rows(rows: list[dict]) -> list[dict]:
    """Rows of {"reason": …, …} with each reason translated (the stored rows unchanged)."""
    return [{**row, "reason": translate(str(row.get("reason", "")))} for row in rows]
