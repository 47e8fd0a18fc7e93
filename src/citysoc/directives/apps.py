from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "citysoc.directives"
    label = "directives"
    verbose_name = _("Directives")

    def ready(self) -> None:
        from citysoc.core import work
        from citysoc.directives import work_items

        work.register("directives", work_items.items_for, label=_("Directives"))
        from citysoc.core import scoreboard
        from citysoc.directives import scores

        scoreboard.register(scores.COMPONENT)
        from citysoc.core import landing
        from citysoc.directives.landing import box_for

        landing.register("directives", "directives/_dashboard_box.html", box_for, order=20)
        from citysoc.core import audit
        from citysoc.directives import models

        for model in (
            models.Directive,
            models.Attachment,
            models.ActionItem,
            models.Assignment,
            models.Evidence,
        ):
            audit.register(model)
