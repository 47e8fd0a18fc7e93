"""A unit's awareness figures in one sentence, for the directive's "awareness" item."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.awareness import drills, programmes
from citysoc.awareness.models import Enrolment, Target
from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem


def unit_summary(unit: Unit) -> str:
    """Programme completion and drill results of the unit and the units under it."""
    enrolments = Enrolment.objects.filter(unit__path__startswith=unit.path, programme__isnull=False)
    done = programmes.total(programmes.completion_by_unit(enrolments), unit.name)
    tally = drills.tally(Target.objects.filter(unit__path__startswith=unit.path))
    return _(
        "Training: %(done)d of %(total)d courses completed (%(percent)d%%), %(overdue)d "
        "overdue. Phishing drills: %(sent)d e-mails, %(clicked)d clicked (%(rate)d%%), "
        "%(reported)d reported."
    ) % {
        "done": done.done, "total": done.total, "percent": done.percent,
        "overdue": done.overdue, "sent": tally.sent, "clicked": tally.clicked,
        "rate": tally.click_rate, "reported": tally.reported,
    }  # fmt: skip


def area_progress(unit: Unit) -> AreaProgress:
    """The directive's awareness item (registered with `directives.area_progress`)."""
    label = str(ActionItem.Area.AWARENESS.label)
    return AreaProgress(label=label, summary=unit_summary(unit), url=reverse("awareness:home"))
