"""The demo city's botnet story: two monthly lists from the authorities, tasks opened by
the first, some reported cleaned, the second verifying most and reopening one.

The lists are built from the demo units' own public ranges (so the addresses are always
theirs) plus addresses outside the city, written as the authorities' sheet with Vietnamese
headers. Idempotent: a list already imported is not imported again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import ipaddress
import random

from django.db.models import Case, When
from django.utils import timezone

from citysoc.core import audit, demo
from citysoc.intel import cleanup, importing
from citysoc.intel.models import CleanupTask, ListVersion
from citysoc.inventory.models import IpRange

SOURCE = "VNCERT — danh sách IP botnet"
FAMILIES = ["mirai", "necurs", "conficker", "sality", "ramnit", "andromeda", "gamut", "qsnatch"]
HEADER = ["STT", "Địa chỉ IP", "Thời gian", "Loại mã độc", "Máy chủ C&C", "Cổng C&C", "Nhà mạng"]


def _addresses(rng: random.Random) -> list[str]:
    # Wards first, so the demo ward logins (bacson.admin…) have tasks to work.
    ranges = (
        IpRange.objects.filter(version=4, scope=IpRange.Scope.PUBLIC)
        .exclude(unit__kind="isp")
        .order_by(Case(When(unit__kind="ward", then=0), default=1), "unit__path", "text")
    )
    picked = []
    for r in list(ranges)[:8]:
        net = ipaddress.ip_network(r.text, strict=False)
        for _ in range(2):
            if net.num_addresses <= 2:
                picked.append(str(net.network_address))
                break
            offset = rng.randrange(1, min(net.num_addresses - 1, 250))
            picked.append(str(net.network_address + offset))
    return picked


def _sheet(rows: list[tuple[str, str]], days_ago: int, rng: random.Random) -> bytes:
    """The sheet; observations fall in the week before `days_ago` days ago."""
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i, (ip, family) in enumerate(rows, 1):
        writer.writerow(
            [
                i,
                ip,
                (end - dt.timedelta(days=rng.randrange(7))).strftime("%d/%m/%Y")
                + f" {rng.randrange(24):02d}:00",
                family,
                f"c2-{rng.randrange(60)}.example.net",
                rng.choice([23, 80, 443, 7547, 8080]),
                rng.choice(["VNPT", "Viettel", "FPT"]),
            ]
        )
    return out.getvalue().encode("utf-8")


def _period(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%Y-%m")


def load() -> dict:
    rng = random.Random(2024)  # noqa: S311 - a repeatable demo, not a secret
    inside = _addresses(rng)
    if not inside:
        return {"versions": 0}
    # Outside every unit; one in an ISP's range only (shown to the ISP); one typo.
    outside = ["203.0.113.250", "192.0.2.140", "not-an-ip"]
    january = [(ip, rng.choice(FAMILIES)) for ip in inside[:12] + outside]
    # This month: most of last month's addresses are gone, three stay, some are new.
    february = january[6:9] + [(ip, rng.choice(FAMILIES)) for ip in inside[12:16]]
    source = importing.source_named(SOURCE)
    made = 0
    with audit.acting_as(None, via="cli", label="demo"):
        first, created = importing.receive(
            source, _sheet(january, 40, rng), "botnet-thang-truoc.csv", period=_period(40)
        )
        if first.status != ListVersion.Status.DONE:
            importing.process(first)
            made += 1
        if created or not ListVersion.objects.filter(source=source, period=_period(2)).exists():
            # The units report most of January's tasks cleaned before February's list.
            for task in CleanupTask.objects.filter(opened_by_version=first).order_by("ip")[:8]:
                if task.status == CleanupTask.Status.OPEN:
                    cleanup.report_cleaned(
                        task,
                        user=None,
                        tool="Kaspersky Endpoint Security",
                        findings="Đã quét toàn bộ máy, gỡ bỏ mã độc và đổi mật khẩu.",
                    )
            CleanupTask.objects.filter(opened_by_version=first, cleaned_at__isnull=False).update(
                cleaned_at=timezone.now() - dt.timedelta(days=20)
            )
            second, _ = importing.receive(
                source, _sheet(february, 2, rng), "botnet-thang-nay.csv", period=_period(2)
            )
            if second.status != ListVersion.Status.DONE:
                importing.process(second)
                made += 1
    return {"versions": made}


# Two monthly botnet lists: tasks opened, cleaned, verified and one reopened.
demo.register("intel", load, order=20)
