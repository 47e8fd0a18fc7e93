"""Severity words of real tools: one table for every source, the word as sent kept."""

from __future__ import annotations

import json

import pytest

from citysoc.alerts import severity
from citysoc.alerts.sources import alertmanager, fortigate, generic


def generic_level(value):
    [event] = generic.parse({"summary": "Disk full on web01", "severity": value}).events
    return event.severity, event.severity_word


SYSLOG_NAMES = [
    ("emerg", "critical"),
    ("alert", "critical"),
    ("crit", "critical"),
    ("err", "high"),
    ("warning", "medium"),
    ("notice", "low"),
    ("info", "info"),
    ("debug", "info"),
    # the long forms and syslog.conf aliases
    ("emergency", "critical"),
    ("panic", "critical"),
    ("critical", "critical"),
    ("error", "high"),
    ("warn", "medium"),
    ("informational", "info"),
]


@pytest.mark.parametrize("word,level", SYSLOG_NAMES)
def test_syslogs_level_names(word, level):
    assert generic_level(word) == (level, word)


@pytest.mark.parametrize(
    "number,level",
    [(0, "critical"), (1, "critical"), (2, "critical"), (3, "high")]
    + [(4, "medium"), (5, "low"), (6, "info"), (7, "info")],
)
def test_syslogs_level_numbers_as_numbers_and_as_text(number, level):
    assert generic_level(number) == (level, str(number))
    assert generic_level(str(number)) == (level, str(number))


@pytest.mark.parametrize(
    "word,level",
    [
        ("CRITICAL", "critical"),
        ("WARNING", "medium"),
        ("UNKNOWN", "medium"),
        ("OK", "info"),
        ("DOWN", "high"),
        ("UNREACHABLE", "medium"),
        ("UP", "info"),
    ],
)
def test_nagios_and_icinga_states(word, level):
    assert generic_level(word) == (level, word)


@pytest.mark.parametrize(
    "word,level",
    [
        ("Disaster", "critical"),
        ("High", "high"),
        ("Average", "medium"),
        ("Warning", "medium"),
        ("Information", "info"),
        ("Not classified", "medium"),
        ("not_classified", "medium"),
    ],
)
def test_zabbix_severities(word, level):
    assert generic_level(word) == (level, word)


@pytest.mark.parametrize(
    "label,level",
    [
        ("critical", "critical"),
        ("page", "critical"),
        ("error", "high"),
        ("major", "high"),
        ("warning", "medium"),
        ("minor", "low"),
        ("info", "info"),
        ("none", "info"),
        ("something-else", "medium"),
    ],
)
def test_alertmanager_severity_labels_and_the_label_kept(label, level):
    payload = {
        "version": "4",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "DiskFull", "instance": "db01:9100", "severity": label},
                "annotations": {"summary": "Disk almost full"},
                "startsAt": "2026-11-29T08:00:00+07:00",
                "fingerprint": "abc",
            }
        ],
    }
    [event] = alertmanager.parse(json.dumps(payload)).events
    assert (event.severity, event.severity_word) == (level, label)


@pytest.mark.parametrize(
    "level_word,level",
    [("emergency", "critical"), ("alert", "critical"), ("error", "high"), ("warning", "medium")],
)
def test_fortigate_levels_use_the_same_table(level_word, level):
    line = 'date=2026-11-29 time=10:00:00 logid="0100032002" type="event" subtype="system"'
    line += f' level="{level_word}" devname="fw" msg="Something happened"'
    [event] = fortigate.parse(line).events
    assert (event.severity, event.severity_word) == (level, level_word)


def test_vietnamese_words_from_local_scripts():
    assert generic_level("Cảnh báo") == ("medium", "Cảnh báo")
    assert generic_level("nghiem trong") == ("critical", "nghiem trong")


@pytest.mark.parametrize("value", ["urgent", 8, -1, True, {"level": 4}, "4.5"])
def test_a_word_of_no_vocabulary_still_rejects_the_record_naming_it(value):
    parsed = generic.parse([{"summary": "s", "severity": value}])
    [(position, reason)] = parsed.rejected
    assert position == 0
    assert reason.startswith(f"severity {value!r} is not one of: critical, high, medium")


def test_every_word_of_the_table_maps_to_one_of_the_five_levels():
    assert set(severity.WORDS.values()) == set(severity.LEVELS)
    assert set(severity.SYSLOG_NUMBERS) == set(range(8))
