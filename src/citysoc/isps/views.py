"""ISP request pages: the list, the city's form, the ISP's answers, the letter, the proof."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.downloads import attachment, stored_file
from citysoc.core.models import Unit
from citysoc.isps import letter, requesting
from citysoc.isps.forms import AnswerForm, ProofForm, RequestForm
from citysoc.isps.models import IspProof, IspRequest, IspRequestItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def request_list(request):
    rows = (
        IspRequest.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            n=Count("items"),
            pending=Count("items", filter=Q(items__answer=IspRequestItem.Answer.PENDING)),
        )
    )
    context = {"rows": rows, "may_send": requesting.may_send(request.user), "now": timezone.now()}
    return render(request, "isps/request_list.html", context)


def _initial(request) -> dict:
    initial = {"kind": request.GET.get("kind", IspRequest.Kind.BLOCK)}
    isp = Unit.objects.filter(kind=Unit.Kind.ISP, pk=request.GET.get("isp") or 0).first()
    if isp and initial["kind"] == IspRequest.Kind.SUBSCRIBERS:
        lines = requesting.unattributed_lines(isp)
        initial.update(
            isp=isp,
            subject=_("Subscribers behind botnet IPs"),
            lines="\n".join(f"{line.value} {line.note}".strip() for line in lines),
        )
    return initial


@login_required
def request_create(request):
    if not requesting.may_send(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lines = requesting.parse_lines(data["kind"], data["lines"])
            lines = requesting.link_sightings(data["isp"], lines)
            sent = requesting.send(
                data["isp"],
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                due_at=data["due_at"],
                lines=lines,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("lines", exc)
        else:
            messages.success(request, _("Request sent to %(isp)s.") % {"isp": sent.unit})
            return redirect("isps:request-detail", pk=sent.pk)
    isps = Unit.objects.filter(kind=Unit.Kind.ISP).order_by("name")
    return render(request, "isps/request_form.html", {"form": form, "isps": isps})


@login_required
def request_detail(request, pk: int):
    isp_request = get_object_or_404(
        IspRequest.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    if request.method == "POST":
        _act(request, isp_request)
        return redirect("isps:request-detail", pk=isp_request.pk)
    items = list(isp_request.items.all())
    context = {
        "req": isp_request,
        "items": [(item, requesting.allowed_answers(item)) for item in items],
        "answers": dict(IspRequestItem.Answer.choices),
        "proofs": isp_request.proofs.all(),
        "may_answer": requesting.may_answer(request.user, isp_request),
        "overdue": isp_request.is_overdue(),
        "proof_form": ProofForm(),
    }
    return render(request, "isps/request_detail.html", context)


def _act(request, isp_request: IspRequest) -> None:
    action = request.POST.get("action")
    try:
        if action == "acknowledge":
            requesting.acknowledge(isp_request, by=request.user)
            messages.success(request, _("Request acknowledged."))
        elif action == "answer":
            form = AnswerForm(request.POST)
            if form.is_valid():
                item = get_object_or_404(isp_request.items, pk=form.cleaned_data["item"])
                requesting.answer(
                    item,
                    answer=form.cleaned_data["answer"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
                messages.success(request, _("Answer saved."))
        elif action == "proof":
            proof = ProofForm(request.POST, request.FILES)
            if proof.is_valid():
                requesting.attach_proof(
                    isp_request,
                    proof.cleaned_data["file"],
                    by=request.user,
                    note=proof.cleaned_data["note"],
                )
                messages.success(request, _("Proof attached."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)


@login_required
def request_letter(request, pk: int):
    isp_request = get_object_or_404(IspRequest.objects.visible_to(request.user), pk=pk)
    name = f"cong-van-{isp_request.unit.code}-{isp_request.pk}.docx"
    return attachment(letter.request_docx(isp_request), DOCX, name)


@login_required
def proof_download(request, pk: int):
    proof = get_object_or_404(IspProof.objects.visible_to(request.user), pk=pk)
    return stored_file(proof)
