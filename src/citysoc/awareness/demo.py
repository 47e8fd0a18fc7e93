"""The demo city's awareness: the starter course, a Tết programme half completed, and a
finished phishing drill with opens, clicks, a submitted form and reports.

Idempotent: staff are found by (unit, name), the programme and the drill by name; the
drill's results are written only when it has no recipients yet. Nothing is sent: the
demo drill's events are recorded directly.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from citysoc.awareness import drills, programmes, starter
from citysoc.awareness.models import Course, Drill, DrillTemplate, Enrolment, Programme
from citysoc.core import demo
from citysoc.core.models import Person, Unit

SEED = 20250129
WARDS = ("p-bacson", "p-namson", "x-yenson")
STAFF = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Minh Châu", "Phạm Thu Dung", "Hoàng Đức Em",
         "Vũ Ngọc Giang"]  # fmt: skip
PROGRAMME = "Nhận diện lừa đảo dịp Tết Nguyên đán"
DRILL = "Diễn tập thư giả mạo: thưởng Tết"


def load() -> None:
    starter.load()
    units = {u.code: u for u in Unit.objects.filter(code__in=("tamdiep", *WARDS))}
    if "tamdiep" not in units:
        return
    with transaction.atomic():
        staff = _staff(units)
        _programme(units, staff)
        _drill(units["tamdiep"], staff)


def _staff(units: dict[str, Unit]) -> list[Person]:
    people = []
    for code in WARDS:
        unit = units.get(code)
        if unit is None:
            continue
        for n, name in enumerate(STAFF):
            person = Person.objects.filter(unit=unit, full_name=name).first()
            people.append(person or Person.objects.create(
                unit=unit, full_name=name, title="Công chức", email=f"cb{n + 1}.{code}@example.vn"
            ))  # fmt: skip
    return people


def _programme(units: dict[str, Unit], staff: list[Person]) -> None:
    course = Course.objects.get(slug="tet-scams")
    today = timezone.localdate()
    programme, created = Programme.objects.get_or_create(
        unit=units["tamdiep"], name=PROGRAMME,
        defaults={"starts_on": today - dt.timedelta(days=20), "due_days": 30,
                  "recurrence_days": 365},
    )  # fmt: skip
    if not created:
        return
    programme.courses.add(course)
    programme.audience_people.add(*staff)
    programmes.assign(programme, today=today)
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data
    for enrolment in programme.enrolments.order_by("pk"):
        if rng.random() < 0.5:
            score = rng.choice([80, 90, 100])
            Enrolment.objects.filter(pk=enrolment.pk).update(
                status=Enrolment.Status.PASSED, best_score=score, attempts=rng.choice([1, 2]),
                completed_at=timezone.now() - dt.timedelta(days=rng.randrange(1, 15)),
            )  # fmt: skip


def _drill(city: Unit, staff: list[Person]) -> None:
    template = DrillTemplate.objects.get(slug="tet-bonus")
    remedial = Course.objects.filter(is_remedial=True).first()
    drill, _ = Drill.objects.get_or_create(
        unit=city, name=DRILL, defaults={"template": template, "course": remedial}
    )
    if drill.targets.exists():
        return
    drills.add_targets(drill, staff)
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable demo data
    for target in drill.targets.order_by("pk"):
        for kind in _story(rng):
            details = {"fields": ["email", "password"]} if kind == "submitted" else {}
            drills.record(target, kind, details)
    drill.sent_at = timezone.now() - dt.timedelta(days=6)
    drill.finished_at = timezone.now() - dt.timedelta(days=1)
    drill.status = Drill.Status.FINISHED
    drill.save()


def _story(rng: random.Random) -> list[str]:
    """What one recipient did: about half open, a quarter click, a few submit or report."""
    roll = rng.random()
    if roll < 0.1:
        return ["sent", "opened", "clicked", "submitted"]
    if roll < 0.3:
        return ["sent", "opened", "clicked"]
    if roll < 0.45:
        return ["sent", "opened", "reported"]
    if roll < 0.6:
        return ["sent", "opened"]
    return ["sent"]


# The starter course, a Tết programme half completed and a finished phishing drill.
demo.register("awareness", load, order=90)
