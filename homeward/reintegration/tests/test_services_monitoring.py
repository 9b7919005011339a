"""Monitoring schedules and reports: who may set them up and file them,
the due dates, the notifications a filed report sends."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.notifications.models import Notification
from homeward.reintegration.choices import (
    ContactMode,
    LivingSituation,
    MonitoringOutcome,
    MonitoringPeriod,
    ReferralStatus,
    ReportStatus,
    RetraffickingSign,
    WorkSituation,
)
from homeward.reintegration.errors import ReintegrationRuleError
from homeward.reintegration.models import MonitoringReport
from homeward.reintegration.selectors import case_access
from homeward.reintegration.selectors_monitoring import (
    case_monitoring,
    my_due_reports,
    overdue_reports,
)
from homeward.reintegration.services.monitoring import (
    add_months,
    report_submit,
    schedule_cancel,
    schedule_create,
)
from homeward.reintegration.tests.factories import make_referral, partner_organisation

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 31)


@pytest.fixture
def world(cast: Any) -> Any:
    """A HOME case referred to (and accepted by) the YAR partner."""

    class World:
        pass

    w = World()
    w.cast = cast  # type: ignore[attr-defined]
    w.case = open_case(cast)  # type: ignore[attr-defined]
    w.yar = partner_organisation("YAR")  # type: ignore[attr-defined]
    w.referral = make_referral(  # type: ignore[attr-defined]
        w.case, w.yar.organisation, sent_by=cast.user(Role.CASE_WORKER)  # type: ignore[attr-defined]
    )
    return w


def _home_access(w: Any, role: str = Role.CASE_WORKER) -> Any:
    return case_access(user=w.cast.user(role), code=w.case.code)


def _yar_access(w: Any, role: str = Role.REINTEGRATION_WORKER) -> Any:
    return case_access(user=w.yar.user(role), code=w.case.code)


def _schedule_for_yar(w: Any, period: str = MonitoringPeriod.TWELVE_MONTHS, **kw: Any) -> Any:
    return schedule_create(
        actor=w.cast.user(Role.CASE_WORKER), access=_home_access(w),
        organisation=w.yar.organisation, period=period, starts_on=START, **kw,
    )


def _report_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "contacted_on": timezone.localdate(), "contact_mode": ContactMode.VISIT,
        "living_situation": LivingSituation.WITH_FAMILY,
        "work_situation": WorkSituation.EMPLOYED, "feels_safe": True,
        "retrafficking_signs": [], "outcome": MonitoringOutcome.STABLE,
        "needs_further_help": False, "narrative": "Works at a bakery.",
    }
    values.update(overrides)
    return values


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(START, 1) == datetime.date(2026, 2, 28)
    assert add_months(START, 3) == datetime.date(2026, 4, 30)
    assert add_months(START, 12) == datetime.date(2027, 1, 31)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


@pytest.mark.parametrize(("period", "months"), [
    (MonitoringPeriod.THREE_MONTHS, [3]),
    (MonitoringPeriod.SIX_MONTHS, [3, 6]),
    (MonitoringPeriod.TWELVE_MONTHS, [3, 6, 9, 12]),
])
def test_a_schedule_creates_a_report_every_three_months_of_its_period(
    world: Any, period: str, months: list[int]
) -> None:
    schedule = _schedule_for_yar(world, period)
    reports = list(schedule.reports.order_by("due_on"))
    assert [r.months for r in reports] == months
    assert [r.due_on for r in reports] == [add_months(START, m) for m in months]
    assert {r.organisation_id for r in reports} == {world.yar.organisation.pk}
    assert {r.status for r in reports} == {ReportStatus.DUE}
    # The accepted referral is attached when none is named.
    assert schedule.referral == world.referral


def test_a_custom_schedule_uses_its_dates_which_must_follow_the_start(world: Any) -> None:
    dates = [START + datetime.timedelta(days=40), START + datetime.timedelta(days=10)]
    schedule = _schedule_for_yar(world, MonitoringPeriod.CUSTOM, custom_dates=dates)
    assert [r.due_on for r in schedule.reports.all()] == sorted(dates)
    assert {r.months for r in schedule.reports.all()} == {None}
    with pytest.raises(ValidationError) as error:
        _schedule_for_yar(world, MonitoringPeriod.CUSTOM, custom_dates=[])
    assert "custom_dates" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _schedule_for_yar(world, MonitoringPeriod.CUSTOM, custom_dates=[START])
    assert "custom_dates" in error.value.message_dict


def test_schedule_creation_is_audited_in_both_logs(world: Any) -> None:
    schedule = _schedule_for_yar(world)
    rows = AuditEntry.objects.filter(action=Action.CREATE,
                                     target_type="reintegration.MonitoringSchedule",
                                     target_id=str(schedule.pk))
    assert {row.organisation_code for row in rows} == {"HOME"}
    yar_schedule = schedule_create(
        actor=world.yar.user(Role.REINTEGRATION_WORKER), access=_yar_access(world),
        organisation=world.yar.organisation, period=MonitoringPeriod.THREE_MONTHS,
        starts_on=START,
    )
    rows = AuditEntry.objects.filter(target_id=str(yar_schedule.pk),
                                     target_type="reintegration.MonitoringSchedule")
    assert {row.organisation_code for row in rows} == {"HOME", "YAR"}


def test_monitoring_organisation_must_own_the_case_or_have_accepted_it(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        schedule_create(
            actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
            organisation=world.cast.away, period=MonitoringPeriod.THREE_MONTHS,
            starts_on=START,
        )
    assert "organisation" in error.value.message_dict
    # The case's own organisation may monitor.
    own = schedule_create(
        actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
        organisation=world.cast.home, period=MonitoringPeriod.THREE_MONTHS, starts_on=START,
    )
    assert own.referral is None


def test_the_assignee_must_work_in_the_monitoring_organisation(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _schedule_for_yar(world, assignee=world.cast.user(Role.CASE_WORKER))
    assert "assignee" in error.value.message_dict
    with pytest.raises(ValidationError):
        _schedule_for_yar(world, assignee=world.yar.user(Role.ORG_ADMIN))
    schedule = _schedule_for_yar(world, assignee=world.yar.user(Role.REINTEGRATION_WORKER))
    assert schedule.assignee == world.yar.user(Role.REINTEGRATION_WORKER)


def test_a_receiver_schedules_only_its_own_monitoring(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedule_create(
            actor=world.yar.user(Role.REINTEGRATION_WORKER), access=_yar_access(world),
            organisation=world.cast.home, period=MonitoringPeriod.THREE_MONTHS,
            starts_on=START,
        )


def test_a_role_without_reintegration_work_cannot_schedule(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedule_create(
            actor=world.yar.user(Role.ORG_ADMIN), access=_yar_access(world, Role.CASE_WORKER),
            organisation=world.yar.organisation, period=MonitoringPeriod.THREE_MONTHS,
            starts_on=START,
        )


def test_cancelling_a_schedule_cancels_its_due_reports_only(world: Any) -> None:
    schedule = _schedule_for_yar(world, MonitoringPeriod.SIX_MONTHS)
    first = schedule.reports.order_by("due_on").first()
    report_submit(actor=world.yar.user(Role.REINTEGRATION_WORKER), access=_yar_access(world),
                  report=first, **_report_values())
    schedule_cancel(actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
                    schedule=schedule)
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert [r.status for r in schedule.reports.order_by("due_on")] == [
        ReportStatus.SUBMITTED, ReportStatus.CANCELLED
    ]
    with pytest.raises(ReintegrationRuleError):
        schedule_cancel(actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
                        schedule=schedule)


def test_only_the_monitoring_organisation_files_a_report(world: Any) -> None:
    schedule = _schedule_for_yar(world, MonitoringPeriod.THREE_MONTHS)
    report = schedule.reports.get()
    with pytest.raises(PermissionDenied):
        report_submit(actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
                      report=report, **_report_values())
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_a_report_needs_an_outcome_and_a_contact_date_not_in_the_future(world: Any) -> None:
    report = _schedule_for_yar(world, MonitoringPeriod.THREE_MONTHS).reports.get()
    actor, access = world.yar.user(Role.REINTEGRATION_WORKER), _yar_access(world)
    with pytest.raises(ValidationError) as error:
        report_submit(actor=actor, access=access, report=report, **_report_values(outcome=""))
    assert "outcome" in error.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        report_submit(actor=actor, access=access, report=report,
                      **_report_values(contacted_on=tomorrow))
    assert "contacted_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report_submit(actor=actor, access=access, report=report,
                      **_report_values(retrafficking_signs=["Nonsense"]))
    assert "retrafficking_signs" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_a_filed_report_notifies_the_case_side_once_and_cannot_be_filed_again(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _schedule_for_yar(world, MonitoringPeriod.THREE_MONTHS).reports.get()
    actor, access = world.yar.user(Role.REINTEGRATION_WORKER), _yar_access(world)
    with django_capture_on_commit_callbacks(execute=True):
        filed = report_submit(actor=actor, access=access, report=report, **_report_values())
    assert (filed.status, filed.submitted_by, filed.outcome) == (
        ReportStatus.SUBMITTED, actor, MonitoringOutcome.STABLE
    )
    notes = Notification.objects.filter(kind="monitoring.submitted")
    # The case was opened by HOME's case worker, who leads it.
    assert [n.user for n in notes] == [world.cast.user(Role.CASE_WORKER)]
    assert notes[0].params["code"] == world.case.code
    assert not Notification.objects.filter(kind="monitoring.alert").exists()
    assert len(mail.outbox) == 1
    person = world.case.person
    assert world.case.code in mail.outbox[0].body
    assert person.last_name not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    with pytest.raises(ReintegrationRuleError):
        report_submit(actor=actor, access=access, report=report, **_report_values())


@pytest.mark.parametrize("values", [
    {"retrafficking_signs": [RetraffickingSign.RECRUITER_CONTACT]},
    {"outcome": MonitoringOutcome.AT_RISK},
    {"outcome": MonitoringOutcome.RETRAFFICKED},
])
def test_signs_of_retrafficking_alert_the_case_organisations_managers(
    world: Any, values: dict[str, Any]
) -> None:
    report = _schedule_for_yar(world, MonitoringPeriod.THREE_MONTHS).reports.get()
    report_submit(actor=world.yar.user(Role.REINTEGRATION_WORKER), access=_yar_access(world),
                  report=report, **_report_values(**values))
    alerted = {n.user.username for n in Notification.objects.filter(kind="monitoring.alert")}
    assert alerted == {"case_worker@home", "coordinator@home"}


def test_selectors_list_due_overdue_and_a_cases_monitoring(world: Any) -> None:
    past = timezone.localdate() - datetime.timedelta(days=200)
    schedule = schedule_create(
        actor=world.cast.user(Role.CASE_WORKER), access=_home_access(world),
        organisation=world.yar.organisation, period=MonitoringPeriod.TWELVE_MONTHS,
        starts_on=past, assignee=world.yar.user(Role.REINTEGRATION_WORKER),
    )
    overdue = [r for r in schedule.reports.all() if r.due_on < timezone.localdate()]
    assert overdue
    # Coordinators of the monitoring organisation and of the case's organisation.
    for user in (world.yar.user(Role.COORDINATOR), world.cast.user(Role.COORDINATOR)):
        assert list(overdue_reports(user=user)) == overdue
    # Nobody else, not even the assignee or a coordinator elsewhere.
    for user in (world.yar.user(Role.REINTEGRATION_WORKER),
                 world.cast.user(Role.COORDINATOR, "away")):
        assert not overdue_reports(user=user).exists()
    assert list(my_due_reports(user=world.yar.user(Role.REINTEGRATION_WORKER))) == list(
        schedule.reports.all()
    )
    assert not my_due_reports(user=world.yar.user(Role.CASE_WORKER)).exists()
    home_view = case_monitoring(user=world.cast.user(Role.CASE_WORKER), case=world.case)
    assert home_view == [schedule]
    assert len(home_view[0].reports.all()) == 4
    assert case_monitoring(user=world.cast.user(Role.CASE_WORKER, "away"), case=world.case) == []


def test_a_revoked_referral_ends_the_receivers_access_to_file(world: Any) -> None:
    report = _schedule_for_yar(world, MonitoringPeriod.THREE_MONTHS).reports.get()
    access = _yar_access(world)
    world.referral.status = ReferralStatus.REVOKED
    world.referral.save()
    with pytest.raises(PermissionDenied):
        report_submit(actor=world.yar.user(Role.REINTEGRATION_WORKER), access=access,
                      report=report, **_report_values())
    assert MonitoringReport.objects.get(pk=report.pk).status == ReportStatus.DUE
