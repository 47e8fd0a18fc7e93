from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebwatchConfig(AppConfig):
    name = "citysoc.webwatch"
    label = "webwatch"
    verbose_name = _("Website watch")
