from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "citysoc.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from citysoc.directives import area_progress
        from citysoc.incidents import progress

        area_progress.register("incidents", progress.area_progress)
        from citysoc.core import scoreboard, work
        from citysoc.incidents import scores, work_items

        work.register("incidents", work_items.items_for, label=_("Incidents"))
        scoreboard.register(scores.COMPONENT)
        from citysoc.core import audit
        from citysoc.incidents import models

        for model in (
            models.AffectedSystem,
            models.Observable,
            models.Task,
            models.Evidence,
            models.Participant,
            models.Report,
            models.Contact,
            models.Playbook,
        ):
            audit.register(model)
