"""Enqueuing and running background jobs.

The queue is the ``Job`` table. A job is claimed by a conditional
``UPDATE … WHERE status = 'queued'`` and only the worker whose update
changed the row runs it, so two workers never run the same job, on SQLite
(whose writers are serialised) or on PostgreSQL (where the candidate is
also picked with ``SKIP LOCKED``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from homeward.accounts.models import Organisation, User
from homeward.audit.context import RequestContext, current
from homeward.audit.services import Action, audit_record
from homeward.jobs import registry
from homeward.jobs.models import Job, JobStatus, Schedule

logger = logging.getLogger(__name__)

ABANDONED_MESSAGE = gettext_noop(
    "The worker stopped while this job was running. Jobs write all or nothing, so "
    "nothing was saved: start it again."
)

FAILED_MESSAGE = gettext_noop(
    "The job stopped because of an unexpected error. An administrator can find its "
    "number in the server log."
)


@transaction.atomic
def job_enqueue(
    *,
    kind: str,
    params: Mapping[str, Any],
    actor: User,
    organisation: Organisation | None = None,
) -> Job:
    """Queue a job of a registered ``kind`` for ``actor``; audited as a creation.

    ``params`` must hold ids and tokens only, never identifying data.
    """
    registry.get(kind)
    job = Job.objects.create(
        kind=kind, params=dict(params), created_by=actor, organisation=organisation
    )
    audit_record(
        action=Action.CREATE, actor=actor, target=job, organisation=organisation,
        detail={"kind": kind},
    )
    return job


def _claim(job: Job) -> bool:
    """Mark a queued job running; False when another worker got it first."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if claimed:
        job.status, job.started_at = JobStatus.RUNNING, now
        job.attempts += 1
    return bool(claimed)


def _finish(job: Job, *, status: str, message: str = "", result: Mapping[str, int]) -> None:
    job.status, job.message, job.result = status, message, dict(result)
    job.finished_at = timezone.now()
    if status == JobStatus.DONE:
        job.progress = job.total
    # The last progress reported, written here too: reports made inside the
    # job's own transaction may have been throttled or rolled back with it.
    Job.objects.filter(pk=job.pk).update(
        status=job.status, message=job.message, result=job.result,
        finished_at=job.finished_at, progress=job.progress, total=job.total,
    )


def job_run(job: Job) -> bool:
    """Claim and run one queued job; False if it was not queued any more.

    The job ends ``done`` with its result, or ``failed`` with a message safe
    to show (a :class:`registry.JobError`'s, or a generic one). Unexpected
    errors are logged with their type only: their text may quote data.
    Audit rows the job writes carry the job's organisation.
    """
    if not _claim(job):
        return False
    reporter = registry.ProgressReporter(job)
    organisation = job.organisation
    token = current.set(RequestContext(
        organisation_id=job.organisation_id,
        organisation_code=organisation.code if organisation is not None else "",
    ))
    try:
        result = registry.get(job.kind).function(job, reporter)
    except registry.JobError as exc:
        _finish(job, status=JobStatus.FAILED, message=exc.message, result=exc.result)
    except Exception as exc:
        logger.error("Job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
        _finish(job, status=JobStatus.FAILED, message=FAILED_MESSAGE, result={})
    else:
        _finish(job, status=JobStatus.DONE, result=result or {})
    finally:
        current.reset(token)
        reporter.close()
    return True


def _next_queued_pk() -> int | None:
    with transaction.atomic():
        queued = Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        pk: int | None = queued.values_list("pk", flat=True).first()
        return pk


def run_next_job() -> Job | None:
    """Run the oldest queued job; the job, or None when the queue is empty."""
    while (pk := _next_queued_pk()) is not None:
        job = Job.objects.select_related("organisation").filter(pk=pk).first()
        if job is not None and job_run(job):
            return job
    return None


def jobs_fail_abandoned(*, older_than: timedelta) -> int:
    """Mark jobs that have been running for longer than ``older_than`` failed.

    A worker that crashed (or was killed) leaves its job "running" for ever;
    the job's own transaction was rolled back, so the honest state is failed.
    Returns how many jobs were marked.
    """
    now = timezone.now()
    return Job.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - older_than
    ).update(status=JobStatus.FAILED, message=ABANDONED_MESSAGE, finished_at=now)


def run_pending_jobs() -> int:
    """Run queued jobs until none is left (tests, ``worker --once``)."""
    count = 0
    while run_next_job() is not None:
        count += 1
    return count


def _next_run_after(schedule: Schedule, every: timedelta, now: datetime) -> datetime:
    """The first run time after ``now`` on the schedule's grid: runs missed
    while no worker ran are not made up one by one."""
    missed = (now - schedule.next_run_at) // every
    return schedule.next_run_at + every * (missed + 1)


def schedules_enqueue_due(*, now: datetime) -> list[Job]:
    """Queue a job of every periodic kind whose schedule is due at ``now``.

    A kind without a ``Schedule`` row gets one, due at once. A due row is
    claimed by a conditional update of ``next_run_at`` (from the value read
    to the next one): only the worker whose update changed the row queues
    the job, so two workers never queue one period twice. Scheduler jobs
    have no creator (only site administrators see them) and carry no
    parameters; they are not audited — their rows are the record.
    """
    queued: list[Job] = []
    for kind in registry.periodic():
        every = kind.every or timedelta(0)
        schedule, _created = Schedule.objects.get_or_create(
            kind=kind.name, defaults={"next_run_at": now}
        )
        if schedule.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = Schedule.objects.filter(
                pk=schedule.pk, next_run_at=schedule.next_run_at
            ).update(next_run_at=_next_run_after(schedule, every, now))
            if not claimed:
                continue
            job = Job.objects.create(kind=kind.name, params={}, created_by=None)
            Schedule.objects.filter(pk=schedule.pk).update(last_job=job)
        queued.append(job)
    return queued
