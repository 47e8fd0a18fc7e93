import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class ComplianceConfig(AppConfig):
    name = "citysoc.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from citysoc.compliance import work_items
        from citysoc.core import work

        work.register("compliance", work_items.items_for, label=_("Compliance"))
        from citysoc.compliance import scores
        from citysoc.core import scoreboard

        scoreboard.register(scores.COMPONENT)
        from citysoc.compliance import models
        from citysoc.core import audit

        for model in (
            models.Assessment,
            models.AssessmentItem,
            models.ItemEvidence,
            models.LevelProposal,
        ):
            audit.register(model)
        post_migrate.connect(load_libraries_after_migrate, sender=self)


def load_libraries_after_migrate(sender, using="default", **kwargs) -> None:
    """Load the framework libraries after `migrate`: quiet, idempotent, never fails migrate.

    Off in test runs (each test builds the libraries it needs) and when
    CITYSOC_LOAD_LIBRARIES_ON_MIGRATE is False; `citysoc load-libraries` loads them by hand.
    """
    from django.conf import settings
    from django.core import mail
    from django.db import connections

    # setup_test_environment() adds mail.outbox: the documented sign of a test run.
    default = not hasattr(mail, "outbox")
    if using != "default" or not getattr(settings, "CITYSOC_LOAD_LIBRARIES_ON_MIGRATE", default):
        return
    from citysoc.compliance import libraries
    from citysoc.compliance.models import Library, Requirement

    tables = connections[using].introspection.table_names()
    if Library._meta.db_table not in tables or Requirement._meta.db_table not in tables:
        return  # migrated backwards, or only part of the way
    try:
        results = libraries.load_all()
    except Exception:  # a library problem must not stop the schema migration
        log.exception("loading the framework libraries failed; run `citysoc load-libraries`")
        return
    for result in results:
        if not result.ok:
            log.warning("%s", libraries.describe(result))
