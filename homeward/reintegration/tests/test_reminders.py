"""Monitoring reminders, with time frozen: 7 days before a report's due
date the assignee is reminded, and the day after it (the report still
not filed) the assignee and the monitoring organisation's coordinators —
each reminder exactly once, however often the task runs, also when the
scheduler queues it and the worker runs it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case
from homeward.jobs.models import Job, JobStatus, Schedule
from homeward.notifications.models import Notification
from homeward.reintegration.choices import (
    ContactMode,
    MonitoringOutcome,
    MonitoringPeriod,
    ReportStatus,
)
from homeward.reintegration.jobs import REMINDERS
from homeward.reintegration.selectors import case_access
from homeward.reintegration.services.monitoring import (
    reminders_send,
    report_submit,
    schedule_cancel,
    schedule_create,
)
from homeward.reintegration.tests.factories import make_referral, partner_organisation

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 15)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute,
                             tzinfo=timezone.get_current_timezone())


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Clock:
    """``django.utils.timezone.now`` frozen at ``now``, moved by ``set``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = at(DUE - days(30))
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, now: datetime.datetime) -> None:
        self.now = now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def world(cast: Any) -> Any:
    class World:
        pass

    w: Any = World()
    w.cast = cast
    w.case = open_case(cast)
    w.yar = partner_organisation("YAR")
    make_referral(w.case, w.yar.organisation)
    w.worker = w.yar.user(Role.REINTEGRATION_WORKER)
    w.coordinator = w.yar.user(Role.COORDINATOR)
    for user in (w.worker, w.coordinator):
        user.email = f"{user.username.replace('@', '.')}@example.org"
    w.worker.language = "ru"
    w.worker.save()
    w.coordinator.save()
    return w


def _schedule(w: Any, *, assignee: Any = "worker") -> Any:
    access = case_access(user=w.cast.user(Role.CASE_WORKER), code=w.case.code)
    return schedule_create(
        actor=w.cast.user(Role.CASE_WORKER), access=access, organisation=w.yar.organisation,
        period=MonitoringPeriod.CUSTOM, starts_on=DUE - days(90), custom_dates=[DUE],
        assignee=w.worker if assignee == "worker" else assignee,
    )


def _notified(kind: str) -> list[str]:
    return sorted(n.user.username for n in Notification.objects.filter(kind=kind))


def test_due_soon_fires_seven_days_before_and_only_once(world: Any) -> None:
    report = _schedule(world).reports.get()
    assert reminders_send(now=at(DUE - days(8), 23, 59)) == {"due_soon": 0, "overdue": 0}
    assert _notified("monitoring.due_soon") == []
    assert reminders_send(now=at(DUE - days(7), 0, 5)) == {"due_soon": 1, "overdue": 0}
    assert _notified("monitoring.due_soon") == ["reintegration_worker@yar"]
    for moment in (at(DUE - days(7), 1), at(DUE - days(3)), at(DUE, 23, 59)):
        assert reminders_send(now=moment) == {"due_soon": 0, "overdue": 0}
    assert _notified("monitoring.due_soon") == ["reintegration_worker@yar"]
    report.refresh_from_db()
    assert report.reminded_before_at == at(DUE - days(7), 0, 5)
    assert report.reminded_overdue_at is None
    note = Notification.objects.get(kind="monitoring.due_soon")
    assert note.params == {"code": world.case.code, "date": DUE.isoformat()}
    assert note.organisation == world.yar.organisation


def test_overdue_fires_the_day_after_to_assignee_and_coordinators_only_once(
    world: Any,
) -> None:
    report = _schedule(world).reports.get()
    assert reminders_send(now=at(DUE, 23, 59))["overdue"] == 0
    assert reminders_send(now=at(DUE + days(1), 0, 1)) == {"due_soon": 0, "overdue": 1}
    assert _notified("monitoring.overdue") == ["coordinator@yar", "reintegration_worker@yar"]
    for moment in (at(DUE + days(1), 2), at(DUE + days(2)), at(DUE + days(40))):
        assert reminders_send(now=moment) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.filter(kind="monitoring.overdue").count() == 2
    report.refresh_from_db()
    assert report.reminded_overdue_at == at(DUE + days(1), 0, 1)


def test_a_report_scheduled_late_gets_only_the_overdue_reminder(world: Any) -> None:
    _schedule(world)
    assert reminders_send(now=at(DUE + days(5))) == {"due_soon": 0, "overdue": 1}
    assert _notified("monitoring.due_soon") == []


