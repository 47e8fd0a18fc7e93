"""A task that occupies the import worker, for the test that escalations do not wait."""

from __future__ import annotations

import time

from django.conf import settings
from django_tasks import task


@task(queue_name=settings.TASK_QUEUE_IMPORTS)
def hold_the_import_worker(seconds: float) -> float:
    time.sleep(seconds)
    return seconds
