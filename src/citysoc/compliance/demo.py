"""The demo city's compliance story: the libraries loaded, and a handful of systems assessed
(one completed a year ago and reassessed, several in progress with gaps), so the city view's
heatmap, the gap lists and the diff page have something to show.

Idempotent: a system that already has an assessment is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Case, When
from django.utils import timezone

from citysoc.compliance import assessing, libraries
from citysoc.compliance.models import Assessment, AssessmentItem
from citysoc.core import audit, demo
from citysoc.inventory.models import InformationSystem

S = AssessmentItem.Status
# Status mix per system: how likely each answer is (met, partly, not met, n/a).
MIX = (0.6, 0.2, 0.15, 0.05)
SYSTEMS = 8


def _answer_all(assessment: Assessment, rng: random.Random, *, fraction: float) -> None:
    today = timezone.localdate()
    items = list(assessment.items.select_related("requirement").order_by("requirement__order"))
    for item in items[: int(len(items) * fraction)]:
        status = rng.choices([S.MET, S.PARTLY, S.NOT_MET, S.NOT_APPLICABLE], MIX)[0]
        gap = status in (S.PARTLY, S.NOT_MET)
        assessing.answer(
            item,
            by=None,
            status=status,
            note="Đã kiểm tra tài liệu và cấu hình thực tế." if status == S.MET else "",
            reason="Hệ thống không có thành phần này." if status == S.NOT_APPLICABLE else "",
            gap_owner="Tổ CNTT của đơn vị" if gap else "",
            gap_due=today + dt.timedelta(days=rng.choice([-10, 15, 45])) if gap else None,
        )


def load() -> dict:
    with audit.acting_as(None, via="cli", label="demo"):
        libraries.load_all()
        rng = random.Random(331)  # noqa: S311 - a repeatable demo, not a secret
        systems = (
            InformationSystem.objects.filter(security_level__isnull=False)
            .select_related("unit")
            # Wards first, so the demo ward logins (bacson.admin…) have an assessment.
            .order_by(Case(When(unit__kind="ward", then=0), default=1), "unit__path", "name")
        )
        made = 0
        units: set[int] = set()
        for system in systems:
            # One system per unit, so the heatmap has rows and each ward has something.
            if made >= SYSTEMS or system.unit_id in units:
                continue
            units.add(system.unit_id)
            if system.assessments.exists():
                made += 1  # done by an earlier run
                continue
            choices = assessing.libraries_for(system)
            if not choices:
                continue
            library = choices[0]
            if made == 0:
                # Last year's assessment, completed, then this year's: the diff page.
                old = assessing.start(system, library, by=None, title="Đánh giá năm trước")
                _answer_all(old, rng, fraction=1.0)
                assessing.complete(old, on=timezone.localdate() - dt.timedelta(days=380))
                Assessment.objects.filter(pk=old.pk).update(
                    started_on=timezone.localdate() - dt.timedelta(days=400)
                )
            current = assessing.start(system, library, by=None, title="Đánh giá định kỳ")
            _answer_all(current, rng, fraction=1.0 if made % 3 == 0 else 0.6)
            if made % 3 == 0:
                assessing.complete(current)
            made += 1
    return {"assessments": made}


# The framework libraries and a few systems assessed against them.
demo.register("compliance", load, order=30)
