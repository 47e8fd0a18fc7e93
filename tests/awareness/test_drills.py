"""Phishing drills end to end: sent to a real SMTP server on 127.0.0.1, the recipient's
links followed with their tracking id, events in GoPhish's precedence, the click → course
loop, reporting, and per-person history."""

from __future__ import annotations

import re

import pytest

from citysoc.awareness import drills
from citysoc.awareness.models import Drill, DrillEvent, Enrolment, Target
from citysoc.core.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def remedial(db):
    return factories.make_course(slug="after-a-drill", is_remedial=True, questions=1)


def _drill(unit, n=2, course=None):
    drill = factories.make_drill(unit, course=course)
    people = [Person.objects.create(unit=unit, full_name=f"Nhân viên {i}",
                                    email=f"nv{i}@example.gov.vn") for i in range(n)]  # fmt: skip
    assert drills.add_targets(drill, Person.objects.filter(pk__in=[p.pk for p in people])) == n
    return drill


def _link(message, path=""):
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    text = html.get_payload(decode=True).decode()
    rid = re.search(r"/awareness/t/([\w-]+)/o\.gif", text).group(1)
    assert f"/awareness/t/{rid}/" in message.get_payload()[0].get_payload(decode=True).decode()
    return f"/awareness/t/{rid}/{path}", rid


def test_a_drill_is_sent_through_smtp_with_one_tracking_id_per_recipient(smtp, unit_a):
    drill = _drill(unit_a, n=2)
    result = drills.send(drill)
    assert (result.sent, result.failed) == (2, 0)
    assert sorted(m["To"] for m in smtp) == ["nv0@example.gov.vn", "nv1@example.gov.vn"]
    rids = {_link(m)[1] for m in smtp}
    assert rids == set(drill.targets.values_list("rid", flat=True))
    assert "Nhân viên" in smtp[0].get_payload()[0].get_payload(decode=True).decode()
    assert set(drill.targets.values_list("status", flat=True)) == {"sent"}
    drill.refresh_from_db()
    assert drill.status == Drill.Status.SENT


def test_an_unreachable_mail_server_marks_recipients_as_errors(settings, unit_a):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    drill = _drill(unit_a, n=1)
    assert drills.send(drill) == drills.Sent(0, 1)
    target = drill.targets.get()
    assert target.status == Target.Status.ERROR and "mail server" in target.error


def test_clicks_are_recorded_in_gophish_precedence_and_enrol_the_person(
    smtp, client, unit_a, remedial
):
    drill = _drill(unit_a, n=1)
    drills.send(drill)
    path, rid = _link(smtp[0])
    assert client.get(path + "o.gif")["Content-Type"] == "image/gif"
    landing = client.get(path)
    assert landing.status_code == 200
    client.get(path + "o.gif")  # an open after the click must not move the status back
    target = Target.objects.get(rid=rid)
    assert target.status == Target.Status.CLICKED
    kinds = list(target.events.values_list("kind", flat=True))
    assert kinds == ["sent", "opened", "clicked", "enrolled", "opened"]
    enrolment = Enrolment.objects.get(person=target.person)
    assert (enrolment.course, enrolment.reason, enrolment.target) == (remedial, "drill", target)


def test_a_submitted_form_keeps_field_names_never_values(smtp, client, unit_a, remedial):
    drill = _drill(unit_a, n=1)
    drills.send(drill)
    path, rid = _link(smtp[0])
    client.get(path)
    page = client.post(path + "submit/", {"email": "a@b.vn", "password": "Bí-mật-123"})
    assert "diễn tập" in page.content.decode() or "drill" in page.content.decode()
    event = DrillEvent.objects.get(kind="submitted")
    assert event.details == {"fields": ["email", "password"]}
    assert "Bí-mật-123" not in str(list(DrillEvent.objects.values_list("details", flat=True)))
    assert Target.objects.get(rid=rid).status == Target.Status.SUBMITTED
    assert Enrolment.objects.filter(reason="drill").count() == 1  # click and submit: once


def test_reporting_is_a_flag_beside_the_status(smtp, client, unit_a):
    drill = _drill(unit_a, n=1)
    drills.send(drill)
    path, rid = _link(smtp[0])
    client.get(path)
    assert client.get(path + "report/").status_code == 200
    client.post(path + "report/")
    target = Target.objects.get(rid=rid)
    assert (target.status, target.reported) == (Target.Status.CLICKED, True)
    assert drills.tally(drill.targets.all()).reported == 1


