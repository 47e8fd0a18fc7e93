"""The page of one framework library: what it is, and where each of its items comes from.

Source notes are written for whoever maintains the library ("paraphrased from a checklist
kit, not yet checked against the decree"); an officer answering an assessment sees only a
small "source" mark linking here. Libraries are the city's shared reference, not a unit's
data: every signed-in user may read them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from citysoc.compliance.models import Library


@login_required
def library_detail(request, pk: int):
    library = get_object_or_404(Library.objects.select_related("regime"), pk=pk)
    requirements = library.requirements.order_by("order")
    context = {
        "library": library,
        "requirements": requirements,
        "unofficial": sum(1 for r in requirements if not r.official),
        "duties": library.duties.order_by("code"),
    }
    return render(request, "compliance/library_detail.html", context)
