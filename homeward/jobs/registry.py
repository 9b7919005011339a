"""Job kinds: ``@job("app.name")`` registers the function that does the work.

A job function is called as ``fn(job, report)`` and returns the result to
keep (a dict of counts, never identifying data). ``report(progress, total)``
records how far it got; it is cheap to call for every unit of work because
writes are throttled. Apps declare their jobs in ``<app>/jobs.py``, which the
worker imports on start (:func:`autodiscover`).
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.utils import load_backend
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from homeward.jobs.models import Job

Report = Callable[[int, int], None]
JobFunction = Callable[[Job, Report], Mapping[str, int] | None]

REPORT_EVERY_SECONDS = 0.5
REPORT_EVERY_UNITS = 100


class JobError(Exception):
    """An expected failure. ``message`` is an English source string marked
    with ``gettext_noop`` (shown translated on the job page); it must never
    contain identifying data."""

    def __init__(self, message: str, result: Mapping[str, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = dict(result or {})


@dataclasses.dataclass(frozen=True)
class JobKind:
    name: str
    function: JobFunction
    title: Promise | str
    # Labels of the result's counts, in the order the job page shows them.
    results: Mapping[str, Promise | str]
    # URL name of the page to go on to from a finished job.
    next_url: str | None
    # Periodic kinds: the scheduler queues one every ``every`` (see ``Schedule``).
    every: timedelta | None = None


_kinds: dict[str, JobKind] = {}


def job(
    name: str,
    *,
    title: Promise | str,
    results: Mapping[str, Promise | str] | None = None,
    next_url: str | None = None,
    every: timedelta | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn`` as the job kind ``name`` (one function per name).

    With ``every``, the kind is periodic: the worker's scheduler queues a job
    of it (with no creator) once per ``every``.
    """
    if every is not None and every <= timedelta(0):
        raise ImproperlyConfigured(f"Job kind {name!r}: 'every' must be positive")

    def decorator(function: JobFunction) -> JobFunction:
        existing = _kinds.get(name)
        if existing is not None and existing.function is not function:
            raise ImproperlyConfigured(f"Job kind {name!r} is registered twice")
        _kinds[name] = JobKind(name, function, title, dict(results or {}), next_url, every)
        return function

    return decorator


def autodiscover() -> None:
    """Import every installed app's ``jobs`` module, registering its kinds."""
    autodiscover_modules("jobs")


def get(name: str) -> JobKind:
    if name not in _kinds:
        autodiscover()
    try:
        return _kinds[name]
    except KeyError as exc:
        raise ImproperlyConfigured(f"Unknown job kind {name!r}") from exc


def registered() -> list[str]:
    return sorted(_kinds)


def periodic() -> list[JobKind]:
    """The periodic kinds (declared with ``every=``), by name."""
    autodiscover()
    return [_kinds[name] for name in sorted(_kinds) if _kinds[name].every is not None]


class ProgressReporter:
    """``report(progress, total)`` for one job, throttled.

    A job function usually writes inside one long transaction (imports are
    all-or-nothing), where an update of the job row would stay invisible
    until the end. On PostgreSQL the reporter then writes through a second,
    autocommitting connection; SQLite allows a single writer, so there the
    progress shows when the transaction ends.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_time = 0.0
        self._last_units = -REPORT_EVERY_UNITS
        self._side: Any = None

    def __call__(self, progress: int, total: int) -> None:
        self.job.progress, self.job.total = progress, total
        now = time.monotonic()
        if (
            progress < total
            and now - self._last_time < REPORT_EVERY_SECONDS
            and progress - self._last_units < REPORT_EVERY_UNITS
        ):
            return
        self._last_time, self._last_units = now, progress
        self._write(progress, total)

    def _write(self, progress: int, total: int) -> None:
        if connection.in_atomic_block and connection.vendor == "postgresql":
            side = self._side_connection()
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET progress = %s, total = %s "  # noqa: S608
                    "WHERE id = %s",
                    [progress, total, self.job.pk],
                )
            return
        Job.objects.filter(pk=self.job.pk).update(progress=progress, total=total)

    def _side_connection(self) -> Any:
        if self._side is None:
            settings_dict = copy.deepcopy(connection.settings_dict)
            backend = load_backend(settings_dict["ENGINE"])
            self._side = backend.DatabaseWrapper(settings_dict, alias="jobs-progress")
        return self._side

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
