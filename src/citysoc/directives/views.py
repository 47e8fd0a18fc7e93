"""Directive pages: the city writes, issues and follows up; each unit answers its own.

Directives come from `Directive.objects.visible_to(user)` (the city's, or those sent to
the user's units) and assignments from `Assignment.objects.visible_to(user)`, so another
unit's assignment or evidence answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from citysoc.core.downloads import attachment, stored_file
from citysoc.core.listing import build_table
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.directives import answering, area_progress, forms, issuing, progress, templating
from citysoc.directives.documents import report_back_sentence
from citysoc.directives.models import Assignment, Attachment, Directive, Evidence


def _may_write_directives(user) -> bool:
    try:
        return can_edit(user, templating.city_root())
    except templating.TemplateError:
        return False


def _get_directive(request, pk: int) -> Directive:
    return get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)


def _get_writable(request, pk: int) -> Directive:
    directive = _get_directive(request, pk)
    if not can_edit(request.user, directive.unit):
        raise PermissionDenied(_("Only a city administrator can change a directive."))
    return directive


@login_required
def home(request):
    if scope_for(request.user).is_city:
        return redirect("directives:directive-list")
    return redirect("directives:assignment-list")


@login_required
def directive_list(request):
    queryset = Directive.objects.visible_to(request.user).select_related("unit")
    table = build_table(
        request.GET,
        queryset,
        sort_fields={"date": ("date",), "subject": ("subject",), "status": ("status", "date")},
        default_order=("-date", "-id"),
    )
    context = {"table": table, "can_create": _may_write_directives(request.user)}
    return render(request, "directives/directive_list.html", context)


def _save_directive(request, form, items, *, created: bool):
    with transaction.atomic():
        directive = form.save(commit=False)
        if created:
            directive.unit = templating.city_root()
        directive.save()
        form.save_m2m()
        items.instance = directive
        items.save()
    messages.success(request, _("Saved %(object)s.") % {"object": directive.subject})
    return redirect("directives:directive-detail", pk=directive.pk)


@login_required
def directive_create(request):
    if not _may_write_directives(request.user):
        raise PermissionDenied(_("Only a city administrator can write a directive."))
    form = forms.DirectiveForm(request.POST or None)
    items = forms.ItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        return _save_directive(request, form, items, created=True)
    context = {"form": form, "items": items, "template_form": forms.TemplateForm()}
    return render(request, "directives/directive_form.html", context)


@login_required
def directive_edit(request, pk: int):
    directive = _get_writable(request, pk)
    form = forms.DirectiveForm(request.POST or None, instance=directive)
    items = forms.ItemFormSet(request.POST or None, instance=directive, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        return _save_directive(request, form, items, created=False)
    context = {"form": form, "items": items, "object": directive}
    return render(request, "directives/directive_form.html", context)


@login_required
@require_POST
def directive_from_template(request):
    if not _may_write_directives(request.user):
        raise PermissionDenied(_("Only a city administrator can write a directive."))
    form = forms.TemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a template and a year between 2000 and 2100."))
        return redirect("directives:directive-create")
    try:
        directive = templating.instantiate_template(
            form.cleaned_data["template"], year=form.cleaned_data["year"]
        )
    except templating.TemplateError as exc:
        messages.error(request, str(exc))
        return redirect("directives:directive-create")
    messages.success(request, _("Draft created from the template. Check it, then issue it."))
    return redirect("directives:directive-detail", pk=directive.pk)


def _attach_to_directive(request, directive: Directive):
    """Handle the detail page's upload form; return the form when it has errors."""
    if not can_edit(request.user, directive.unit):
        raise PermissionDenied(_("Only a city administrator can change a directive."))
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return form
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        Attachment.objects.create(
            directive=directive,
            file=upload,
            filename=(upload.name or "attachment")[:255],
            note=form.cleaned_data["note"],
            uploaded_by=request.user,
        )
    messages.success(request, _("File attached to the directive."))
    return None


@login_required
def directive_detail(request, pk: int):
    directive = _get_directive(request, pk)
    attach_form = forms.AttachmentForm()
    if request.method == "POST":
        attach_form = _attach_to_directive(request, directive)
        if attach_form is None:
            return redirect("directives:directive-detail", pk=pk)
    mine = Assignment.objects.visible_to(request.user).filter(directive=directive)
    context = {
        "object": directive,
        "items": directive.items.all(),
        "attachments": directive.attachments.all(),
        "attach_form": attach_form,
        "can_edit": can_edit(request.user, directive.unit),
        "recipients": issuing.recipients(directive) if scope_for(request.user).is_city else [],
        "assignment_count": mine.count(),
        "legal_bases": directive.legal_bases.splitlines(),
        "report_back": report_back_sentence(day) if (day := directive.report_by) else "",
    }
    return render(request, "directives/directive_detail.html", context)


@login_required
def attachment_download(request, pk: int):
    visible = Directive.objects.visible_to(request.user).values("pk")
    sent = get_object_or_404(Attachment.objects.filter(directive__in=visible), pk=pk)
    return stored_file(sent)


