# The Django plugin loads every installed app's models while checking this module, and
# django-axes ships no type information: its models are not ours to type.
# mypy: disable-error-code="import-untyped"
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "citysoc.notify"
    label = "notify"
    verbose_name = _("Notifications")
