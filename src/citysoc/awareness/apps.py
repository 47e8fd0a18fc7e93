from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "citysoc.awareness"
    label = "awareness"
    verbose_name = _("Awareness")

    def ready(self) -> None:
        from citysoc.awareness import progress
        from citysoc.directives import area_progress

        area_progress.register("awareness", progress.area_progress)
        from citysoc.awareness import scores, work_items
        from citysoc.core import scoreboard, work

        work.register("awareness", work_items.items_for, label=_("Awareness"))
        scoreboard.register(scores.COMPONENT)
        from citysoc.awareness import landing as awareness_landing
        from citysoc.awareness import models
        from citysoc.core import audit, landing

        landing.register(
            "awareness", "awareness/_dashboard_box.html", awareness_landing.box_for, order=60
        )

        for model in (
            models.Course,
            models.Programme,
            models.DrillTemplate,
            models.Drill,
            models.ScamEntry,
        ):
            audit.register(model)
