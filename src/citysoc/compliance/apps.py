from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "citysoc.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from citysoc.compliance import models
        from citysoc.core import audit

        for model in (
            models.Assessment,
            models.AssessmentItem,
            models.ItemEvidence,
            models.LevelProposal,
        ):
            audit.register(model)
