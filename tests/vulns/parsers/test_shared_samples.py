"""Every scanner report in the shared samples parses, is recognised from its content and
gives the count written in docs/scanners.md; DefectDojo's count beside it where it differs.

The table is the docs' table: a change to how a tool's finding is counted changes both.
"""

from __future__ import annotations

import pytest

from citysoc.vulns.parsers import PARSERS, read_report
from tests.vulns.support import shared_sample

# (sample, tool, our count, DefectDojo's count or None when its tests assert none,
#  severity of our first finding or "")
SAMPLES = [
    ("nmap/nmap_0port.xml", "nmap", 0, 0, ""),
    ("nmap/nmap_1port.xml", "nmap", 1, 1, "info"),
    ("nmap/nmap_multiple_port.xml", "nmap", 13, 13, "info"),
    ("nmap/issue12411.xml", "nmap", 4, 2, "info"),  # DefectDojo merges a port across hosts
    ("nmap/python-libnmap/full_sudo6.xml", "nmap", 12, None, "info"),
    ("nmap/python-libnmap/dionaea_scan.xml", "nmap", 21, None, "info"),
    ("nmap/python-libnmap/2_hosts_version.xml", "nmap", 8, None, "info"),
    ("nmap/python-libnmap/1_os_banner_scripts.xml", "nmap", 8, None, "info"),
    ("openvas/many_vuln.xml", "openvas", 44, 44, "high"),
    ("openvas/no_vuln.xml", "openvas", 0, 0, ""),
    ("openvas/no_vuln.csv", "openvas", 0, 0, ""),
    ("openvas/many_vuln.csv", "openvas", 4, 4, "low"),
    ("openvas/report_combine_v2.csv", "openvas", 1, 1, "low"),
    ("openvas/report_detail_v2.csv", "openvas", 1, 1, "high"),
    ("openvas/report_using_openVAS.csv", "openvas", 13, 13, "low"),
    ("nessus/nessus_many_vuln.xml", "nessus", 7, 6, "info"),  # DefectDojo merges 2 ports
    ("nessus/nessus_with_cvssv3.nessus", "nessus", 48, 48, "info"),
    ("nessus/nessus_with_cwe-.nessus", "nessus", 1, None, "high"),
    ("nessus/nessus_many_vuln.csv", "nessus", 4, 4, "medium"),
    ("nessus/nessus_many_vuln2-default.csv", "nessus", 29, 29, "info"),
    ("nessus/nessus-template.csv", "nessus", 5, 5, "high"),
    ("nessus/nessus_was/nessus_was_many_vuln.xml", "nessus", 5, 5, "high"),
    ("nessus/nessus_was/nessus_was_no_vuln.xml", "nessus", 0, 0, ""),
    ("nessus/nessus_was/nessus_was_one_vuln.csv", "nessus", 1, 1, "high"),
    ("nessus/nessus_was/nessus_was_no_vuln.csv", "nessus", 0, 0, ""),
    ("nessus/tenable/tenable_many_vuln.csv", "nessus", 9, 9, "high"),
    ("nessus/tenable/issue_11102.csv", "nessus", 3, 2, "high"),  # DefectDojo: no Host column
    ("trivy/legacy_many_vulns.json", "trivy", 93, 93, "low"),
    ("trivy/scheme_2_many_vulns.json", "trivy", 5, 5, "medium"),
    ("trivy/misconfigurations_and_secrets.json", "trivy", 5, 5, ""),
    ("trivy/license_scheme.json", "trivy", 19, 19, "high"),
    ("trivy/issue_9092.json", "trivy", 1, 1, "high"),
    ("trivy/issue_9333.json", "trivy", 13, 13, "low"),
    ("trivy/issue_10991.json", "trivy", 37, 37, "low"),
    ("trivy/all_statuses.json", "trivy", 8, 8, "low"),
    ("trivy/cvss_severity_source.json", "trivy", 2, 2, "medium"),
    ("trivy/issue_14136.json", "trivy", 1, 1, "low"),
    ("grype/no_vuln.json", "grype", 0, 0, ""),
    ("grype/many_vulns4.json", "grype", 9, 9, "medium"),
    ("grype/check_all_fields.json", "grype", 5, 5, "info"),
    ("grype/fix_not_available.json", "grype", 1, 1, "high"),
    ("grype/issue_9942.json", "grype", 1, 1, "high"),
    ("grype/many_vulns_with_epss_values.json", "grype", 15, 15, "high"),
    ("grype/anchore_grype_epss_problem.json", "grype", 1, 1, "high"),
    ("nuclei/issue_9201.json", "nuclei", 1, 1, "info"),
    ("nuclei/many_findings.json", "nuclei", 18, 16, "low"),  # DefectDojo merges ports
    ("nuclei/many_findings_new.json", "nuclei", 2, 2, "medium"),
    ("nuclei/multiple_v3.json", "nuclei", 5, 5, "info"),
    ("nuclei/invalid_cwe.json", "nuclei", 1, 1, "info"),
    ("zap/empty_2.9.0.xml", "zap", 0, 0, ""),
    ("zap/0_zap_sample.xml", "zap", 4, 4, "low"),
    ("zap/dvwa_baseline_dojo.xml", "zap", 18, 19, "medium"),  # one alert listed twice
    ("zap/zap-results-second-scan.xml", "zap", 18, None, "low"),
    ("zap/zap-xml-plus-format.xml", "zap", 1, 1, "medium"),
    ("zap/zap_2.16.1_with_req_resp.xml", "zap", 4, 4, "info"),
    ("zap/zap-extensions/basic-traditional-json.json", "zap", 1, None, "high"),
    ("osv-scanner/many_findings.json", "osv", 66, 66, "high"),
    ("masscan/masscan_one_vuln.json", "masscan", 1, 1, "info"),
]
# Empty files (0 bytes, or Trivy's `null`): nothing to tell the tool from; with --tool, 0.
EMPTY = [
    ("trivy/legacy_no_vuln.json", "trivy"),
    ("nuclei/empty.jsonl", "nuclei"),
    ("osv-scanner/no_findings.json", "osv"),
    ("masscan/masscan_no_vuln.json", "masscan"),
]
# Where our count differs from DefectDojo's, docs/scanners.md says why.
DIFFERENT = {name for name, _, ours, dojo, _ in SAMPLES if dojo is not None and ours != dojo}


