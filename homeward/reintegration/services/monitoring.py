"""Monitoring after reintegration: schedules, reports and their reminders.

A schedule names the organisation that monitors (the case's own, or one
that accepted a referral of the case) and creates one report per due date.
The monitoring organisation's workers file the reports; the case side is
notified of each, and warned when a report shows signs of re-trafficking.
Reminders go out 7 days before a due date and the day after it, each once
per report however often the reminder task runs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action
from homeward.cases.models import Case
from homeward.cases.selectors import case_managers_of
from homeward.cases.services._common import not_in_future
from homeward.notifications import kinds
from homeward.notifications.services import notify
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
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule, Referral
from homeward.reintegration.selectors import MANAGE_ROLES, WORK_ROLES, CaseAccess
from homeward.reintegration.services._work import audit_work, require, require_write, works_for

# Reports due at these months after the start, per period.
PERIOD_MONTHS: dict[str, list[int]] = {
    MonitoringPeriod.THREE_MONTHS: [3],
    MonitoringPeriod.SIX_MONTHS: [3, 6],
    MonitoringPeriod.TWELVE_MONTHS: [3, 6, 9, 12],
}
# The first reminder goes this many days before the due date.
REMIND_BEFORE_DAYS = 7
# The overdue reminder goes this many days after the due date.
REMIND_AFTER_DAYS = 1
# Outcomes that warn the case side, whatever the signs.
ALERT_OUTCOMES = frozenset({MonitoringOutcome.AT_RISK, MonitoringOutcome.RETRAFFICKED})


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the day is clamped to the month's end."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the page is not wired (yet): the case's workspace path
        return f"/reintegration/cases/{kwargs['code']}/"


def report_url(report: MonitoringReport) -> str:
    return _url("reintegration:report-submit", code=report.case.code, pk=report.pk)


def _case_url(case: Case) -> str:
    return _url("reintegration:case-reintegration", code=case.code)


def _members(organisation_id: int, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id,
            memberships__organisation__is_active=True, memberships__is_active=True,
            memberships__role__in=list(roles),
        ).distinct().order_by("username")
    )


def _monitoring_organisation_allowed(case: Case, organisation: Organisation) -> bool:
    return organisation.pk == case.organisation_id or Referral.objects.filter(
        case=case, receiver=organisation, status=ReferralStatus.ACCEPTED
    ).exists()


def _due_dates(
    period: str, starts_on: date, custom_dates: list[date] | None
) -> list[tuple[date, int | None]]:
    if period not in MonitoringPeriod.values:
        raise ValidationError({"period": _("Choose a monitoring period from the list.")})
    if period != MonitoringPeriod.CUSTOM:
        if custom_dates:
            raise ValidationError(
                {"custom_dates": _("Dates can only be given for a custom schedule.")}
            )
        return [(add_months(starts_on, months), months) for months in PERIOD_MONTHS[period]]
    dates = sorted(set(custom_dates or []))
    if not dates:
        raise ValidationError({"custom_dates": _("Give at least one date for the reports.")})
    if dates[0] <= starts_on:
        raise ValidationError(
            {"custom_dates": _("Report dates must come after the start of monitoring.")}
        )
    return [(due_on, None) for due_on in dates]


@transaction.atomic
def schedule_create(
    *,
    actor: User,
    access: CaseAccess,
    organisation: Organisation,
    period: str,
    starts_on: date,
    assignee: User | None = None,
    custom_dates: list[date] | None = None,
    referral: Referral | None = None,
) -> MonitoringSchedule:
    """Set up monitoring of the case by ``organisation``, with its reports.

    The case side may name its own organisation or one that accepted a
    referral of the case; a receiving organisation may only schedule its
    own monitoring. The assignee, if any, does reintegration work in the
    monitoring organisation. Audited in the case's log (and the partner's).
    """
    writer = require_write(actor, access)
    case = access.case
    require(access.full or organisation.pk == writer.pk)
    if not _monitoring_organisation_allowed(case, organisation):
        raise ValidationError({"organisation": _(
            "Monitoring can be done by the case's organisation or by one that accepted a "
            "referral of the case."
        )})
    if referral is None and organisation.pk != case.organisation_id:
        referral = (
            Referral.objects.filter(
                case=case, receiver=organisation, status=ReferralStatus.ACCEPTED
            ).order_by("-sent_at", "-id").first()
        )
    if referral is not None and (
        referral.case_id != case.pk or referral.receiver_id != organisation.pk
        or referral.status != ReferralStatus.ACCEPTED
    ):
        raise ValidationError({"referral": _(
            "The referral must be an accepted referral of this case to the monitoring "
            "organisation."
        )})
    if assignee is not None and not works_for(assignee, organisation):
        raise ValidationError({"assignee": _(
            "Choose a worker of the monitoring organisation who does reintegration work."
        )})
    due_dates = _due_dates(period, starts_on, custom_dates)
    schedule = MonitoringSchedule.objects.create(
        case=case, organisation=organisation, referral=referral, period=period,
        starts_on=starts_on, assignee=assignee, created_by=actor,
    )
    MonitoringReport.objects.bulk_create(
        MonitoringReport(schedule=schedule, case=case, organisation=organisation,
                         due_on=due_on, months=months)
        for due_on, months in due_dates
    )
    audit_work(action=Action.CREATE, actor=actor, access=access, target=schedule,
               fields=["organisation", "period", "starts_on", "assignee"],
               detail={"reports": len(due_dates)})
    return schedule


@transaction.atomic
def schedule_cancel(*, actor: User, access: CaseAccess, schedule: MonitoringSchedule) -> None:
    """End a schedule: its reports still due are cancelled (filed ones stay).

    The case side may cancel any schedule of the case; a receiving
    organisation only its own. Audited.
    """
    writer = require_write(actor, access)
    require(schedule.case_id == access.case.pk)
    require(access.full or schedule.organisation_id == writer.pk)
    current = MonitoringSchedule.objects.select_for_update().get(pk=schedule.pk)
    if not current.is_active:
        raise ReintegrationRuleError(_("This monitoring schedule has already ended."))
    current.is_active = False
    current.save(update_fields=["is_active"])
    cancelled = MonitoringReport.objects.filter(
        schedule=current, status=ReportStatus.DUE
    ).update(status=ReportStatus.CANCELLED)
    schedule.is_active = False
    audit_work(action=Action.UPDATE, actor=actor, access=access, target=current,
               fields=["is_active"], detail={"cancelled_reports": cancelled})


def _choice(value: str, choices: type[Any], field: str, *, required: bool) -> None:
    if not value:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")})


@transaction.atomic
def report_submit(
    *,
    actor: User,
    access: CaseAccess,
    report: MonitoringReport,
    contacted_on: date,
    contact_mode: str,
    living_situation: str,
    work_situation: str,
    feels_safe: bool | None,
    retrafficking_signs: list[str],
    outcome: str,
    needs_further_help: bool,
    narrative: str,
) -> MonitoringReport:
    """File a due report. Only workers of the monitoring organisation may.

    The case side is notified ("monitoring.submitted"); signs of
    re-trafficking, or an outcome At risk or Re-trafficked, also warn the
    case organisation's managers ("monitoring.alert"). Audited.
    """
    writer = require_write(actor, access)
    require(report.case_id == access.case.pk and report.organisation_id == writer.pk)
    current = (
        MonitoringReport.objects.select_for_update().select_related("schedule")
        .get(pk=report.pk)
    )
    if current.status != ReportStatus.DUE or not current.schedule.is_active:
        raise ReintegrationRuleError(_("This report is not due: it was filed or cancelled."))
    if contacted_on is None:
        raise ValidationError({"contacted_on": _("This field is required.")})
    not_in_future(contacted_on, "contacted_on")
    _choice(contact_mode, ContactMode, "contact_mode", required=True)
    _choice(living_situation, LivingSituation, "living_situation", required=False)
    _choice(work_situation, WorkSituation, "work_situation", required=False)
    _choice(outcome, MonitoringOutcome, "outcome", required=True)
    signs = list(dict.fromkeys(retrafficking_signs))
    if any(sign not in RetraffickingSign.values for sign in signs):
        raise ValidationError({"retrafficking_signs": _("Choose signs from the list.")})
    current.contacted_on = contacted_on
    current.contact_mode = contact_mode
    current.living_situation = living_situation
    current.work_situation = work_situation
    current.feels_safe = feels_safe
    current.retrafficking_signs = signs
    current.outcome = outcome
    current.needs_further_help = needs_further_help
    current.narrative = narrative
    current.status = ReportStatus.SUBMITTED
    current.submitted_by = actor
    current.submitted_at = timezone.now()
    current.save()
    audit_work(action=Action.UPDATE, actor=actor, access=access, target=current,
               fields=["status", "outcome", "retrafficking_signs", "narrative"])
    _notify_submitted(current, actor, writer)
    return current


def _case_side(case: Case) -> list[User]:
    """Who follows the case at its own organisation: the lead and the team,
    or, for a case without them, its case workers and coordinators."""
    users = [assignment.user for assignment in case.assignments.filter(
        is_active=True, user__is_active=True).select_related("user")]
    if case.case_owner is not None:
        users.append(case.case_owner)
    return users or list(case_managers_of(organisation=case.organisation))


def _notify_submitted(report: MonitoringReport, actor: User, writer: Organisation) -> None:
    case = report.case
    params = {"code": case.code, "organisation": writer.name,
              "date": report.due_on.isoformat()}
    url = _case_url(case)
    notify(
        users=[user for user in _case_side(case) if user.pk != actor.pk],
        kind=kinds.MONITORING_SUBMITTED.name, params=params, url=url,
        key=f"monitoring.submitted:{report.pk}", organisation=case.organisation,
    )
    if report.retrafficking_signs or report.outcome in ALERT_OUTCOMES:
        managers = [*case_managers_of(organisation=case.organisation),
                    *_members(case.organisation_id, MANAGE_ROLES)]
        notify(
            users=[user for user in managers if user.pk != actor.pk],
            kind=kinds.MONITORING_ALERT.name, params=params, url=url,
            key=f"monitoring.alert:{report.pk}", organisation=case.organisation,
        )


# --- reminders -----------------------------------------------------------------------


class _MembersOnce:
    """``_members`` for one run of the reminders: an organisation's members
    are read once however many of its reports are due."""

    def __init__(self) -> None:
        self._read: dict[tuple[int, frozenset[str]], list[User]] = {}

    def __call__(self, organisation_id: int, roles: Iterable[str]) -> list[User]:
        key = (organisation_id, frozenset(roles))
        if key not in self._read:
            self._read[key] = _members(organisation_id, roles)
        return self._read[key]


def _assignees(schedule: MonitoringSchedule, members: _MembersOnce) -> list[User]:
    assignee = schedule.assignee
    if assignee is not None and works_for(assignee, schedule.organisation_id):
        return [assignee]
    return members(schedule.organisation_id, WORK_ROLES)


def _remind(report: MonitoringReport, kind: kinds.Kind, users: list[User]) -> None:
    notify(
        users=users, kind=kind.name,
        params={"code": report.case.code, "date": report.due_on.isoformat()},
        url=report_url(report), key=f"{kind.name}:{report.pk}",
        organisation=report.organisation,
    )


def reminders_send(*, now: datetime) -> dict[str, int]:
    """Remind the monitoring organisation of reports due soon and overdue.

    7 days before the due date (``REMIND_BEFORE_DAYS``) the assignee — or,
    without one, the organisation's reintegration workers — gets "due
    soon"; from the day after the due date, "overdue", which also goes to
    the organisation's coordinators. Each reminder is sent once per report:
    it is claimed by a conditional update of ``reminded_before_at`` /
    ``reminded_overdue_at`` (so two runs at once cannot both send it), in
    the same transaction as the notifications. Returns counts per kind.
    """
    today = timezone.localdate(now)
    sent = {"due_soon": 0, "overdue": 0}
    members = _MembersOnce()
    due = MonitoringReport.objects.filter(
        status=ReportStatus.DUE, schedule__is_active=True, organisation__is_active=True
    )
    soon = due.filter(
        reminded_before_at__isnull=True,
        due_on__lte=today + timedelta(days=REMIND_BEFORE_DAYS), due_on__gte=today,
    )
    for pk in list(soon.values_list("pk", flat=True)):
        with transaction.atomic():
            if not MonitoringReport.objects.filter(
                pk=pk, reminded_before_at__isnull=True, status=ReportStatus.DUE
            ).update(reminded_before_at=now):
                continue
            report = _reminder_report(pk)
            _remind(report, kinds.MONITORING_DUE_SOON, _assignees(report.schedule, members))
            sent["due_soon"] += 1
    late = due.filter(
        reminded_overdue_at__isnull=True,
        due_on__lte=today - timedelta(days=REMIND_AFTER_DAYS),
    )
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            if not MonitoringReport.objects.filter(
                pk=pk, reminded_overdue_at__isnull=True, status=ReportStatus.DUE
            ).update(reminded_overdue_at=now):
                continue
            report = _reminder_report(pk)
            users = [*_assignees(report.schedule, members),
                     *members(report.organisation_id, MANAGE_ROLES)]
            _remind(report, kinds.MONITORING_OVERDUE, users)
            sent["overdue"] += 1
    return sent


def _reminder_report(pk: int) -> MonitoringReport:
    # Only what a reminder says: the case's code, never its person.
    return MonitoringReport.objects.select_related(
        "case", "schedule", "schedule__assignee", "organisation"
    ).only(
        "pk", "due_on", "organisation", "case__code", "schedule__is_active",
        "schedule__organisation", "schedule__assignee",
    ).get(pk=pk)
