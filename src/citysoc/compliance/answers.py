"""The answers an assessment item can have (`AssessmentItem.Status`), in their own module so
that the answer counts (`tally`) need not import the models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
