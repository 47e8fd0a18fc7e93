"""Taking a course: enrolling a person, drawing a quiz attempt, marking it.

The rules (which questions, what passes) are in `quizzes.py`; this module reads and
writes the rows around them.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from citysoc.awareness import quizzes
from citysoc.awareness.models import Attempt, Course, DrillEvent, Enrolment, Question
from citysoc.core.models import Person


class QuizClosed(Exception):
    """No attempt may be started: passed already, or no attempts left."""


def enrol(
    person: Person,
    course: Course,
    *,
    reason: str,
    due_on: dt.date | None = None,
    target=None,
) -> Enrolment:
    """An open enrolment of `person` in `course` outside a programme, reusing one still open."""
    open_one = Enrolment.objects.filter(
        person=person, course=course, programme=None, status=Enrolment.Status.ASSIGNED
    ).first()
    if open_one is not None:
        return open_one
    return Enrolment.objects.create(
        unit=person.unit, person=person, course=course, reason=reason, due_on=due_on,
        target=target,
    )  # fmt: skip


def records(course: Course, ids: list[int] | None = None) -> list[quizzes.QuestionRecord]:
    questions = course.questions.prefetch_related("choices")
    if ids is not None:
        questions = questions.filter(pk__in=ids)
    return [
        quizzes.QuestionRecord(
            id=q.pk,
            pool=q.pool,
            correct=frozenset(c.pk for c in q.choices.all() if c.is_correct),
            multiple=q.kind == Question.Kind.MULTIPLE,
        )
        for q in questions
    ]


def start(enrolment: Enrolment, *, rng: random.Random | None = None) -> Attempt:
    """A new attempt with its questions drawn; refused when the course is passed or closed."""
    course = enrolment.course
    if enrolment.status != Enrolment.Status.ASSIGNED:
        raise QuizClosed(enrolment.get_status_display())
    if quizzes.attempts_left(enrolment.attempts, course.max_attempts) == 0:
        raise QuizClosed("no attempts left")
    ids = quizzes.draw(
        records(course),
        count=course.questions_per_attempt,
        shuffle=course.shuffle,
        rng=rng or random.SystemRandom(),
    )
    return Attempt.objects.create(unit=enrolment.unit, enrolment=enrolment, question_ids=ids)


def submit(attempt: Attempt, answers: dict[int, set[int]]) -> quizzes.Result:
    """Mark an attempt once; the enrolment keeps its best score and closes on a pass or on
    the last allowed attempt."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        enrolment = Enrolment.objects.select_for_update().get(pk=attempt.enrolment_id)
        by_id = {r.id: r for r in records(enrolment.course, attempt.question_ids)}
        asked = [by_id[i] for i in attempt.question_ids if i in by_id]
        result = quizzes.score(asked, answers, pass_mark=enrolment.course.pass_mark)
        if attempt.finished_at is not None:
            return result  # a second post of the same page changes nothing
        attempt.answers = {str(k): sorted(v) for k, v in answers.items()}
        attempt.score, attempt.passed = result.percent, result.passed
        attempt.finished_at = timezone.now()
        attempt.save()
        _close(enrolment, result)
    if result.passed and enrolment.target_id:
        # The drill's record of this person: the course it sent them to is passed.
        DrillEvent.objects.create(unit_id=enrolment.unit_id, target_id=enrolment.target_id,
                                  kind=DrillEvent.Kind.PASSED,
                                  details={"course": enrolment.course.slug})  # fmt: skip
    return result


def _close(enrolment: Enrolment, result: quizzes.Result) -> None:
    enrolment.attempts += 1
    enrolment.best_score = max(enrolment.best_score or 0, result.percent)
    if result.passed:
        enrolment.status = Enrolment.Status.PASSED
        enrolment.completed_at = timezone.now()
    elif quizzes.attempts_left(enrolment.attempts, enrolment.course.max_attempts) == 0:
        enrolment.status = Enrolment.Status.FAILED
    enrolment.save()


def person_of(user) -> Person | None:
    """The person record a logged-in user takes courses as (their first active one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, is_active=True).select_related("unit").first()
