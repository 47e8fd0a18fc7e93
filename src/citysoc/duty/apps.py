from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "citysoc.duty"
    label = "duty"
    verbose_name = _("24/7 duty")

    def ready(self) -> None:
        from citysoc.directives import area_progress
        from citysoc.duty import progress

        area_progress.register("duty", progress.area_progress)
        from citysoc.core import work
        from citysoc.duty import work_items

        work.register("duty", work_items.items_for, label=_("Duty"))
        from citysoc.core import scoreboard
        from citysoc.duty import scores

        scoreboard.register(scores.COMPONENT)
        from citysoc.core import audit
        from citysoc.duty import models

        for model in (
            models.Roster,
            models.Layer,
            models.Shift,
            models.Override,
            models.SwapRequest,
            models.LogEntry,
            models.Handover,
        ):
            audit.register(model)
