from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "citysoc.intel"
    label = "intel"
    verbose_name = _("Botnet lists and clean-up")

    def ready(self) -> None:
        from citysoc.alerts import heartbeats
        from citysoc.intel import heartbeats as intel_heartbeats

        heartbeats.register("feed", intel_heartbeats.late_feeds)
        heartbeats.register("logfolder", intel_heartbeats.silent_log_folders)
        from citysoc.directives import area_progress
        from citysoc.intel import progress

        area_progress.register("botnet", progress.area_progress)
        from citysoc.core import work
        from citysoc.intel import work_items

        work.register("intel", work_items.items_for, label=_("Botnet clean-up"))
        from citysoc.core import scoreboard
        from citysoc.intel import scores

        scoreboard.register(scores.COMPONENT)
        from citysoc.core import landing
        from citysoc.intel.landing import box_for

        landing.register("intel", "intel/_dashboard_box.html", box_for, order=30)
        from citysoc.core import audit
        from citysoc.intel import models

        for model in (
            models.IndicatorSource,
            models.LogFolder,
            models.CleanupTask,
            models.CleanupEvidence,
        ):
            audit.register(model)
