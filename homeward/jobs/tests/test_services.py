"""Queueing, claiming and running jobs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import load_backend

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.jobs import registry
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import (
    FAILED_MESSAGE,
    job_enqueue,
    job_run,
    run_next_job,
    run_pending_jobs,
)
from homeward.jobs.tests.access_expectations import PROBE

SAFE = "Nothing to see here."


@registry.job("jobs.test-refusal", title="Refusal", results={"checked": "Checked"})
def refusal_job(job: Job, report: registry.Report) -> dict[str, int]:
    raise registry.JobError(SAFE, result={"checked": 2})


def _enqueue(cast: Any, **params: Any) -> Job:
    return job_enqueue(kind=PROBE, params=params, actor=cast.user("coordinator"),
                       organisation=cast.home)


@pytest.mark.django_db
def test_an_enqueued_job_runs_to_done_with_its_result(cast: Any) -> None:
    job = _enqueue(cast, total=5)
    assert job.status == JobStatus.QUEUED
    audit = AuditEntry.objects.get(action=Action.CREATE, target_type="jobs.Job")
    assert (audit.target_id, audit.organisation_code) == (str(job.pk), "HOME")
    assert audit.detail == {"kind": PROBE}
    assert run_next_job() == job
    job.refresh_from_db()
    assert (job.status, job.result, job.progress, job.total) == (
        JobStatus.DONE, {"done": 5}, 5, 5
    )
    assert job.attempts == 1
    assert job.started_at is not None
    assert job.finished_at is not None
    assert run_next_job() is None


@pytest.mark.django_db
def test_enqueue_refuses_an_unknown_kind(cast: Any) -> None:
    with pytest.raises(Exception, match="Unknown job kind"):
        job_enqueue(kind="nobody.knows", params={}, actor=cast.user("coordinator"))
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_and_logs_its_type_only(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    job = _enqueue(cast, fail=True)
    with caplog.at_level(logging.ERROR, logger="homeward.jobs.services"):
        assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.message, job.result) == (JobStatus.FAILED, FAILED_MESSAGE, {})
    assert "RuntimeError" in caplog.text
    assert "secret value" not in caplog.text


@pytest.mark.django_db
def test_an_expected_refusal_keeps_its_safe_message_and_counts(cast: Any) -> None:
    job = job_enqueue(kind="jobs.test-refusal", params={}, actor=cast.user("org_admin"))
    run_pending_jobs()
    job.refresh_from_db()
    assert (job.status, job.message, job.result) == (JobStatus.FAILED, SAFE, {"checked": 2})


@pytest.mark.django_db
def test_two_workers_cannot_claim_the_same_job(cast: Any) -> None:
    job = _enqueue(cast)
    first, second = Job.objects.get(pk=job.pk), Job.objects.get(pk=job.pk)
    assert job_run(first) is True
    assert job_run(second) is False
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db
def test_jobs_run_oldest_first(cast: Any) -> None:
    older, newer = _enqueue(cast, total=1), _enqueue(cast, total=2)
    assert run_next_job() == older
    assert run_next_job() == newer


@pytest.mark.django_db
def test_worker_once_runs_the_queue_and_exits(cast: Any) -> None:
    jobs = [_enqueue(cast), _enqueue(cast)]
    call_command("worker", "--once")
    assert {Job.objects.get(pk=job.pk).status for job in jobs} == {JobStatus.DONE}


@pytest.mark.django_db
def test_progress_reports_are_throttled(cast: Any) -> None:
    job = _enqueue(cast)
    report = registry.ProgressReporter(job)
    with transaction.atomic():
        report(1, 1000)
        report(2, 1000)  # too soon and too few: not written
        stored = Job.objects.values_list("progress", flat=True).get(pk=job.pk)
        if connection.vendor != "postgresql":
            assert stored == 1
        report(1000, 1000)  # the end is always written
    report.close()
    assert (job.progress, job.total) == (1000, 1000)


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_job_transaction_is_open(cast: Any) -> None:
    """On PostgreSQL the reporter writes beside the job's long transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: progress shows at the end")
    job = _enqueue(cast)
    report = registry.ProgressReporter(job)
    settings_dict = dict(connection.settings_dict)
    observer = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="obs")
    try:
        with transaction.atomic():
            report(40, 100)
            with observer.cursor() as cursor:
                cursor.execute("SELECT progress, total FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (40, 100)
    finally:
        observer.close()
        report.close()


def test_jobs_left_running_by_a_dead_worker_are_marked_failed(cast: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from homeward.jobs.services import jobs_fail_abandoned

    stale, fresh = _enqueue(cast), _enqueue(cast)
    now = timezone.now()
    Job.objects.filter(pk=stale.pk).update(
        status=JobStatus.RUNNING, started_at=now - timedelta(hours=3)
    )
    Job.objects.filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, started_at=now - timedelta(minutes=5)
    )
    assert jobs_fail_abandoned(older_than=timedelta(hours=2)) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == JobStatus.FAILED
    assert "nothing was saved" in stale.message
    assert fresh.status == JobStatus.RUNNING
