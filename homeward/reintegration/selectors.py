"""The access gate of the reintegration family, and who may do what.

Who sees a case's reintegration records (assessments, the plan, the
ledger, monitoring):

- whoever sees the case through the case gate (its organisation's
  managers, its team) sees all of them, whichever organisation wrote them;
- an organisation that accepted a referral of the case (and not revoked
  since) sees, through its members who do reintegration work or manage
  cases, the records it wrote itself and the parts the sender shared
  (assessment, plan, assistance). Monitoring is seen by the organisation
  that monitors.

Referrals are seen by the sending side (managers of the sending
organisation, and whoever sees the case) and by the receiving side
(members of the receiving organisation who do reintegration work or
manage cases) — the receiving side sees the referral, not the case: what
of the case it may read is ``selectors_referrals.shared_view``.

The questionnaire, the catalogue, programmes and donors are the
coalition's shared reference data: every signed-in member reads them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from homeward.accounts.models import Membership, Organisation
from homeward.accounts.roles import Capability, roles_with
from homeward.accounts.selectors import organisation_ids, signed_in
from homeward.cases.models import Case
from homeward.core import access
from homeward.core.multichoice import has_value
from homeward.reintegration.choices import ReferralStatus, SharedPart
from homeward.reintegration.models import (
    Assessment,
    AssistanceKind,
    Donor,
    EligibilityRule,
    Goal,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
    PlanReview,
    Programme,
    Question,
    Questionnaire,
    Referral,
)

WORK_ROLES = roles_with(Capability.REINTEGRATION_WORK)
MANAGE_ROLES = roles_with(Capability.REINTEGRATION_MANAGE)
CASE_MANAGER_ROLES = roles_with(Capability.CASES_MANAGE)
# Who answers and works on the referrals an organisation receives.
RECEIVER_ROLES = WORK_ROLES | CASE_MANAGER_ROLES


def received_case_ids(user: Any, part: str | None = None) -> QuerySet[Referral, Any]:
    """Cases referred to (and accepted by) an organisation where the user
    receives referrals; with ``part``, only referrals that share it."""
    referrals = Referral.objects.filter(
        status=ReferralStatus.ACCEPTED, receiver_id__in=organisation_ids(user, RECEIVER_ROLES)
    )
    if part is not None:
        referrals = referrals.filter(has_value("shared_parts", part))
    return referrals.values("case_id")


def _case_records(
    user: Any, queryset: QuerySet[Any], *, case: str, organisation: str, part: str | None
) -> QuerySet[Any]:
    if not signed_in(user):
        return queryset.none()
    visible = Q(**{f"{case}__in": access.for_user(user, Case).values("pk")})
    visible |= Q(**{
        f"{case}__in": received_case_ids(user),
        f"{organisation}__in": organisation_ids(user, RECEIVER_ROLES),
    })
    if part is not None:
        visible |= Q(**{f"{case}__in": received_case_ids(user, part)})
    return queryset.filter(visible)


@access.register(Assessment)
def _assessments(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return _case_records(user, queryset, case="case_id", organisation="organisation_id",
                         part=SharedPart.ASSESSMENT)


@access.register(Plan)
def _plans(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return _case_records(user, queryset, case="case_id",
                         organisation="responsible_organisation_id", part=SharedPart.PLAN)


@access.register(Goal)
@access.register(PlanReview)
def _plan_parts(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return _case_records(user, queryset, case="plan__case_id",
                         organisation="plan__responsible_organisation_id",
                         part=SharedPart.PLAN)


@access.register(LedgerEntry)
def _ledger(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return _case_records(user, queryset, case="case_id", organisation="organisation_id",
                         part=SharedPart.ASSISTANCE)


@access.register(MonitoringSchedule)
@access.register(MonitoringReport)
def _monitoring(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return _case_records(user, queryset, case="case_id", organisation="organisation_id",
                         part=None)


@access.register(Referral)
def _referrals(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not signed_in(user):
        return queryset.none()
    return queryset.filter(
        Q(sender_id__in=organisation_ids(user, CASE_MANAGER_ROLES))
        | Q(case_id__in=access.for_user(user, Case).values("pk"))
        | Q(receiver_id__in=organisation_ids(user, RECEIVER_ROLES))
    )


def _members_only(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not signed_in(user):
        return queryset.none()
    if getattr(user, "is_site_admin", False) or Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).exists():
        return queryset
    return queryset.none()


for _model in (Questionnaire, Question, AssistanceKind, EligibilityRule, Donor, Programme):
    access.register(_model)(_members_only)


# --- who may do what ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseAccess:
    """How the user reaches a case's reintegration records.

    ``full``: through the case gate (the case's own side). Otherwise
    through ``referral``, an accepted referral to ``organisation``.
    ``organisation`` is the one the user works for here (writes are
    recorded in its name); None when the user may read but not write.
    """

    case: Case
    full: bool
    organisation: Organisation | None
    referral: Referral | None

    @property
    def may_write(self) -> bool:
        return self.organisation is not None

    def shares(self, part: str) -> bool:
        return self.full or (self.referral is not None and part in self.referral.shared_parts)

    @property
    def reads_eligibility(self) -> bool:
        """Whether the catalogue's rules may be applied to the person here:
        they read citizenship and children, so a receiving organisation
        needs both parts shared (an amount line would tell them)."""
        return self.shares(SharedPart.ORIGIN) and self.shares(SharedPart.CHILDREN)


def _work_organisation(user: Any, organisation_id: int) -> Organisation | None:
    membership = (
        Membership.objects.filter(
            user=user, is_active=True, organisation_id=organisation_id,
            organisation__is_active=True, role__in=WORK_ROLES,
        ).select_related("organisation").first()
    )
    return membership.organisation if membership is not None else None


def case_access(*, user: Any, code: str) -> CaseAccess:
    """The case by code as reintegration work reaches it; 404 for a case the
    user cannot reach — the same answer as for a case that does not exist."""
    if not signed_in(user):
        raise Http404
    case = (
        access.for_user(user, Case).select_related("person", "organisation")
        .filter(code=code).first()
    )
    if case is not None:
        return CaseAccess(
            case=case, full=True,
            organisation=_work_organisation(user, case.organisation_id), referral=None,
        )
    referral = (
        Referral.objects.filter(
            case__code=code, status=ReferralStatus.ACCEPTED,
            receiver_id__in=organisation_ids(user, RECEIVER_ROLES),
        ).select_related("case", "case__person", "case__organisation", "receiver")
        .order_by("-sent_at", "-id").first()
    )
    if referral is None:
        raise Http404
    return CaseAccess(
        case=referral.case, full=False,
        organisation=_work_organisation(user, referral.receiver_id), referral=referral,
    )


def may_manage(user: Any) -> bool:
    """Coordinators: questionnaire, catalogue, programmes, totals, overdue list."""
    return signed_in(user) and organisation_ids(user, MANAGE_ROLES).exists()


def managed_organisation_ids(user: Any) -> QuerySet[Membership, Any]:
    return organisation_ids(user, MANAGE_ROLES)


def may_receive(user: Any) -> bool:
    """Whether the user works a queue of received referrals."""
    return signed_in(user) and organisation_ids(user, RECEIVER_ROLES).exists()
