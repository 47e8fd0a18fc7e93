from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "citysoc.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from citysoc.core import audit
        from citysoc.core.models import Person, Unit
        from citysoc.inventory import models

        for model in (
            Unit,
            Person,
            models.InformationSystem,
            models.Host,
            models.IpRange,
            models.Domain,
        ):
            audit.register(model)
