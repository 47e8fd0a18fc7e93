"""The demo city's Tết directive: issued to every unit, answered with a realistic mix.

Called from `citysoc demo` after the units exist; loading twice changes nothing.
"""

from __future__ import annotations

import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from citysoc.core import audit, demo
from citysoc.directives import issuing, templating
from citysoc.directives.models import Assignment, Directive, Evidence

SEED = 2024
REPORTS = {
    "inventory": "Đã rà soát {n} hệ thống thông tin; bổ sung tường lửa cho cổng thông tin.",
    "duty": "Đã phân công {n} cán bộ trực 24/24 từ 28 Tết đến mùng 6; lịch trực kèm theo.",
    "botnet": "Đã quét {n} máy trạm, gỡ mã độc trên 2 máy có IP trong danh sách botnet.",
    "vulns": "Đã vá {n} lỗ hổng mức cao; còn 1 lỗ hổng chờ nhà cung cấp.",
    "awareness": "Đã tổ chức buổi phổ biến kỹ năng nhận diện lừa đảo cho {n} cán bộ.",
    "incidents": "Đã niêm yết đầu mối VNCERT/CC và NCSC tại phòng trực.",
    "": "Đã thực hiện.",
}


def next_tet_year() -> int:
    today = timezone.localdate()
    return today.year if templating.tet_day(today.year) >= today else today.year + 1


def _answer(a: Assignment, rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.45:
        a.status = Assignment.Status.DONE
        a.report = REPORTS.get(a.item.area, REPORTS[""]).format(n=rng.randrange(2, 30))
    elif roll < 0.65:
        a.status = Assignment.Status.IN_PROGRESS
        a.report = "Đang triển khai."
    elif roll < 0.72:
        a.status = Assignment.Status.NOT_APPLICABLE
        a.reason = "Đơn vị không quản lý máy chủ; dùng hệ thống dùng chung của thành phố."
    else:
        return
    a.answered_at = timezone.now()
    a.save()
    if a.status == Assignment.Status.DONE and a.item.evidence_required and rng.random() < 0.7:
        name = f"bien-ban-{a.unit.code}-{a.item.order}.txt"
        Evidence.objects.create(
            assignment=a,
            unit=a.unit,
            file=ContentFile(f"Biên bản: {a.report}\n".encode(), name),
            filename=name,
        )


def load_tet(year: int | None = None) -> Directive:
    """The Tết directive of `year` (default: the next Tết), issued and partly answered."""
    year = year or next_tet_year()
    subject_tail = f"{templating.can_chi(year)} {year}"
    found = Directive.objects.filter(template="tet", subject__endswith=subject_tail).first()
    if found is not None:
        return found
    rng = random.Random(SEED + year)  # noqa: S311 - repeatable demo data, not secrets
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        directive = templating.instantiate_template("tet", year=year)
        directive.number = str(rng.randrange(10, 300))
        # The number and date of the letter it implements, as the office would type them.
        directive.legal_bases = directive.legal_bases.replace(
            "Công văn số …", f"Công văn số {rng.randrange(100, 900)}", 1
        ).replace("ngày …/", "ngày 06/", 1)
        directive.signer_name = "Nguyễn Văn Minh"
        directive.save()
        for a in issuing.issue(directive, by=None):
            _answer(a, rng)
    return directive


# The Tết directive issued to the demo city, partly answered, so the matrix has a story.
demo.register("directives", load_tet, order=10)
