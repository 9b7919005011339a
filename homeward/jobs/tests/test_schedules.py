"""Periodic jobs: the scheduler queues each periodic kind once per period,
however many workers ask, and catches up with one run after a pause."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from homeward.jobs import registry
from homeward.jobs.models import Job, JobStatus, Schedule
from homeward.jobs.services import run_pending_jobs, schedules_enqueue_due

pytestmark = pytest.mark.django_db

TICK = "jobs.test-tick"
T0 = datetime.datetime(2027, 1, 1, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def tick(job: Job, report: registry.Report) -> dict[str, int]:
    return {"ticks": 1}


@pytest.fixture
def periodic_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """A periodic kind for these tests only (the registry is left as found)."""
    kinds = dict(registry._kinds)
    monkeypatch.setattr(registry, "_kinds", kinds)
    registry.job(TICK, title="Tick", results={"ticks": "Ticks"}, every=HOUR)(tick)


def _ticks() -> list[Job]:
    return list(Job.objects.filter(kind=TICK).order_by("pk"))


def test_a_periodic_kind_is_declared_with_every() -> None:
    assert registry.get("reintegration.reminders").every == HOUR
    assert "reintegration.reminders" in [kind.name for kind in registry.periodic()]
    with pytest.raises(ImproperlyConfigured):
        registry.job("jobs.never", title="Never", every=datetime.timedelta(0))(tick)


def test_the_first_call_creates_the_schedule_and_queues_at_once(periodic_tick: None) -> None:
    queued = schedules_enqueue_due(now=T0)
    assert [job.kind for job in queued if job.kind == TICK] == [TICK]
    job = _ticks()[0]
    assert (job.status, job.created_by, job.organisation, job.params) == (
        JobStatus.QUEUED, None, None, {}
    )
    schedule = Schedule.objects.get(kind=TICK)
    assert (schedule.next_run_at, schedule.last_job) == (T0 + HOUR, job)


def test_a_period_is_queued_once_however_often_the_scheduler_runs(periodic_tick: None) -> None:
    schedules_enqueue_due(now=T0)
    for minutes in (0, 1, 30, 59):
        schedules_enqueue_due(now=T0 + datetime.timedelta(minutes=minutes))
    assert len(_ticks()) == 1
    schedules_enqueue_due(now=T0 + HOUR)
    schedules_enqueue_due(now=T0 + HOUR)
    assert len(_ticks()) == 2


def test_a_stale_read_of_the_schedule_cannot_queue_twice(periodic_tick: None) -> None:
    """Two workers read the same due row; only the first claim changes it."""
    schedules_enqueue_due(now=T0)
    stale = Schedule.objects.get(kind=TICK)
    schedules_enqueue_due(now=T0 + HOUR)
    claimed = Schedule.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(
        next_run_at=stale.next_run_at + HOUR
    )
    assert claimed == 0
    assert len(_ticks()) == 2


def test_after_a_pause_one_run_catches_up_on_the_same_grid(periodic_tick: None) -> None:
    schedules_enqueue_due(now=T0)
    schedules_enqueue_due(now=T0 + 5 * HOUR + datetime.timedelta(minutes=20))
    assert len(_ticks()) == 2
    assert Schedule.objects.get(kind=TICK).next_run_at == T0 + 6 * HOUR


def test_scheduled_jobs_run_like_any_other(periodic_tick: None) -> None:
    schedules_enqueue_due(now=T0)
    assert run_pending_jobs() >= 1
    job = _ticks()[0]
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.DONE, {"ticks": 1})
