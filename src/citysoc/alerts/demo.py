"""The demo city's alerts: three wards' monitoring tools, about fifteen alerts in every
state, one storm sent as a grouped notification, one incident, one maintenance window, and
the city's default escalation policy.

Everything goes through the real intake and escalation (at past times), so timelines and
outbox rows look as they would in use. Idempotent: a source that already has alerts is
left alone, and the window and incident are looked up by their text.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from citysoc.alerts import escalation, incidents, intake
from citysoc.alerts.models import Alert, AlertSource, Incident, MaintenanceWindow
from citysoc.alerts.sources.base import Event
from citysoc.core import audit, demo
from citysoc.core.models import Unit

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)

# (unit code, source name, kind, notifications per minute)
SOURCES = [
    ("p-bacson", "Wazuh phường Bắc Sơn", "wazuh", 10),
    ("p-namson", "Zabbix UBND phường Nam Sơn", "generic", 10),
    ("x-yenson", "Suricata xã Yên Sơn", "suricata", 5),
]
WINDOW_REASON = "Nâng cấp máy chủ một cửa (demo)"
INCIDENT_TITLE = "Quét cổng hàng loạt từ 198.51.100.23"

# (source index, hours ago, key, severity, summary, then: "" | "ack" | "resolve" | "both")
SINGLE_ALERTS = [
    (0, 26, "5712|ketoan-03", "high", "Phát hiện tệp đáng ngờ trên máy KT-03", "both"),
    (
        0,
        20,
        "5710|mc-motcua",
        "medium",
        "Đăng nhập SSH thất bại nhiều lần trên máy chủ một cửa",
        "resolve",
    ),
    (0, 3, "5763|203.0.113.45", "critical", "Tấn công dò mật khẩu SSH từ 203.0.113.45", "ack"),
    (0, 0.3, "60122|vt-ubnd-01", "medium", "Đăng nhập quản trị ngoài giờ làm việc", ""),
    (0, 30, "554|www", "info", "Tệp mới trên máy chủ web: /var/www/html/banner.jpg", "resolve"),
    (1, 2, "ping|mc-motcua", "high", "Máy chủ một cửa không phản hồi ping", "both"),
    (1, 28, "cpu|db-01", "low", "CPU máy chủ CSDL trên 90% trong 15 phút", "resolve"),
    (1, 0.2, "disk|mc-motcua:/var", "medium", "Ổ đĩa /var trên máy chủ một cửa đầy 95%", ""),
]


def _event(key: str, severity: str, summary: str, at: dt.datetime, source: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        severity=severity,
        source=source,
        summary=summary,
        details={"demo": True, "rule": key.split("|")[0]},
        occurred_at=at,
        host=key.split("|")[-1],
    )


def _sources() -> list[AlertSource]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[s[0] for s in SOURCES])}
    made = []
    for code, name, kind, per_minute in SOURCES:
        if code not in units:
            continue
        source, _ = AlertSource.objects.get_or_create(
            unit=units[code], name=name, defaults={"kind": kind, "notify_per_minute": per_minute}
        )
        made.append(source)
    return made


def load() -> dict[str, int]:
    """Create whatever part of the demo alerts is missing; return how many alerts exist."""
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        escalation.default_policy()
        sources = _sources()
        if len(sources) == len(SOURCES) and not Alert.objects.filter(source__in=sources).exists():
            _story(sources, timezone.now().replace(second=0, microsecond=0))
    return {"alerts": Alert.objects.filter(source__in=sources).count()}


def _story(sources: list[AlertSource], now: dt.datetime) -> None:
    _window(sources[1], now)
    for index, hours, key, severity, summary, then in sorted(SINGLE_ALERTS, key=lambda r: -r[1]):
        at = now - dt.timedelta(hours=hours)
        source = sources[index]
        event = _event(key, severity, summary, at, source.kind)
        alert = Alert.objects.get(pk=intake.ingest(source, [event], now=at).alert_ids[0])
        escalation.run_due(now=at)
        escalation.run_due(now=at + 10 * M)
        _handle(alert, then, at)
    _storm(sources[2], now - 5 * H)


def _handle(alert: Alert, then: str, at: dt.datetime) -> None:
    person = alert.unit.people.filter(role="unit_admin").first()
    who = person.full_name if person else "demo"
    if then in ("ack", "both"):
        intake.acknowledge(alert, by=f"{who} (link)", now=at + 12 * M)
    if then in ("resolve", "both"):
        intake.resolve(alert, by=who, now=at + 40 * M)


def _window(source: AlertSource, now: dt.datetime) -> None:
    MaintenanceWindow.objects.get_or_create(
        unit=source.unit,
        reason=WINDOW_REASON,
        defaults={"source": source, "starts_at": now - 30 * M, "ends_at": now + 2 * H},
    )


def _storm(source: AlertSource, at: dt.datetime) -> None:
    """Eight scan signatures at once from a source allowed five a minute: one message."""
    signatures = [
        "ET SCAN Nmap Scripting Engine User-Agent Detected",
        "ET SCAN Potential SSH Scan",
        "ET SCAN Suspicious inbound to MSSQL port 1433",
        "ET SCAN Suspicious inbound to mySQL port 3306",
        "ET SCAN Suspicious inbound to PostgreSQL port 5432",
        "ET SCAN Potential VNC Scan 5900-5920",
        "ET SCAN Behavioral Unusual Port 445 traffic",
        "ET SCAN NMAP OS Detection Probe",
    ]
    events = [
        _event(f"2010937|198.51.100.23|{i}", "high", f"{sig} từ 198.51.100.23", at, source.kind)
        for i, sig in enumerate(signatures)
    ]
    result = intake.ingest(source, events, now=at)
    escalation.run_due(now=at)
    storm = list(Alert.objects.filter(pk__in=result.alert_ids).order_by("pk"))
    if not Incident.objects.filter(title=INCIDENT_TITLE).exists():
        incident = incidents.promote(storm[:3], by=None, title=INCIDENT_TITLE)
        incidents.add_note(
            incident,
            by=None,
            text="Đã chặn 198.51.100.23 trên tường lửa; đang kiểm tra nhật ký máy chủ.",
            status=Incident.Status.CONTAINED,
        )
    for alert in storm[:3]:
        intake.acknowledge(alert, by="Đặng Văn Toàn", now=at + 15 * M)
    for alert in storm[3:6]:
        intake.resolve(alert, by="Đặng Văn Toàn", now=at + 50 * M)


# Alerts of three wards: escalations, a storm grouped into one message, an incident.
demo.register("alerts", load, order=50)
