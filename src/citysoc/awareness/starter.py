"""The starter content shipped with citysoc: courses, quizzes and drill templates.

`load()` is idempotent: courses and templates are found by slug, lessons, questions and
answers by their place, and updated in place, so ids kept in quiz attempts stay valid and
re-running changes nothing that is already as shipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from citysoc.awareness.models import (
    Choice,
    Course,
    CourseFile,
    DrillTemplate,
    Lesson,
    Question,
)
from citysoc.lib import yamldata

STARTER = Path(__file__).parent / "data" / "starter.yaml"
COURSE_FIELDS = ("title", "summary", "pass_mark", "questions_per_attempt", "max_attempts")
TEMPLATE_FIELDS = (
    "name", "sender_name", "sender_address", "subject", "body",
    "landing_title", "landing_text", "landing_fields", "signs",
)  # fmt: skip


@dataclass
class Loaded:
    """What a load did, for the CLI's summary line and --json."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def load(path: Path = STARTER) -> Loaded:
    """Create or update every course and drill template of the starter file."""
    data = yamldata.load(path.read_text(encoding="utf-8"))
    loaded = Loaded()
    with transaction.atomic():
        for spec in data.get("courses", []):
            _record(loaded, spec["slug"], *_course(spec, data.get("version", 1), path.parent))
        for spec in data.get("drill_templates", []):
            _record(loaded, spec["slug"], *_template(spec))
    return loaded


def _record(loaded: Loaded, slug: str, created: bool, changed: bool) -> None:
    (loaded.created if created else loaded.updated if changed else loaded.unchanged).append(slug)


def _set(obj: Any, values: dict[str, Any]) -> bool:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    if changed or obj.pk is None:
        obj.save()
    return bool(changed)


def _course(spec: dict, version: int, folder: Path) -> tuple[bool, bool]:
    course = Course.objects.filter(slug=spec["slug"]).first()
    created = course is None
    course = course or Course(slug=spec["slug"], origin="starter")
    values = {k: spec[k] for k in COURSE_FIELDS if k in spec}
    values.update(is_remedial=bool(spec.get("is_remedial")), version=version)
    changed = _set(course, values)
    changed |= _children(course.lessons.all(), spec.get("lessons", []), _lesson, course)
    changed |= _children(course.questions.all(), spec.get("questions", []), _question, course)
    changed |= _files(course, spec.get("files", []), folder)
    return created, changed and not created


def _files(course: Course, names: list[str], folder: Path) -> bool:
    """Images and attachments named in the file, read from beside it; kept by file name."""
    have = set(course.files.values_list("filename", flat=True))
    added = False
    for name in names:
        source = (folder / name).resolve()
        if not source.is_relative_to(folder.resolve()):
            raise ValueError(f"{name}: a course file must be beside the course file")
        if source.name in have:
            continue
        row = CourseFile(course=course, filename=source.name)
        row.file.save(source.name, ContentFile(source.read_bytes()), save=True)
        added = True
    return added


def _children(existing, specs: list[dict], save_one, parent) -> bool:
    rows = list(existing.order_by("order"))
    changed = len(rows) != len(specs)
    for order, spec in enumerate(specs, 1):
        row = rows[order - 1] if order <= len(rows) else None
        changed |= save_one(parent, row, order, spec)
    for extra in rows[len(specs) :]:
        extra.delete()
    return changed


def _lesson(course: Course, row: Lesson | None, order: int, spec: dict) -> bool:
    row = row or Lesson(course=course)
    return _set(row, {"order": order, "title": spec["title"], "body": spec["body"]})


def _question(course: Course, row: Question | None, order: int, spec: dict) -> bool:
    row = row or Question(course=course)
    values = {
        "order": order,
        "pool": spec.get("pool", ""),
        "kind": spec.get("kind", Question.Kind.SINGLE),
        "text": spec["text"],
        "explanation": spec.get("explanation", ""),
    }
    changed = _set(row, values)
    return _children(row.choices.all(), spec["choices"], _choice, row) or changed


def _choice(question: Question, row: Choice | None, order: int, spec: dict) -> bool:
    row = row or Choice(question=question)
    return _set(row, {"order": order, "text": spec["text"], "is_correct": bool(spec["correct"])})


def _template(spec: dict) -> tuple[bool, bool]:
    template = DrillTemplate.objects.filter(slug=spec["slug"]).first()
    created = template is None
    template = template or DrillTemplate(slug=spec["slug"])
    changed = _set(template, {k: spec[k] for k in TEMPLATE_FIELDS if k in spec})
    return created, changed and not created
