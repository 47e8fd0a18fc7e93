from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "citysoc.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from citysoc.alerts import work_items
        from citysoc.core import work

        work.register("alerts", work_items.items_for, label=_("Alerts"))
        from citysoc.alerts.landing import box_for
        from citysoc.core import landing

        landing.register("duty", "alerts/_dashboard_box.html", box_for, order=10)
        from citysoc.alerts import models
        from citysoc.core import audit

        # Configuration and case rows are audited; alerts and their timeline are their own
        # record (and a storm would flood the audit log). AlertSource is left out while the
        # audit snapshot would copy its token hash (core/audit.py SKIP_FIELDS).
        for model in (
            models.EscalationPolicy,
            models.EscalationStep,
            models.MaintenanceWindow,
            models.Incident,
        ):
            audit.register(model)
