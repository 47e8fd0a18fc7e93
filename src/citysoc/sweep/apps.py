from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SweepConfig(AppConfig):
    name = "citysoc.sweep"
    label = "sweep"
    verbose_name = _("Malware sweep")

    def ready(self) -> None:
        from citysoc.directives import area_progress
        from citysoc.sweep import progress

        area_progress.register("malware", progress.area)
        from citysoc.core import work
        from citysoc.sweep import work_items

        work.register("sweep", work_items.items_for, label=_("Malware sweep"))
        from citysoc.core import audit
        from citysoc.sweep import models

        for model in (models.EnrolmentToken, models.Agent, models.RuleSet, models.Campaign):
            audit.register(model)
