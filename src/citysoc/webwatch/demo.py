"""The demo city's websites: monitors for the units' public sites with a few days of history,
one ward site with hidden gambling links and one whose home page was defaced.

Nothing is fetched: the demo sites do not exist (every domain contains `example`), so the
history is written directly and the monitors' next check is put a year away, so that a
running scheduler does not turn the whole demo red. Idempotent: monitors are found by
(unit, URL), history is written only for a monitor that has none, findings by their key.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from citysoc.core import demo
from citysoc.inventory.models import Domain
from citysoc.webwatch import recording, titles
from citysoc.webwatch.checks.base import Title, gettext_noop
from citysoc.webwatch.models import CheckRun, Finding, Monitor

SEED = 20240208
HISTORY_DAYS = 3
STEP = dt.timedelta(minutes=30)
# Mail servers, data buses and internal systems are not public websites.
NOT_WEBSITES = ("mail.", "lgsp.", "vanban.")
PUBLIC_UNITS = ("p-bacson",)
DOWN_UNIT = "x-quangson"  # was down for two hours yesterday

GAMBLING = {
    "check": "injected_links",
    "key": "hidden-links",
    "severity": "critical",
    "title": Title(
        gettext_noop("Hidden gambling content (%(technique)s): %(n)s link(s) to %(domains)s"),
        {
            "technique": "position off-screen (left:-9999px)",
            "n": 2,
            "domains": "nhacai-88.example.com, slot-vip.example.net",
        },
        on="https://namson.tamdiep.example.gov.vn/tin-tuc/thong-bao-tet",
    ),
    "evidence": {
        "page": "https://namson.tamdiep.example.gov.vn/tin-tuc/thong-bao-tet",
        "hidden_element": '<div style="position:absolute;left:-9999px">',
        "snippet": (
            '<div style="position:absolute;left:-9999px"><a href="https://nhacai-88.example.com/">'
            'nhà cái uy tín</a> <a href="https://slot-vip.example.net/">nổ hũ đổi thưởng</a></div>'
        ),
        "links": [
            {"href": "https://nhacai-88.example.com/", "text": "nhà cái uy tín", "hidden": "yes"},
            {"href": "https://slot-vip.example.net/", "text": "nổ hũ đổi thưởng", "hidden": "yes"},
        ],
        "keywords": ["nhà cái", "nổ hũ", "đổi thưởng"],
    },
}
DEFACEMENT = {
    "check": "defacement",
    "key": "changed",
    "severity": "high",
    "title": Title(
        gettext_noop(
            "Page changed %(change)s from its baseline (text %(text)s, structure %(shape)s)"
        ),
        {"change": "68%", "text": "68%", "shape": "41%"},
    ),
    "evidence": {
        "page": "https://trungson.tamdiep.example.gov.vn/",
        "changed_ratio": "0.68",
        "diff": (
            "--- baseline\n+++ now\n@@ -1,4 +1,3 @@\n"
            "-UBND PHƯỜNG TRUNG SƠN\n-Trang thông tin điện tử\n"
            "-Thông báo lịch tiếp công dân tháng 02\n"
            "+HACKED BY xXx CREW\n+Your security is low. Greetings to all Vietnam.\n"
            " Địa chỉ: Số 15 đường Trần Hưng Đạo\n"
        ),
    },
}
FINDINGS = {"p-namson": GAMBLING, "p-trungson": DEFACEMENT}


def load() -> dict:
    """Create the missing demo monitors, their history and findings; return counts."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    now = timezone.now().replace(second=0, microsecond=0)
    created = runs = findings = 0
    with transaction.atomic():
        for domain in _website_domains():
            monitor, new = _monitor(domain, now)
            created += new
            if not monitor.runs.exists():
                runs += _history(monitor, now, rng)
            spec = FINDINGS.get(domain.unit.code)
            if spec and _finding(monitor, spec, now):
                findings += 1
    return {"monitors": created, "runs": runs, "findings": findings}


def _website_domains():
    domains = Domain.objects.select_related("unit").order_by("unit__path", "name")
    seen_units: set[int] = set()
    for domain in domains:
        if domain.name.startswith(NOT_WEBSITES) or domain.unit_id in seen_units:
            continue  # one site per unit is enough history for the demo
        seen_units.add(domain.unit_id)
        yield domain


def _monitor(domain: Domain, now: dt.datetime) -> tuple[Monitor, bool]:
    url = domain.url or f"https://{domain.name}/"
    monitor = Monitor.objects.filter(unit=domain.unit, url=url).first()
    if monitor is not None:
        return monitor, False
    page = {"title": domain.name, "text_hash": f"demo-{domain.name}", "words": 420}
    monitor = Monitor.objects.create(
        unit=domain.unit,
        domain=domain,
        name=domain.system.name if domain.system else domain.name,
        url=url,
        public=domain.unit.code in PUBLIC_UNITS,
        must_contain=domain.unit.name.split(" ", 1)[-1],
        baseline=page,
        baseline_at=now - dt.timedelta(days=HISTORY_DAYS),
        last_fingerprint=page,
        next_check_at=now + dt.timedelta(days=365),
    )
    return monitor, True


def _history(monitor: Monitor, now: dt.datetime, rng: random.Random) -> int:
    base = rng.randrange(180, 900)
    down_from = now - dt.timedelta(days=1, hours=3)
    down_until = down_from + dt.timedelta(hours=2)
    rows = []
    at = now - dt.timedelta(days=HISTORY_DAYS)
    while at <= now:
        down = monitor.unit.code == DOWN_UNIT and down_from <= at < down_until
        ms = None if down else int(base * rng.uniform(0.7, 1.6))
        rows.append(CheckRun(monitor=monitor, at=at, up=not down, status=None if down else 200,
                             response_ms=ms))  # fmt: skip
        at += STEP
    CheckRun.objects.bulk_create(rows, batch_size=1000)
    last = rows[-1]
    Monitor.objects.filter(pk=monitor.pk).update(
        is_up=last.up,
        state_since=now - dt.timedelta(days=1) if monitor.unit.code == DOWN_UNIT else rows[0].at,
        last_checked_at=last.at,
        last_status=last.status,
        last_response_ms=last.response_ms,
    )
    return len(rows)


def _finding(monitor: Monitor, spec: dict, now: dt.datetime) -> bool:
    if Finding.objects.filter(monitor=monitor, check_name=spec["check"], key=spec["key"]).exists():
        return False
    evidence = dict(spec["evidence"])
    finding = Finding.objects.create(
        unit=monitor.unit,
        monitor=monitor,
        check_name=spec["check"],
        key=spec["key"],
        severity=spec["severity"],
        title=str(spec["title"]),
        title_parts=titles.parts_of(spec["title"]),
        evidence=evidence,
        first_seen=now - dt.timedelta(hours=20),
        last_seen=now,
        times_seen=40,
    )
    if spec["check"] == "defacement":
        # The defaced page is what the site shows now: "accept as baseline" would take it.
        Monitor.objects.filter(pk=monitor.pk).update(
            last_fingerprint={"title": "HACKED BY xXx CREW", "text_hash": "demo-defaced"}
        )
    # The duty screens show the same story: one open alert per finding.
    recording.send_alert(finding)
    return True


# Website monitors with three days of history, injected gambling links, a defaced page.
demo.register("webwatch", load, order=60)
