from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VulnsConfig(AppConfig):
    name = "citysoc.vulns"
    label = "vulns"
    verbose_name = _("Vulnerabilities")

    def ready(self) -> None:
        from citysoc.directives import area_progress
        from citysoc.vulns import progress

        area_progress.register("vulns", progress.area_progress)
        from citysoc.core import work
        from citysoc.vulns import work_items

        work.register("vulns", work_items.items_for, label=_("Vulnerabilities"))
        from citysoc.core import scoreboard
        from citysoc.vulns import scores

        scoreboard.register(scores.COMPONENT)
        from citysoc.core import audit
        from citysoc.vulns import models

        for model in (models.Scan, models.Finding):
            audit.register(model)
