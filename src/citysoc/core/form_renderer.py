"""Django's form templates with a few of ours in front of them.

Only the select option is ours: Django writes "---------" for the empty choice of every
select (ModelChoiceField's empty_label, a model field's blank choice), which reads as a
placeholder left in; ours says "— chọn —" in the reader's language. One renderer changes
every form, instead of an empty_label on each field of every area's forms.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

OURS = Path(__file__).parent / "form_templates"
DJANGOS = Path(django.forms.__file__).parent / "templates"


class Renderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend(
            {"APP_DIRS": True, "DIRS": [OURS, DJANGOS], "NAME": "djangoforms", "OPTIONS": {}}
        )
