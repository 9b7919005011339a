"""Reading monitoring: the overdue list, a worker's due reports, a case's
schedules. Everything goes through the access gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from homeward.accounts.selectors import organisation_ids
from homeward.cases.models import Case
from homeward.core import access
from homeward.core.fields import encrypted_fields
from homeward.reintegration.choices import ReportStatus
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule
from homeward.reintegration.selectors import WORK_ROLES, managed_organisation_ids

_LIST_DEFERRED = [
    *(f"case__{field.name}" for field in encrypted_fields(Case)),
    *(field.name for field in encrypted_fields(MonitoringReport)),
]


def _due(user: Any) -> QuerySet[MonitoringReport]:
    # Lists show case codes, never the case's notes or the report's text:
    # those encrypted columns are not even read.
    return (
        access.for_user(user, MonitoringReport)
        .filter(status=ReportStatus.DUE, schedule__is_active=True)
        .select_related("case", "organisation", "schedule", "schedule__assignee")
        .defer(*_LIST_DEFERRED)
        .order_by("due_on", "pk")
    )


def overdue_reports(*, user: Any) -> QuerySet[MonitoringReport]:
    """Reports still due after their date, for coordinators: those their
    organisation monitors or whose case it owns. Empty for anyone else."""
    managed = managed_organisation_ids(user)
    return _due(user).filter(due_on__lt=timezone.localdate()).filter(
        Q(organisation_id__in=managed) | Q(case__organisation_id__in=managed)
    )


def my_due_reports(*, user: Any) -> QuerySet[MonitoringReport]:
    """Reports due that the user files: assigned to them, or unassigned in
    an organisation where they do reintegration work."""
    return _due(user).filter(
        Q(schedule__assignee=user)
        | Q(schedule__assignee__isnull=True, organisation_id__in=organisation_ids(user, WORK_ROLES))
    )


def case_monitoring(*, user: Any, case: Case) -> list[MonitoringSchedule]:
    """The case's schedules the user may see, newest first, reports prefetched."""
    reports = access.for_user(user, MonitoringReport).order_by("due_on", "pk")
    return list(
        access.for_user(user, MonitoringSchedule).filter(case=case)
        .select_related("organisation", "assignee", "referral")
        .prefetch_related(Prefetch("reports", queryset=reports))
    )