def test_without_an_assignee_the_monitoring_organisations_workers_are_reminded(
    world: Any,
) -> None:
    _schedule(world, assignee=None)
    reminders_send(now=at(DUE - days(7)))
    assert _notified("monitoring.due_soon") == [
        "case_worker@yar", "coordinator@yar", "reintegration_worker@yar"
    ]


def test_filed_reports_and_cancelled_schedules_are_not_reminded(
    world: Any, clock: Clock
) -> None:
    filed = _schedule(world).reports.get()
    cancelled = _schedule(world)
    home = case_access(user=world.cast.user(Role.CASE_WORKER), code=world.case.code)
    schedule_cancel(actor=world.cast.user(Role.CASE_WORKER), access=home, schedule=cancelled)
    clock.set(at(DUE - days(10)))
    report_submit(
        actor=world.worker, access=case_access(user=world.worker, code=world.case.code),
        report=filed, contacted_on=timezone.localdate(), contact_mode=ContactMode.PHONE,
        living_situation="", work_situation="", feels_safe=None, retrafficking_signs=[],
        outcome=MonitoringOutcome.STABLE, needs_further_help=False, narrative="",
    )
    for moment in (at(DUE - days(7)), at(DUE + days(1))):
        assert reminders_send(now=moment) == {"due_soon": 0, "overdue": 0}
    assert set(cancelled.reports.values_list("status", flat=True)) == {ReportStatus.CANCELLED}


def test_reminder_emails_are_in_the_recipients_language_with_code_and_link_only(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _schedule(world).reports.get()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=at(DUE + days(1)))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {world.worker.email, world.coordinator.email}
    russian, english = by_address[world.worker.email], by_address[world.coordinator.email]
    link = f"/reintegration/cases/{world.case.code}/"
    for message in (russian, english):
        assert world.case.code in message.subject
        assert link in message.body
        assert "http" in message.body
        person = world.case.person
        for secret in (person.first_name, person.last_name, person.last_name_latin):
            assert secret not in f"{message.subject} {message.body}"
    assert "overdue" in english.subject
    # Dates are written the recipient's way (the wording itself follows the
    # catalogue's translation).
    assert "March 15, 2027" in english.subject
    assert "15 марта 2027" in russian.subject
    assert Notification.objects.filter(
        kind="monitoring.overdue", emailed_at__isnull=False
    ).count() == 2
    assert report.pk  # the report stays due


def test_the_scheduler_and_worker_send_each_reminder_once(
    world: Any, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    _schedule(world)

    def worker_once() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # Eight days before: the schedule appears and the first run reminds nobody.
    clock.set(at(DUE - days(8), 12))
    worker_once()
    schedule = Schedule.objects.get(kind=REMINDERS)
    assert schedule.next_run_at == at(DUE - days(8), 13)
    assert Job.objects.filter(kind=REMINDERS).count() == 1
    assert _notified("monitoring.due_soon") == []
    # Within the hour the worker queues nothing more.
    clock.set(at(DUE - days(8), 12, 59))
    worker_once()
    assert Job.objects.filter(kind=REMINDERS).count() == 1
    # Every hour a run; the due-soon reminder goes out once.
    for hour in range(13, 24 + 24):
        clock.set(at(DUE - days(8), 0) + datetime.timedelta(hours=hour, minutes=1))
        worker_once()
    assert Job.objects.filter(kind=REMINDERS).count() == 1 + 35
    assert _notified("monitoring.due_soon") == ["reintegration_worker@yar"]
    # A worker that was down for days catches up with one run, not many.
    clock.set(at(DUE + days(3), 10, 30))
    worker_once()
    worker_once()
    assert Job.objects.filter(kind=REMINDERS).count() == 1 + 35 + 1
    assert _notified("monitoring.overdue") == ["coordinator@yar", "reintegration_worker@yar"]
    schedule.refresh_from_db()
    assert schedule.next_run_at == at(DUE + days(3), 11)
    last = Job.objects.filter(kind=REMINDERS).order_by("-pk").first()
    assert last is not None
    assert schedule.last_job_id == last.pk
    assert (last.status, last.created_by_id, last.params) == (JobStatus.DONE, None, {})
    assert last.result == {"due_soon": 0, "overdue": 1}
    assert not Job.objects.filter(kind=REMINDERS).exclude(status=JobStatus.DONE).exists()
    assert len(mail.outbox) == 3  # one due-soon, two overdue