@pytest.mark.samples
@pytest.mark.parametrize(("name", "tool", "ours", "dojo", "first"), SAMPLES, ids=lambda v: v)
def test_sample_detected_and_counted(name, tool, ours, dojo, first):
    data = shared_sample(f"scanners/{name}").read_bytes()
    report = read_report(data, name.rsplit("/", 1)[-1])
    assert report.tool == tool, "recognised from its content"
    assert len(report.findings) == ours
    assert report.rejected == ()
    if first:
        assert report.findings[0].severity == first


@pytest.mark.samples
@pytest.mark.parametrize(("name", "tool"), EMPTY, ids=lambda v: v)
def test_empty_sample_needs_the_tool_and_gives_nothing(name, tool):
    data = shared_sample(f"scanners/{name}").read_bytes()
    assert len(read_report(data, name, tool).findings) == 0


def test_every_difference_from_defectdojo_is_explained_in_the_docs():
    from tests.vulns.support import REPO

    doc = (REPO / "docs" / "scanners.md").read_text()
    for name in DIFFERENT:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        assert f"`{stem}`" in doc, f"docs/scanners.md does not explain {name}"


def test_every_tool_has_samples():
    assert {tool for _, tool, *_ in SAMPLES} == set(PARSERS)


@pytest.mark.samples
@pytest.mark.django_db
def test_every_sample_imports_each_finding_once_and_reimports_as_still_open():
    from citysoc.vulns.importing import import_report
    from tests import factories

    for number, (name, _, ours, _, _) in enumerate(SAMPLES):
        unit = factories.make_unit(f"S{number}")
        report = read_report(shared_sample(f"scanners/{name}").read_bytes(), name)
        first = import_report(report, unit)
        assert (first.new, first.still_open) == (ours, 0), name
        again = import_report(report, unit)
        assert (again.new, again.still_open, again.mitigated) == (0, ours, 0), name
