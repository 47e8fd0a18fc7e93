"""The page of one framework library: what it is, and where each of its rows comes from.

Every row (requirement, duty, level criterion, procedure step) is listed with its source,
whether it is official, and when it is valid. Source notes are written for whoever
maintains the library; an officer answering an assessment sees only a small "source" mark
linking here. Libraries are the city's shared reference, not a unit's data: every
signed-in user may read them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from citysoc.compliance.library_sources import source_count, validity
from citysoc.compliance.models import Library


@login_required
def library_detail(request, pk: int):
    library = get_object_or_404(Library.objects.select_related("regime"), pk=pk)
    requirements = list(library.requirements.order_by("order"))
    duties = list(library.duties.order_by("code"))
    for duty in duties:
        duty.valid_span = validity(library, duty.valid_from, duty.valid_to)
    context = {
        "library": library,
        "requirements": requirements,
        "counts": source_count(library),
        "unofficial": sum(1 for r in requirements if not r.official),
        "duties": duties,
        "criteria": library.level_criteria or [],
        "procedure": library.procedure or {},
    }
    return render(request, "compliance/library_detail.html", context)
