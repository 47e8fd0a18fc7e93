"""The city's compliance pages: the heatmap, systems by level, what needs a level or an
assessment, duties due, and the exports.

The overview and the workbook are for city roles (403 for a unit's people). The gap
report of one unit is also open to that unit: `?unit=CODE` must name a unit the user
may see (404 otherwise), and without it the report is of the user's own unit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.compliance import duties, exporting, library_sources, overview
from citysoc.compliance.models import Assessment, Library
from citysoc.core.downloads import attachment
from citysoc.core.models import Unit
from citysoc.core.ordering import in_tree_order
from citysoc.core.tenancy import can_see, scope_for
from citysoc.inventory.models import InformationSystem

LISTED = 200  # rows of the "needs attention" and "duties due" tables on the page
FIRST_SHOWN = 10  # of those, shown open; the rest fold under "show all" to keep the page short


def is_city(user) -> bool:
    """City roles: a role held at the city (the root unit), or a superuser."""
    return scope_for(user).city_reader


def _require_city(user) -> None:
    if not is_city(user):
        raise PermissionDenied(_("The city view is for the city's roles."))


def _heatmap(request, units, systems, assessments):
    used = overview.libraries_assessed(assessments)
    chosen = request.GET.get("library", "")
    library = next((lib for lib, _n in used if str(lib.pk) == chosen), None)
    if library is None and chosen.isdigit():
        library = Library.objects.filter(pk=int(chosen)).first()
    library = library or (used[0][0] if used else None)
    return used, overview.heatmap(units, systems, assessments, library)


@login_required
def city(request):
    _require_city(request.user)
    today = timezone.localdate()
    units = Unit.objects.visible_to(request.user)
    systems = InformationSystem.objects.visible_to(request.user)
    assessments = Assessment.objects.visible_to(request.user)
    used, heat = _heatmap(request, units, systems, assessments)
    attention = overview.needing_attention(systems, today)
    due = duties.due_duties(units, today)
    context = {
        "libraries": used,
        "heatmap": heat,
        "levels": overview.systems_by_level(systems),
        "dossiers": InformationSystem.Dossier.choices,
        "attention": attention[:FIRST_SHOWN],
        "attention_more": attention[FIRST_SHOWN:LISTED],
        "attention_count": len(attention),
        "attention_listed": min(len(attention), LISTED),
        "due": due[:FIRST_SHOWN],
        "due_more": due[FIRST_SHOWN:LISTED],
        "due_count": len(due),
        "report_units": in_tree_order(units.filter(pk__in=systems.values("unit_id"))),
        "today": today,
        "sources": library_sources.source_counts(today),
    }
    return render(request, "compliance/city.html", context)


@login_required
def city_export(request):
    _require_city(request.user)
    today = timezone.localdate()
    units = Unit.objects.visible_to(request.user)
    systems = InformationSystem.objects.visible_to(request.user)
    assessments = Assessment.objects.visible_to(request.user)
    _used, heat = _heatmap(request, units, systems, assessments)
    data = exporting.city_xlsx(systems, assessments, heat, today=today)
    name = f"danh-gia-cap-do-{today:%Y%m%d}.xlsx"
    return attachment(data, exporting.XLSX_CONTENT_TYPE, name)


def _report_unit(request) -> Unit:
    units = Unit.objects.visible_to(request.user)
    code = request.GET.get("unit", "").strip()
    if code:
        unit = units.filter(code=code).first()
    else:
        # The user's own unit: the top of the subtree they see (the city, for city roles).
        unit = min(units.only("pk", "path", "code"), key=lambda u: len(u.path), default=None)
        unit = Unit.objects.filter(pk=unit.pk).first() if unit else None
    if unit is None or not can_see(request.user, unit):
        raise Http404(
            _("No unit with code '%(code)s' among the units you can see.") % {"code": code}
        )
    return unit


@login_required
def gap_report(request):
    from citysoc.directives.templating import TemplateError, city_root

    unit = _report_unit(request)
    systems = InformationSystem.objects.visible_to(request.user).filter(
        unit__path__startswith=unit.path
    )
    try:
        city_unit = city_root()
    except TemplateError:
        city_unit = None
    today = timezone.localdate()
    data = exporting.gap_report_docx(
        unit,
        systems,
        Assessment.objects.visible_to(request.user),
        today=today,
        city=city_unit,
    )
    name = f"bao-cao-danh-gia-cap-do-{unit.code}-{today:%Y%m%d}.docx"
    return attachment(data, exporting.DOCX_CONTENT_TYPE, name)