def test_a_drill_email_forwarded_to_the_report_mailbox_is_marked_reported(smtp, unit_a):
    drill = _drill(unit_a, n=1)
    drills.send(drill)
    target = drills.reported_from_message(smtp[0].as_bytes())
    assert target is not None and Target.objects.get(pk=target.pk).reported


def test_an_unknown_tracking_id_records_nothing(client, unit_a):
    assert client.get("/awareness/t/not-a-real-id-000/").status_code == 404
    assert client.get("/awareness/t/not-a-real-id-000/o.gif").status_code == 200
    assert not DrillEvent.objects.exists()


def test_results_count_everyone_who_got_at_least_that_far(unit_a):
    drill = _drill(unit_a, n=3)
    a, b, c = drill.targets.all()
    for t, kinds in ((a, ["sent", "opened"]), (b, ["sent", "clicked"]), (c, ["sent"])):
        for kind in kinds:
            drills.record(t, kind)
    tally = drills.tally(drill.targets.all())
    assert (tally.sent, tally.opened, tally.clicked, tally.submitted) == (3, 2, 1, 0)
    assert drills.tally_by_unit(drill.targets.all())[0].click_rate == 33


def test_a_person_who_clicks_in_two_drills_is_flagged_with_their_history(client, officer_a, unit_a):
    person = Person.objects.create(unit=unit_a, full_name="Hay bấm", email="hb@example.gov.vn")
    for _ in range(2):
        drill = factories.make_drill(unit_a)
        drills.add_targets(drill, [person])
        drills.record(drill.targets.get(), "clicked")
    targets = Target.objects.visible_to(officer_a)
    assert list(drills.repeat_clickers(targets)) == [person]
    client.force_login(officer_a)
    page = client.get(f"/awareness/people/{person.pk}/").content.decode()
    assert 'data-testid="repeat"' in page
    assert client.get("/awareness/").content.decode().count("Hay bấm") >= 1


def test_passing_the_course_closes_the_loop_on_the_drill(unit_a, remedial):
    from citysoc.awareness import learning

    drill = _drill(unit_a, n=1)
    target = drills.record(drill.targets.get(), "clicked")
    enrolment = Enrolment.objects.get(target=target)
    attempt = learning.start(enrolment)
    right = {q.pk: {q.choices.get(is_correct=True).pk} for q in remedial.questions.all()}
    assert learning.submit(attempt, right).passed
    assert list(target.events.values_list("kind", flat=True))[-1] == "passed"


def test_a_unit_admin_creates_and_sends_a_drill_from_the_pages(smtp, client, officer_a, unit_a):
    _drill(unit_a, n=0)
    Person.objects.create(unit=unit_a, full_name="Người nhận", email="nn@example.gov.vn")
    template = Drill.objects.first().template
    client.force_login(officer_a)
    response = client.post("/awareness/drills/new/", {
        "unit": unit_a.pk, "name": "Diễn tập Tết", "template": template.pk,
        "audience_units": [unit_a.pk],
    })  # fmt: skip
    drill = Drill.objects.get(name="Diễn tập Tết")
    assert response.status_code == 302 and drill.targets.count() == 2  # with officer_a
    client.post(f"/awareness/drills/{drill.pk}/send/")
    assert len(smtp) == 2


def test_another_wards_officer_cannot_send_a_drill(client, officer_b, unit_a):
    drill = _drill(unit_a, n=1)
    client.force_login(officer_b)
    assert client.post(f"/awareness/drills/{drill.pk}/send/").status_code == 404
    assert client.get(f"/awareness/drills/{drill.pk}/").status_code == 404


def test_a_finished_drill_records_nothing_more(client, unit_a):
    drill = _drill(unit_a, n=1)
    target = drills.record(drill.targets.get(), "sent")
    drills.finish(drill)
    assert client.get(f"/awareness/t/{target.rid}/").status_code == 200
    assert Target.objects.get(pk=target.pk).status == Target.Status.SENT


def test_the_dashboard_shows_the_course_a_click_gave(client, officer_a, unit_a, remedial):
    person = Person.objects.get(user=officer_a)
    drill = factories.make_drill(unit_a)
    drills.add_targets(drill, [person])
    drills.record(drill.targets.get(), "clicked")
    client.force_login(officer_a)
    page = client.get("/").content.decode()
    assert 'data-testid="awareness-box"' in page and remedial.title in page


def test_the_drill_list_shows_each_campaigns_click_rate(client, officer_a, unit_a):
    drill = _drill(unit_a, n=2)
    first = drill.targets.first()
    for target in drill.targets.all():
        drills.record(target, "sent")
    drills.record(first, "clicked")
    client.force_login(officer_a)
    page = client.get("/awareness/drills/").content.decode()
    assert "1 (50%)" in page
