"""The demo city's ISP requests: one per demo ISP, at three stages.

VNPT was asked to find the subscribers behind the botnet IPs only its ranges hold (from the
demo lists' unattributed sightings, or two documentation addresses when there are none),
acknowledged and answered one; Viettel was asked to block a C2 server and a scam domain and
is overdue; FPT is asked for its Tết duty staffing, due in three days. Idempotent: a request
is found by (ISP, subject).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.core import demo
from citysoc.core.models import Unit
from citysoc.isps import requesting
from citysoc.isps.models import IspRequest, IspRequestItem

SUBSCRIBERS = "Xác minh, thông báo thuê bao có địa chỉ IP nhiễm mã độc (botnet)"
BLOCK = "Ngăn chặn máy chủ điều khiển mã độc và tên miền lừa đảo"
STAFFING = "Báo cáo bố trí lực lượng trực ATTT dịp Tết Nguyên đán"


def load() -> None:
    isps = {u.code: u for u in Unit.objects.filter(kind=Unit.Kind.ISP)}
    now = timezone.now()
    if "isp-vnpt" in isps:
        _subscribers(isps["isp-vnpt"], now)
    if "isp-viettel" in isps:
        lines = requesting.parse_lines("block", "203.0.113.66 C2 Mirai\nvnpt-khuyenmai.example")
        _send(isps["isp-viettel"], "block", BLOCK, lines, now - dt.timedelta(hours=6))
    if "isp-fpt" in isps:
        lines = requesting.parse_lines("staffing", "Danh sách trực 24/7, số điện thoại, ca trực")
        _send(isps["isp-fpt"], "staffing", STAFFING, lines, now + dt.timedelta(days=3))


def _send(isp, kind, subject, lines, due_at) -> IspRequest | None:
    if IspRequest.objects.filter(unit=isp, subject=subject).exists():
        return None
    return requesting.send(isp, kind=kind, subject=subject, lines=lines, due_at=due_at)


def _subscribers(isp, now) -> None:
    lines = requesting.unattributed_lines(isp) or requesting.parse_lines(
        "subscribers", "203.0.113.20 Mirai\n203.0.113.21 Emotet"
    )
    request = _send(isp, "subscribers", SUBSCRIBERS, lines[:20], now + dt.timedelta(days=1))
    if request is None:
        return
    first = request.items.first()
    if first is None:
        return
    IspRequestItem.objects.filter(pk=first.pk).update(
        answer=IspRequestItem.Answer.NOTIFIED,
        comment="Đã gọi điện và gửi thư cho thuê bao, hướng dẫn quét mã độc.",
        answered_at=now,
    )
    IspRequest.objects.filter(pk=request.pk).update(
        status=IspRequest.Status.ACKNOWLEDGED, acknowledged_at=now
    )


# Requests to the three ISPs: answered in part, overdue, and due in three days.
demo.register("isps", load, order=70)
