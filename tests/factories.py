"""Plain factory functions for tests: readable, no JSON fixtures."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from citysoc.core.models import Person, Unit
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange

PASSWORD = "Correct-Horse-42"
_seq = itertools.count(1)


def make_unit(
    code: str, *, kind: str = Unit.Kind.WARD, parent: Unit | None = None, name: str = ""
) -> Unit:
    return Unit.objects.create(code=code, name=name or f"Unit {code}", kind=kind, parent=parent)


def make_user(username: str, *, unit: Unit, role: str, password: str = PASSWORD):
    user = get_user_model().objects.create_user(username, f"{username}@example.gov.vn", password)
    Person.objects.create(
        unit=unit, user=user, full_name=username.title(), role=role, email=user.email
    )
    return user


def make_system(unit: Unit, *, name: str = "", level: int | None = 2, **extra) -> InformationSystem:
    extra.setdefault("system_type", InformationSystem.Type.INTERNAL)
    return InformationSystem.objects.create(
        unit=unit, name=name or f"System {next(_seq)}", security_level=level, **extra
    )


def make_host(unit: Unit, *, hostname: str = "", ipv4: str | None = None, **extra) -> Host:
    return Host.objects.create(
        unit=unit, hostname=hostname or f"host-{next(_seq)}", ipv4=ipv4, **extra
    )


def make_range(unit: Unit, text: str, **extra) -> IpRange:
    r = IpRange(unit=unit, text=text, **extra)
    r.set_range(text)
    r.save()
    return r


def make_domain(unit: Unit, name: str, **extra) -> Domain:
    return Domain.objects.create(unit=unit, name=name, **extra)


def make_directive(issuer: Unit, *, subject: str = "", items: int = 2, **extra):
    """A draft directive from `issuer` with `items` action items for every recipient."""
    from citysoc.directives.models import ActionItem, Directive

    directive = Directive.objects.create(
        unit=issuer, subject=subject or f"V/v directive {next(_seq)}", **extra
    )
    for order in range(1, items + 1):
        ActionItem.objects.create(directive=directive, order=order, text=f"Item {order}")
    return directive


def make_vuln_finding(unit: Unit, *, severity: str = "high", title: str = "", **extra):
    """An open vulnerability finding of `unit` (scoreboard and work page tests)."""
    from django.utils import timezone

    from citysoc.vulns.models import Finding

    now = timezone.now()
    n = next(_seq)
    return Finding.objects.create(
        unit=unit,
        tool="nmap",
        title=title or f"finding {n}",
        severity=severity,
        first_seen=now,
        last_seen=now,
        dedupe_key=f"{unit.code}-{n}",
        **extra,
    )


def make_course(*, slug: str = "", questions: int = 4, pass_mark: int = 75, **extra):
    """A course with one lesson and `questions` single-choice questions (first answer right)."""
    from citysoc.awareness.models import Choice, Course, Lesson, Question

    course = Course.objects.create(
        slug=slug or f"course-{next(_seq)}", title=extra.pop("title", "Khoá học"),
        pass_mark=pass_mark, **extra,
    )  # fmt: skip
    Lesson.objects.create(course=course, title="Bài 1", body="**Dừng lại**, kiểm tra, báo cáo.")
    for n in range(1, questions + 1):
        q = Question.objects.create(course=course, order=n, pool=f"p{n % 2}", text=f"Câu {n}?")
        Choice.objects.create(question=q, order=1, text="Đúng", is_correct=True)
        Choice.objects.create(question=q, order=2, text="Sai", is_correct=False)
    return course


def make_drill(unit: Unit, *, name: str = "", course=None):
    """A draft drill of `unit` on the first drill template (made when there is none)."""
    from citysoc.awareness.models import Drill, DrillTemplate

    template = DrillTemplate.objects.first() or DrillTemplate.objects.create(
        slug="test-bonus", name="Thưởng Tết", sender_name="Phòng Tổ chức",
        sender_address="tochuc@thuong-tet.example", subject="Xác nhận thưởng Tết",
        body="Kính gửi {{name}},\n\nXác nhận tại: {{link}}\n", landing_title="Xác nhận",
        landing_fields=["email", "password"], signs="Tên miền lạ.",
    )  # fmt: skip
    return Drill.objects.create(
        unit=unit, name=name or f"Drill {next(_seq)}", template=template, course=course
    )
