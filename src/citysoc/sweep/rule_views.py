"""The rule sets page: what every sweep job carries; the city adds a version from a file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysoc.core.tenancy import scope_for
from citysoc.sweep import rules
from citysoc.sweep.forms import RuleSetForm
from citysoc.sweep.models import RuleSet

VERSIONS_SHOWN = 200


@login_required
def rule_sets(request):
    may_add = scope_for(request.user).city_editor
    form = RuleSetForm()
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(_("Only the city's administrators add rule sets."))
        form = RuleSetForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                added = rules.add_version(data["name"], data["kind"], data["file"], by=request.user)
            except rules.RuleError as exc:
                form.add_error(None, _("%(error)s. Nothing was saved.") % {"error": exc})
            else:
                messages.success(request, _added(added))
                return redirect("sweep:rules")
    versions = RuleSet.objects.defer("text").select_related("created_by")[:VERSIONS_SHOWN]
    context = {
        "carried": rules.carried(),
        "versions": versions if may_add else [],
        "may_add": may_add,
        "form": form,
    }
    return render(request, "sweep/rule_sets.html", context)


def _added(added: rules.Added) -> str:
    return _("%(name)s v%(version)d added: %(rules)d rules; every new sweep job carries it.") % {
        "name": added.rule_set.name,
        "version": added.rule_set.version,
        "rules": added.rules,
    }
