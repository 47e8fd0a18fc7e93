"""Awareness pages: courses and quizzes, programmes, drills, a person's history, scam check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.awareness import content, drills, learning, programmes, scamlists
from citysoc.awareness.forms import DrillForm, ProgrammeForm, ScamCheckForm
from citysoc.awareness.models import (
    Attempt,
    Course,
    CourseFile,
    Drill,
    Enrolment,
    Programme,
    Target,
)
from citysoc.core.downloads import stored_file
from citysoc.core.forms import model_choice_field
from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import can_edit


@login_required
def home(request):
    person = learning.person_of(request.user)
    mine = Enrolment.objects.none()
    if person is not None:
        mine = person.enrolments.select_related("course").order_by("status", "due_on")
    enrolments = Enrolment.objects.visible_to(request.user).filter(programme__isnull=False)
    targets = Target.objects.visible_to(request.user)
    by_unit = programmes.completion_by_unit(enrolments)
    context = {
        "mine": mine,
        "by_unit": by_unit,
        "all_units": programmes.total(by_unit, _("All your units")),
        "drills_by_unit": drills.tally_by_unit(targets),
        "repeaters": drills.repeat_clickers(targets)[:20],
        "programmes": Programme.objects.visible_to(request.user).select_related("unit")[:10],
        "drills": Drill.objects.visible_to(request.user).select_related("unit")[:10],
        "courses": Course.objects.all(),
        "report_address": settings.AWARENESS_REPORT_ADDRESS,
    }
    return render(request, "awareness/home.html", context)


@login_required
def course_list(request):
    return render(request, "awareness/course_list.html", {"courses": Course.objects.all()})


@login_required
def course_detail(request, pk):
    course = get_object_or_404(Course, pk=pk)
    files = list(course.files.all())
    urls = {f.filename: reverse("awareness:course-file", args=[f.pk]) for f in files}
    lessons = [(lesson, content.render(lesson.body, urls)) for lesson in course.lessons.all()]
    person = learning.person_of(request.user)
    enrolment = person and person.enrolments.filter(course=course).order_by("-assigned_at").first()
    context = {
        "course": course,
        "lessons": lessons,
        "attachments": [f for f in files if not f.is_image],
        "enrolment": enrolment,
        "person": person,
    }
    return render(request, "awareness/course_detail.html", context)


@login_required
def course_file(request, pk):
    """A course's image (shown in the lesson) or attachment (downloaded).

    Courses are the city's, shared by every unit, so any logged-in user may read them; the
    media folder itself is never served.
    """
    upload = get_object_or_404(CourseFile, pk=pk)
    if not upload.is_image:
        return stored_file(upload)
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=upload.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def course_quiz(request, pk):
    course = get_object_or_404(Course, pk=pk)
    person = learning.person_of(request.user)
    if person is None:
        messages.error(request, _("Your account is not linked to a person of a unit."))
        return redirect("awareness:course-detail", pk=course.pk)
    if request.method == "POST":
        return _mark(request, course, person)
    mine = person.enrolments.filter(course=course)
    enrolment = (
        mine.filter(status=Enrolment.Status.ASSIGNED).order_by("due_on").first()
        or mine.order_by("-assigned_at").first()
        or learning.enrol(person, course, reason=Enrolment.Reason.SELF)
    )
    try:
        attempt = learning.start(enrolment)
    except learning.QuizClosed:
        messages.info(request, _("This quiz is closed for you: passed, or no attempts left."))
        return redirect("awareness:course-detail", pk=course.pk)
    questions = {q.pk: q for q in course.questions.prefetch_related("choices")}
    asked = [questions[i] for i in attempt.question_ids if i in questions]
    return render(
        request,
        "awareness/course_quiz.html",
        {"course": course, "attempt": attempt, "questions": asked, "enrolment": enrolment},
    )


def _mark(request, course, person):
    pk = request.POST.get("attempt", "")
    attempt = get_object_or_404(
        Attempt, pk=int(pk) if pk.isdigit() else 0, enrolment__person=person,
        enrolment__course=course,
    )  # fmt: skip
    answers = {}
    for qid in attempt.question_ids:
        picked = request.POST.getlist(f"q{qid}")
        answers[qid] = {int(c) for c in picked if c.isdigit()}
    result = learning.submit(attempt, answers)
    questions = course.questions.filter(pk__in=result.wrong).prefetch_related("choices")
    attempt.enrolment.refresh_from_db()
    context = {"course": course, "result": result, "wrong": questions,
               "enrolment": attempt.enrolment}  # fmt: skip
    return render(request, "awareness/quiz_result.html", context)


@login_required
def enrolment_certificate(request, pk):
    person = learning.person_of(request.user)
    visible = Enrolment.objects.visible_to(request.user)
    enrolment = (
        visible.filter(pk=pk).first()
        or (person and person.enrolments.filter(pk=pk).first())
        or None
    )
    if enrolment is None or enrolment.status != Enrolment.Status.PASSED:
        raise Http404
    from citysoc.awareness.certificate import certificate_pdf

    response = HttpResponse(certificate_pdf(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{enrolment.pk}.pdf"'
    return response


@login_required
def programme_list(request):
    items = Programme.objects.visible_to(request.user).select_related("unit")
    return render(request, "awareness/programme_list.html", {"programmes": items})


@login_required
def programme_detail(request, pk):
    programme = get_object_or_404(programmes.readable_by(request.user), pk=pk)
    enrolments = programmes.current_enrolments(programme).filter(
        unit__in=Unit.objects.visible_to(request.user)
    )
    by_unit = programmes.completion_by_unit(enrolments)
    context = {
        "programme": programme,
        "by_unit": by_unit,
        "overall": programmes.total(by_unit, programme.name),
        "enrolments": enrolments.select_related("person", "course", "unit"),
        "can_edit": can_edit(request.user, programme.unit),
    }
    return render(request, "awareness/programme_detail.html", context)


@login_required
def programme_new(request):
    form = ProgrammeForm(request.POST or None, user=request.user)
    units = model_choice_field(form, "unit").queryset
    if units is None or not units.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        count = programmes.assign(programme)
        messages.success(request, _("Programme saved: %(count)d enrolments.") % {"count": count})
        return redirect("awareness:programme-detail", pk=programme.pk)
    return render(request, "awareness/form.html", {"form": form, "title": _("New programme")})


@login_required
def drill_list(request):
    items = list(Drill.objects.visible_to(request.user).select_related("unit", "template"))
    tallies = drills.tally_by_drill(Target.objects.visible_to(request.user))
    rows = [(d, tallies.get(d.pk)) for d in items]
    return render(request, "awareness/drill_list.html", {"rows": rows})


@login_required
def drill_detail(request, pk):
    drill = get_object_or_404(Drill.objects.visible_to(request.user), pk=pk)
    targets = Target.objects.visible_to(request.user).filter(drill=drill)
    context = {
        "drill": drill,
        "overall": drills.tally(targets, drill.name),
        "by_unit": drills.tally_by_unit(targets),
        "targets": targets.select_related("person", "unit"),
        "can_edit": can_edit(request.user, drill.unit),
    }
    return render(request, "awareness/drill_detail.html", context)


@login_required
def drill_new(request):
    form = DrillForm(request.POST or None, user=request.user)
    units = model_choice_field(form, "unit").queryset
    if units is None or not units.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        drill = form.save()
        people = Person.objects.none()
        for unit in form.cleaned_data["audience_units"]:
            people |= Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
        count = drills.add_targets(drill, people.select_related("unit"))
        messages.success(request, _("Drill saved with %(count)d recipients.") % {"count": count})
        return redirect("awareness:drill-detail", pk=drill.pk)
    return render(request, "awareness/form.html", {"form": form, "title": _("New drill")})


@login_required
@require_POST
def drill_send(request, pk):
    drill = get_object_or_404(Drill.objects.editable_by(request.user), pk=pk)
    result = drills.send(drill)
    messages.success(
        request,
        _("%(sent)d e-mails sent, %(failed)d failed.")
        % {"sent": result.sent, "failed": result.failed},
    )
    return redirect("awareness:drill-detail", pk=drill.pk)


@login_required
@require_POST
def drill_finish(request, pk):
    drill = get_object_or_404(Drill.objects.editable_by(request.user), pk=pk)
    drills.finish(drill)
    return redirect("awareness:drill-detail", pk=drill.pk)


@login_required
def person_history(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    targets = (
        person.drill_targets.select_related("drill")
        .prefetch_related(Prefetch("events"))
        .order_by("-drill__created_at")
    )
    clicks = sum(1 for t in targets if drills.RANK[t.status] >= drills.RANK["clicked"])
    context = {
        "person": person,
        "targets": targets,
        "enrolments": person.enrolments.select_related("course").order_by("-assigned_at"),
        "clicks": clicks,
        "repeat": clicks >= drills.REPEAT_CLICKS,
    }
    return render(request, "awareness/person_history.html", context)


@login_required
def scam_check(request):
    return _scam_check(request, public=False)


def public_scam_check(request):
    if not settings.AWARENESS_PUBLIC_SCAM_CHECK:
        raise Http404
    return _scam_check(request, public=True)


def _scam_check(request, *, public: bool):
    form = ScamCheckForm(request.GET or None)
    result = None
    if form.is_valid():
        result = scamlists.as_json(scamlists.check(form.cleaned_data["q"], public=public))
    context = {"form": form, "result": result, "public": public,
               "trends": [] if public else scamlists.trends()}  # fmt: skip
    return render(request, "awareness/scam_check.html", context)
