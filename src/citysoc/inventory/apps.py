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
        from citysoc.core import landing
        from citysoc.inventory import dashboard

        # The per-unit table is the dashboard's body: below every box and the
        # undelivered-messages box, as before it was a box.
        landing.register(
            "inventory", "inventory/_dashboard_table.html", dashboard.table_for, order=landing.BODY
        )
        landing.register_unit_box("inventory", "inventory/_unit_counts.html", dashboard.unit_counts)
        from citysoc.core import outbound
        from citysoc.inventory import outbound as inventory_outbound

        outbound.register_unit_ranges(inventory_outbound.unit_ranges)