@login_required
@require_POST
def directive_issue(request, pk: int):
    directive = _get_writable(request, pk)
    try:
        created = issuing.issue(directive, by=request.user)
    except issuing.IssueError as exc:
        messages.error(request, _("Not issued: %(why)s.") % {"why": exc})
        return redirect("directives:directive-detail", pk=pk)
    messages.success(request, _("Issued: %(n)d new assignments.") % {"n": len(created)})
    return redirect("directives:directive-matrix", pk=pk)


@login_required
def directive_matrix(request, pk: int):
    directive = _get_directive(request, pk)
    filters = forms.MatrixFilter(request.GET or None)
    options = filters.cleaned_data if filters.is_valid() else {}
    matrix = progress.build_matrix(
        directive,
        Assignment.objects.visible_to(request.user),
        today=timezone.localdate(),
        kind=options.get("kind", ""),
        overdue_only=options.get("overdue", False),
        missing_evidence_only=options.get("missing_evidence", False),
    )
    context = {"object": directive, "matrix": matrix, "filters": filters}
    return render(request, "directives/directive_matrix.html", context)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


@login_required
def directive_docx(request, pk: int):
    from citysoc.directives.documents import directive_docx as render

    directive = _get_directive(request, pk)
    return attachment(render(directive), DOCX_TYPE, f"van-ban-{directive.pk}.docx")


@login_required
def directive_report(request, pk: int, fmt: str):
    """The compiled results as DOCX, PDF or XLSX; a unit's copy holds only its own answers."""
    from citysoc.directives.exporting import matrix_xlsx
    from citysoc.directives.report_documents import results_docx
    from citysoc.directives.report_pdf import results_pdf
    from citysoc.directives.results import compile_results

    directive = _get_directive(request, pk)
    results = compile_results(
        directive, Assignment.objects.visible_to(request.user), today=timezone.localdate()
    )
    if fmt == "xlsx":
        return attachment(matrix_xlsx(results), XLSX_TYPE, f"ket-qua-{directive.pk}.xlsx")
    if fmt == "pdf":
        return attachment(results_pdf(results), PDF_TYPE, f"bao-cao-{directive.pk}.pdf")
    return attachment(results_docx(results), DOCX_TYPE, f"bao-cao-{directive.pk}.docx")


@login_required
def assignment_list(request):
    filters = forms.AssignmentFilter(request.GET or None)
    queryset = Assignment.objects.visible_to(request.user).select_related(
        "unit", "item", "directive"
    )
    queryset = queryset.filter(directive__status=Directive.Status.ISSUED)
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            queryset = queryset.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["overdue"]:
            queryset = queryset.filter(item__due_date__lt=timezone.localdate()).exclude(
                status__in=Assignment.CLOSED
            )
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "due": ("item__due_date",),
            "unit": ("unit__path",),
            "status": ("status",),
            "directive": ("-directive__date", "item__order"),
        },
        default_order=("item__due_date", "unit__path", "item__order"),
    )
    context = {"table": table, "filters": filters, "today": timezone.localdate()}
    return render(request, "directives/assignment_list.html", context)


def _refused(request, form: forms.AnswerForm) -> forms.AnswerForm:
    """Say that nothing was kept: a browser never re-sends the files a refused form held."""
    if request.FILES:
        form.add_error(None, _("Nothing was saved: correct the answer, then pick the files again."))
    return form


def _save_answer(request, assignment: Assignment) -> tuple[forms.AnswerForm, bool]:
    """Save status, report and files of the page's one form together; (form, saved)."""
    form = forms.AnswerForm(
        request.POST, request.FILES, evidence_required=assignment.item.evidence_required
    )
    if not form.is_valid():
        return _refused(request, form), False
    data = form.cleaned_data
    try:
        answering.answer(
            assignment,
            by=request.user,
            status=data["status"],
            report=data["report"],
            reason=data["reason"],
            files=data["file"],
            note=data["note"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _refused(request, form), False
    if data["file"]:
        messages.success(
            request,
            ngettext(
                "Your answer is saved with %(n)d evidence file.",
                "Your answer is saved with %(n)d evidence files.",
                len(data["file"]),
            )
            % {"n": len(data["file"])},
        )
    else:
        messages.success(request, _("Your answer is saved."))
    return form, True


@login_required
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("unit", "item", "directive"),
        pk=pk,
    )
    may_answer = can_edit(request.user, assignment.unit)
    answer_form = None
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied(_("Your role in this unit is read-only."))
        answer_form, saved = _save_answer(request, assignment)
        if saved:
            return redirect("directives:assignment-detail", pk=pk)
    initial = {
        "status": assignment.status,
        "report": assignment.report,
        "reason": assignment.reason,
    }
    context = {
        "object": assignment,
        "may_answer": may_answer,
        "answer_form": answer_form
        or forms.AnswerForm(initial=initial, evidence_required=assignment.item.evidence_required),
        "evidence": assignment.evidence.all(),
        "overdue": assignment.is_overdue(timezone.localdate()),
        "area": area_progress.progress_for(assignment.item, assignment.unit),
    }
    return render(request, "directives/assignment_detail.html", context)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    return stored_file(evidence)
