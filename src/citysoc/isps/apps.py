from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IspsConfig(AppConfig):
    name = "citysoc.isps"
    label = "isps"
    verbose_name = _("ISP requests")

    def ready(self) -> None:
        from citysoc.core import audit, work
        from citysoc.isps import models, work_items

        work.register("isps", work_items.items_for, label=_("ISP requests"))
        for model in (models.IspRequest, models.IspRequestItem, models.IspProof):
            audit.register(model)
