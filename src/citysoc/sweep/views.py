"""The sweep pages: where units stand, results and their evidence, tokens, bundles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit
from citysoc.inventory.models import Host
from citysoc.sweep import bundles, enrolment, ingesting, jobs, progress
from citysoc.sweep.enrolment import Refused
from citysoc.sweep.forms import CampaignForm, ResultUploadForm, TokenForm
from citysoc.sweep.models import Agent, Campaign, EnrolmentToken, Job, Result

NOT_SWEPT_SHOWN = 100


def _chosen_unit(request) -> Unit | None:
    code = request.GET.get("unit", "")
    return Unit.objects.visible_to(request.user).filter(code=code).first() if code else None


@login_required
def home(request):
    unit = _chosen_unit(request)
    hosts = Host.objects.visible_to(request.user)
    results = Result.objects.visible_to(request.user).select_related("unit", "host")
    if unit is not None:
        hosts = hosts.filter(unit__path__startswith=unit.path)
        results = results.filter(unit__path__startswith=unit.path)
    units = Unit.objects.visible_to(request.user).filter(hosts__isnull=False).distinct()
    editable = Unit.objects.editable_by(request.user)
    context = {
        "unit": unit,
        "units": units.order_by("path"),
        "figures": progress.figures(list(units.order_by("path")[:200])),
        "page": Paginator(results, 50).get_page(request.GET.get("page")),
        "not_swept": progress.not_swept(hosts)[:NOT_SWEPT_SHOWN],
        "agents": Agent.objects.visible_to(request.user).count(),
        "campaigns": Campaign.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            targets=Count("jobs"), reported=Count("jobs", filter=Q(jobs__status=Job.Status.DONE))
        )[:20],
        "token_form": TokenForm(units=Unit.objects.manageable_by(request.user)),
        "campaign_form": CampaignForm(units=editable),
        "upload_form": ResultUploadForm(),
        "can_edit": editable.exists(),
    }
    return render(request, "sweep/home.html", context)


@login_required
def result_detail(request, pk: int):
    result = get_object_or_404(
        Result.objects.visible_to(request.user).select_related("unit", "host", "agent"), pk=pk
    )
    context = {"result": result, "hits": result.hits.all(), "tasks": result.tasks.all()}
    return render(request, "sweep/result_detail.html", context)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST, units=Unit.objects.manageable_by(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a unit you manage."))
        return redirect("sweep:home")
    unit = form.cleaned_data["unit"]
    new = enrolment.create_token(
        unit, by=request.user, note=form.cleaned_data["note"], days=form.cleaned_data["days"]
    )
    server = request.build_absolute_uri("/").rstrip("/")
    return render(request, "sweep/token_created.html", {"new": new, "server": server})


@login_required
@require_POST
def campaign_create(request):
    form = CampaignForm(request.POST, units=Unit.objects.editable_by(request.user))
    if not form.is_valid():
        messages.error(request, _("Give the campaign a name and a unit you may edit."))
        return redirect("sweep:home")
    data = form.cleaned_data
    campaign = jobs.start_campaign(
        data["unit"],
        name=data["name"],
        by=request.user,
        botnet_first=data["botnet_first"],
        due_date=data["due_date"],
    )
    messages.success(request, _("Campaign started: %d hosts queued.") % campaign.jobs.count())
    return redirect("sweep:home")


@login_required
@require_POST
def result_upload(request):
    form = ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a result file."))
        return redirect("sweep:home")
    try:
        signed = bundles.read_result(form.cleaned_data["file"].read())
        if not can_edit(request.user, signed.agent.unit):
            raise Refused(_("This host is not in your units."))
        result, created = ingesting.ingest(signed, via=Result.Via.OFFLINE)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("sweep:home")
    if not created:
        messages.info(request, _("This result file was already imported."))
    return redirect("sweep:result-detail", pk=result.pk)


@login_required
@require_POST
def host_bundle(request, pk: int):
    host = get_object_or_404(Host.objects.editable_by(request.user), pk=pk)
    if not can_edit(request.user, host.unit):
        raise Http404
    try:
        data, name = bundles.build(host, request.build_absolute_uri("/").rstrip("/"))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("sweep:home")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def tokens(request):
    rows = EnrolmentToken.objects.visible_to(request.user).select_related("unit")[:200]
    return render(request, "sweep/token_list.html", {"tokens": rows})
