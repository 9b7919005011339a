"""Reading jobs: a job is visible to the user who started it (and to site
administrators), nobody else — not even colleagues in the organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from homeward.core import access
from homeward.jobs import registry
from homeward.jobs.models import Job


@access.register(Job)
def _jobs(user: Any, queryset: QuerySet[Job]) -> QuerySet[Job]:
    if user.is_site_admin:
        return queryset
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
