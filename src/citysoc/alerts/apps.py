from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "citysoc.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
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
