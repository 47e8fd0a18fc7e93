"""The scoreboard's weekly snapshots, for the trend on the page and the periodic reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import UnitOwnedQuerySet


class ScoreSnapshot(models.Model):
    """A unit's score and component figures as they stood in one week."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="score_snapshots"
    )
    week = models.DateField(_("week (Monday)"))
    score = models.FloatField(_("score"), null=True, blank=True)
    # {key: {"raw": value, "text": "...", "points": p, "weight": w}} of the tracked components.
    components = models.JSONField(_("components"), default=dict, blank=True)
    taken_at = models.DateTimeField(_("taken"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "unit__path"]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        constraints = [
            models.UniqueConstraint(fields=["unit", "week"], name="scoresnapshot_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week:%d/%m/%Y}: {self.score}"
