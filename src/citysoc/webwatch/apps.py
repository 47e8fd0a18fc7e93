from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebwatchConfig(AppConfig):
    name = "citysoc.webwatch"
    label = "webwatch"
    verbose_name = _("Website watch")

    def ready(self) -> None:
        from citysoc.core import work
        from citysoc.webwatch import work_items

        work.register("webwatch", work_items.items_for, label=_("Websites"))
        from citysoc.core import scoreboard
        from citysoc.webwatch import scores

        scoreboard.register(scores.COMPONENT)
        from citysoc.core import landing
        from citysoc.webwatch.landing import box_for

        # Right after the duty box (order 10), where the site counts used to sit.
        landing.register("webwatch", "webwatch/_dashboard_box.html", box_for, order=11)
