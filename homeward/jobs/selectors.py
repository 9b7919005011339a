"""Reading jobs: a job is visible to the user who started it (and to site
administrators), nobody else — not even colleagues in the organisation.
Jobs the scheduler queued (no creator) are seen by site administrators
only; coordinators see the schedules' times and last status."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.timesince import timesince

from homeward.accounts.models import Membership
from homeward.accounts.roles import Capability, roles_with
from homeward.core import access
from homeward.jobs import registry
from homeward.jobs.models import Job, Schedule


@access.register(Job)
def _jobs(user: Any, queryset: QuerySet[Job]) -> QuerySet[Job]:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_site_admin:
        return queryset
    # ``created_by=user`` never matches a scheduler job (created_by is None).
    return queryset.filter(created_by=user)


def job_get_for_user(*, user: Any, pk: int) -> Job:
    """The job, or 404 for a job that is missing or someone else's."""
    return access.get_for_user(user, Job, pk=pk)


def job_kind(job: Job) -> registry.JobKind | None:
    """How the job page names the job and its counts (None: unknown kind)."""
    try:
        return registry.get(job.kind)
    except ImproperlyConfigured:  # an unregistered kind still shows its status
        return None


def job_result_rows(job: Job) -> list[tuple[str, int]]:
    """The result's counts as (label, number), in the order the kind declares."""
    kind = job_kind(job)
    labels = kind.results if kind is not None else {}
    return [(str(label), int(job.result.get(key, 0))) for key, label in labels.items()
            if key in job.result]


def job_list_for_user(*, user: Any) -> QuerySet[Job]:
    """The jobs the user started, newest first (site administrators: all,
    the scheduler's included)."""
    return access.for_user(user, Job).select_related("created_by").order_by(
        "-created_at", "-pk"
    )


@dataclasses.dataclass(frozen=True)
class ScheduleRow:
    kind: str
    title: str
    every: timedelta | None
    next_run_at: datetime | None
    last_job: Job | None

    @property
    def every_text(self) -> str:
        """"1 hour", "1 day", … in the active language."""
        if self.every is None:
            return ""
        now = timezone.now()
        return timesince(now - self.every, now)


def sees_schedules(user: Any) -> bool:
    """Site administrators and coordinators of reintegration (whose
    reminders the schedules send) see when periodic jobs run."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_site_admin) or Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True,
        role__in=roles_with(Capability.REINTEGRATION_MANAGE),
    ).exists()


def schedule_rows() -> list[ScheduleRow]:
    """Every periodic kind with its next and last run (kinds and times
    only: scheduler jobs carry no parameters)."""
    schedules = {
        schedule.kind: schedule
        for schedule in Schedule.objects.select_related("last_job")
    }
    rows = []
    for kind in registry.periodic():
        schedule = schedules.pop(kind.name, None)
        rows.append(ScheduleRow(
            kind=kind.name, title=str(kind.title), every=kind.every,
            next_run_at=schedule.next_run_at if schedule else None,
            last_job=schedule.last_job if schedule else None,
        ))
    for name, schedule in sorted(schedules.items()):  # a kind no longer periodic
        rows.append(ScheduleRow(kind=name, title=name, every=None,
                                next_run_at=schedule.next_run_at, last_job=schedule.last_job))
    return rows
