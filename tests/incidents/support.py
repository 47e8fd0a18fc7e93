"""Shared pieces of the incident tests: an alert, a case, the libraries' incident clocks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts.models import Alert, AlertSource


def make_alert(unit, key: str, *, severity: str = "high", src_ip: str = "", at=None) -> Alert:
    source, _ = AlertSource.objects.get_or_create(unit=unit, kind="generic", name="IDS")
    at = at or timezone.now()
    return Alert.objects.create(
        unit=unit,
        source=source,
        dedup_key=key,
        severity=severity,
        summary=f"Alert {key}",
        src_ip=src_ip,
        first_seen=at,
        last_seen=at,
    )


def local(y, m, d, h=9, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=dt.timezone(dt.timedelta(hours=7)))
