from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "citysoc.core"
    label = "core"
    verbose_name = _("Units and people")

    def ready(self) -> None:
        from citysoc.core import (  # noqa: F401 - registers signals and checks
            audit,
            checks,
            landing,
            password_events,
        )
        from citysoc.core.work_views import box_for

        landing.register("work", "core/_work_box.html", box_for, order=5)
