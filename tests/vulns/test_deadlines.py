"""The deadline policy: severity × KEV × the system's security level, with its reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from citysoc.vulns import deadlines

POLICY = deadlines.load_policy()
DAY = dt.date(2027, 1, 10)


@pytest.mark.parametrize(
    "severity,kev,level,days,rule",
    [
        ("low", True, 3, 7, "kev-level3"),  # KEV on level 3: 7 days whatever the severity
        ("critical", True, 5, 7, "kev-level3"),
        ("critical", True, 2, 14, "kev"),
        ("medium", True, None, 14, "kev"),  # no system: the level rules do not apply
        ("critical", False, 3, 15, "critical-level3"),
        ("critical", False, 1, 30, "critical"),
        ("high", False, 4, 30, "high-level3"),
        ("high", False, 2, 60, "high"),
        ("medium", False, 5, 90, "medium"),
        ("low", False, 5, 180, "low"),
    ],
)
def test_the_table_gives_the_days_of_each_case(severity, kev, level, days, rule):
    due = deadlines.deadline(POLICY, severity=severity, kev=kev, level=level, first_seen=DAY)
    assert due.rule.id == rule
    assert due.due == DAY + dt.timedelta(days=days)
    assert due.version == POLICY.version


def test_informational_findings_have_no_deadline():
    due = deadlines.deadline(POLICY, severity="info", kev=False, level=4, first_seen=DAY)
    assert due.due is None and due.rule.id == "info"


def test_a_kev_listed_after_the_finding_counts_from_the_listing_day():
    listed = DAY + dt.timedelta(days=20)
    due = deadlines.deadline(
        POLICY, severity="high", kev=True, level=3, first_seen=DAY, kev_added=listed
    )
    assert due.due == listed + dt.timedelta(days=7)


def test_every_rule_has_its_reason_in_vietnamese_and_english():
    for rule in POLICY.rules:
        assert rule.reason_in("vi") != rule.reason_in("en"), rule.id
    assert "7 ngày" in POLICY.rule("kev-level3").reason_in("vi")


@pytest.mark.parametrize(
    "text,message",
    [
        ("rules: [{id: a, kev: true, days: 3, reason: {en: x}}]", "must match every finding"),
        ("rules: [{id: a, days: -1, reason: {en: x}}]", "rule 1 (a): 'days'"),
        ("rules: [{id: a, severity: urgent, days: 1, reason: {en: x}}]", "unknown severity"),
        ("rules: [{id: a, level_min: 7, days: 1, reason: {en: x}}]", "'level_min'"),
        ("rules: [{days: 1}]", "rule 1: needs an 'id'"),
        ("version: 1\n", "a list of 'rules'"),
        ("rules: [", "not valid YAML"),
    ],
)
def test_a_bad_policy_file_names_the_rule_and_field(text, message):
    with pytest.raises(deadlines.PolicyError, match=re.escape(message)):
        deadlines.parse_policy(text)
