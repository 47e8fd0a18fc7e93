"""Courses as a user: the starter course loads once, lessons render safely, the quiz marks,
retries stop at the limit, a pass gives a PDF certificate."""

from __future__ import annotations

import json

import pytest

from citysoc import cli
from citysoc.awareness import content
from citysoc.awareness.models import Attempt, Course, DrillTemplate, Enrolment, Question
from citysoc.core.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_load_starter_creates_the_vietnamese_course_then_changes_nothing(capsys):
    assert cli.main(["awareness", "load-starter", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert "tet-scams" in first["created"] and "tet-bonus" in first["created"]
    course = Course.objects.get(slug="tet-scams")
    titles = " ".join(course.lessons.values_list("title", flat=True))
    assert "Tết" in titles and "Mật khẩu" in titles and "Báo cáo" in titles
    questions = course.questions.count()
    assert cli.main(["awareness", "load-starter", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["created"] == [] and second["updated"] == []
    assert course.questions.count() == questions
    assert Course.objects.filter(is_remedial=True).exists()
    assert DrillTemplate.objects.count() == 3


def test_raw_html_and_script_links_in_a_lesson_are_not_rendered():
    html = content.render("<script>alert(1)</script> [x](javascript:alert(1)) **đậm**")
    assert "<script>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "<strong>đậm</strong>" in html


def test_an_image_named_like_a_course_file_points_at_it():
    html = content.render("![poster](poster.png)", {"poster.png": "/media/a/poster.png"})
    assert 'src="/media/a/poster.png"' in html


def _answers(attempt, right: int):
    data = {"attempt": attempt.pk}
    for n, qid in enumerate(attempt.question_ids):
        q = Question.objects.get(pk=qid)
        data[f"q{qid}"] = str(q.choices.get(is_correct=n < right).pk)
    return data


def test_a_person_takes_the_quiz_passes_and_downloads_a_certificate(client, officer_a):
    course = factories.make_course(questions=4, pass_mark=75)
    client.force_login(officer_a)
    page = client.get(f"/awareness/courses/{course.pk}/")
    assert "<strong>Dừng lại</strong>" in page.content.decode()
    quiz = client.get(f"/awareness/courses/{course.pk}/quiz/")
    assert quiz.status_code == 200
    attempt = Attempt.objects.get()
    result = client.post(f"/awareness/courses/{course.pk}/quiz/", _answers(attempt, 3))
    assert "75%" in result.content.decode()
    enrolment = Enrolment.objects.get(person__user=officer_a)
    assert enrolment.status == Enrolment.Status.PASSED and enrolment.best_score == 75
    pdf = client.get(f"/awareness/enrolments/{enrolment.pk}/certificate/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_failed_attempt_can_be_retried_until_the_limit(client, officer_a):
    course = factories.make_course(questions=2, pass_mark=100, max_attempts=2)
    client.force_login(officer_a)
    for _ in range(2):
        client.get(f"/awareness/courses/{course.pk}/quiz/")
        attempt = Attempt.objects.filter(finished_at=None).get()
        client.post(f"/awareness/courses/{course.pk}/quiz/", _answers(attempt, 1))
    enrolment = Enrolment.objects.get(person__user=officer_a)
    assert (enrolment.status, enrolment.attempts) == (Enrolment.Status.FAILED, 2)
    again = client.get(f"/awareness/courses/{course.pk}/quiz/")
    assert again.status_code == 302 and Attempt.objects.count() == 2


def test_posting_the_same_attempt_twice_counts_once(client, officer_a):
    course = factories.make_course(questions=2, pass_mark=100)
    client.force_login(officer_a)
    client.get(f"/awareness/courses/{course.pk}/quiz/")
    data = _answers(Attempt.objects.get(), 1)
    client.post(f"/awareness/courses/{course.pk}/quiz/", data)
    client.post(f"/awareness/courses/{course.pk}/quiz/", data)
    assert Enrolment.objects.get().attempts == 1


def test_no_certificate_before_passing_nor_for_another_wards_person(client, officer_a, unit_b):
    course = factories.make_course()
    other = Person.objects.create(unit=unit_b, full_name="Người B")
    theirs = Enrolment.objects.create(unit=unit_b, person=other, course=course,
                                      reason="self", status="passed")  # fmt: skip
    client.force_login(officer_a)
    assert client.get(f"/awareness/enrolments/{theirs.pk}/certificate/").status_code == 404


def test_a_city_course_file_brings_its_images_and_loads_once(capsys, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "poster.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "ours.yaml").write_text(
        "courses:\n  - slug: ours\n    title: Khoá của thành phố\n    files: [poster.png]\n"
        "    lessons:\n      - {title: Áp phích, body: '![áp phích](poster.png)'}\n"
        "    questions: []\n",
        encoding="utf-8",
    )
    for _ in range(2):
        assert cli.main(["awareness", "load-starter", "--file", str(tmp_path / "ours.yaml")]) == 0
    course = Course.objects.get(slug="ours")
    assert list(course.files.values_list("filename", flat=True)) == ["poster.png"]


def test_load_starter_refuses_a_missing_file(capsys):
    assert cli.main(["awareness", "load-starter", "--file", "/nonexistent.yaml"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_a_forged_or_foreign_attempt_is_not_found(client, officer_a, officer_b):
    course = factories.make_course()
    client.force_login(officer_b)
    client.get(f"/awareness/courses/{course.pk}/quiz/")
    theirs = Attempt.objects.get()
    client.force_login(officer_a)
    for value in ("abc", str(theirs.pk)):
        response = client.post(f"/awareness/courses/{course.pk}/quiz/", {"attempt": value})
        assert response.status_code == 404
