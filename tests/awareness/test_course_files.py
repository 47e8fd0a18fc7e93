"""A course's images and attachments are served by the hub to logged-in users (no media URL)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from citysoc.awareness.models import CourseFile
from tests import factories

pytestmark = pytest.mark.django_db


def _files(course):
    image = CourseFile.objects.create(
        course=course, filename="qr.png", file=ContentFile(b"\x89PNG\r\n", "qr.png")
    )
    sheet = CourseFile.objects.create(
        course=course, filename="huong-dan.pdf", file=ContentFile(b"%PDF-1.4", "huong-dan.pdf")
    )
    return image, sheet


def test_the_course_page_links_its_attachment_through_the_hub(
    client_as, officer_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course = factories.make_course(slug="files", title="Tệp bài học")
    image, sheet = _files(course)
    client = client_as(officer_a)
    page = client.get(f"/awareness/courses/{course.pk}/").content.decode()
    assert f'href="/awareness/course-files/{sheet.pk}/"' in page
    assert "/media/" not in page
    download = client.get(f"/awareness/course-files/{sheet.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    shown = client.get(f"/awareness/course-files/{image.pk}/")
    assert shown.status_code == 200 and not shown["Content-Disposition"].startswith("attachment")


def test_course_files_need_a_login(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image, _sheet = _files(factories.make_course(slug="files2", title="Tệp"))
    assert client.get(f"/awareness/course-files/{image.pk}/").status_code == 302
