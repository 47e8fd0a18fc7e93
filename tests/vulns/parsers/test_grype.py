"""Grype JSON: vulnerability × package × version, paths merged; CVSS from the best source."""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import detect, grype
from citysoc.vulns.parsers.base import ParseError
from tests.vulns.support import FIXTURES

HERE = FIXTURES / "grype"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no_vuln.json", 0),
        ("many_vulns4.json", 9),
        ("fix_not_available.json", 1),
        ("anchore_grype_epss_problem.json", 1),
    ],
)
def test_counts_and_detection(name, expected):
    data = (HERE / name).read_bytes()
    assert detect(data[:65536], "upload.bin") is grype
    report = grype.parse(data)
    assert len(report.findings) == expected and report.rejected == ()


def test_record_carries_package_cvss_and_the_image_as_scope():
    report = grype.parse((HERE / "many_vulns4.json").read_bytes())
    f = report.findings[0]
    assert f.package and f.version and f.rule and f.location
    assert report.scope == (f.location,)
    scored = [x for x in report.findings if x.cvss is not None]
    assert scored and all(x.cvss_vector for x in scored)


def test_fix_not_available_has_no_fixed_version():
    f = grype.parse((HERE / "fix_not_available.json").read_bytes()).findings[0]
    assert f.fixed_version == "" and f.solution == ""


def test_not_grype_refused():
    with pytest.raises(ParseError, match="matches"):
        grype.parse(b'{"results": []}')


def test_truncated_names_its_line():
    data = (HERE / "many_vulns4.json").read_bytes()
    with pytest.raises(ParseError, match=r"line \d+"):
        grype.parse(data[:3000])
