"""Background jobs always end: done, or failed with a reason the user can read.

A task that works on one row with a status (an import job, a list version, a log
upload) sets it to "running" first. If the task then raises something its own code did
not expect, the row would stay "running" for ever and the page would spin. `marks_failed`
wraps such a task: on any exception the row becomes "failed" with a short sentence (the
error's type only: no traceback, no server path; the details go to the worker's log),
and the exception is raised again so the task queue records it too.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
ENDED = ("done", "failed")


def short_reason(exc: BaseException) -> str:
    """The sentence shown for an unexpected error: its type, never its text or a path."""
    return _(
        "The job stopped on an unexpected error (%(error)s); nothing was saved. Try again; "
        "if it happens again, tell the administrator (the details are in the worker's log)."
    ) % {"error": exc.__class__.__name__}


def mark_failed(model: str, pk: int, reason: str) -> int:
    """Set a row that has not ended to "failed" with `reason`; how many rows changed."""
    rows = apps.get_model(model).objects.filter(pk=pk).exclude(status__in=ENDED)
    return rows.update(status="failed", message=reason, finished_at=timezone.now())


def marks_failed(model: str) -> Callable[[F], F]:
    """Decorate a task whose first argument is the id of a `model` row ("app.Model").

    The row needs `status` (with "done" and "failed"), `message` and `finished_at`. A row
    the task's own code already ended (with its own, better reason) is left as it is.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def run(pk: int, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(pk, *args, **kwargs)
            except Exception as exc:
                logger.exception("%s %s: the task %s failed", model, pk, func.__name__)
                mark_failed(model, pk, short_reason(exc))
                raise

        return run  # type: ignore[return-value]

    return wrap
