"""Access expectations of the reintegration API: one per operation (URL name
and method).

Work on a case: a HOME case (adult, consent to assistance on record) with
HOME's reintegration worker and shelter staff on its team. Its case
workers and coordinators (who manage every case of HOME) and the
reintegration worker read and write its reintegration records; the shelter
staff member sees the case but does no reintegration work: reads, and 403
on writes. Every other role of HOME, every member of AWAY and the site
administrator get 404.

Referrals: a case of AWAY referred by AWAY to HOME. The receiving side —
HOME's members who do reintegration work or manage cases (case workers,
reintegration workers, coordinators) — answers; the sending side — AWAY's
case workers and coordinators — revokes. Each side sees the referral and
gets 403 for the other side's actions; everyone else 404.

The catalogue, the questionnaire and one's own notifications: every
member (and the site administrator). Totals and the overdue list:
coordinators of any organisation. Anonymous callers get 403, as everywhere
in the API.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homeward.accounts.models import Membership, Organisation
from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose, TeamRole
from homeward.cases.models import Case
from homeward.cases.services import case_assign
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import ALL_ROLES, FORBIDDEN, NOT_FOUND, OK, Expect
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    AssistanceCategory,
    MonitoringPeriod,
    QuestionnaireStatus,
    ReferralStatus,
)
from homeward.reintegration.models import (
    AssistanceKind,
    Goal,
    MonitoringReport,
    Plan,
    Questionnaire,
    Referral,
)
from homeward.reintegration.selectors import case_access
from homeward.reintegration.services.monitoring import schedule_create
from homeward.reintegration.services.plans import goal_add, plan_create
from homeward.reintegration.tests.factories import (
    Partner,
    make_questionnaire,
    make_referral,
    partner_organisation,
)

# Who reaches the HOME case: its managers and its team.
WRITERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR, Role.REINTEGRATION_WORKER})
READERS = WRITERS | {Role.SHELTER_STAFF}
# Referral sides (the case is AWAY's, the referral goes to HOME).
RECEIVERS = frozenset({Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.COORDINATOR})
SENDERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
CASE_WORK = frozenset({
    Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL,
    Role.REINTEGRATION_WORKER, Role.COORDINATOR,
})
COORDINATORS = frozenset({Role.COORDINATOR})


@dataclasses.dataclass(frozen=True)
class Sides(Expect):
    """Outcomes per organisation: roles in ``home_ok`` / ``away_ok`` succeed,
    roles in ``home_sees`` / ``away_sees`` see the record but get 403, every
    other role 404."""

    home_ok: frozenset[str] = frozenset()
    home_sees: frozenset[str] = frozenset()
    away_ok: frozenset[str] = frozenset()
    away_sees: frozenset[str] = frozenset()

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        ok, sees = (
            (self.home_ok, self.home_sees) if same_organisation
            else (self.away_ok, self.away_sees)
        )
        if role in ok:
            return OK
        if role in sees:
            return FORBIDDEN
        return NOT_FOUND


def _sides(name: str, kwargs: Any, **extra: Any) -> Sides:
    extra.setdefault("not_allowed_method", None)
    return Sides(
        f"api:{name}", kwargs=kwargs, anonymous=FORBIDDEN, site_admin=NOT_FOUND, **extra
    )


def _today() -> str:
    return timezone.localdate().isoformat()


# --- records --------------------------------------------------------------------------


def work_case(cast: Any) -> Case:
    """A HOME case with consent to assistance, its reintegration worker and
    shelter staff on the team, and a published questionnaire in use."""
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.ASSISTANCE)
    case_assign(actor=worker, case=case, user=cast.user(Role.REINTEGRATION_WORKER),
                role=TeamRole.REINTEGRATION)
    case_assign(actor=worker, case=case, user=cast.user(Role.SHELTER_STAFF),
                role=TeamRole.SHELTER)
    if not Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).exists():
        make_questionnaire()
    return case


def with_plan(cast: Any, case: Case | None = None) -> Case:
    case = case or work_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    access = case_access(user=worker, code=case.code)
    plan = plan_create(actor=worker, access=access, starts_on=timezone.localdate())
    goal_add(actor=worker, access=access, plan=plan, area="Housing",
             description="A room of her own")
    return case


def with_report(cast: Any) -> MonitoringReport:
    case = work_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    access = case_access(user=worker, code=case.code)
    schedule = schedule_create(
        actor=worker, access=access, organisation=cast.home,
        period=MonitoringPeriod.THREE_MONTHS,
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    return schedule.reports.get()


def matrix_kind() -> AssistanceKind:
    kind, _created = AssistanceKind.objects.get_or_create(
        code="matrix-vocational", defaults={
            "category": AssistanceCategory.VOCATIONAL_TRAINING, "name_en": "Training",
            "name_ru": "Обучение", "default_amount": Decimal("300.00"), "currency": "EUR",
        },
    )
    return kind


def partner(code: str = "YAR") -> Partner:
    """The regional partner NGO (made once per test)."""
    existing = Organisation.objects.filter(code=code).first()
    if existing is None:
        return partner_organisation(code)
    users = {
        membership.role: membership.user
        for membership in Membership.objects.filter(organisation=existing)
        .select_related("user")
    }
    entry = Entry.objects.filter(organisation=existing).first()
    assert entry is not None
    return Partner(organisation=existing, entry=entry, users=users)


def away_referral(cast: Any, *, status: str = ReferralStatus.PENDING) -> Referral:
    """A case of AWAY referred by its case worker to HOME."""
    sender = cast.user(Role.CASE_WORKER, "away")
    case = open_case(cast.away, sender)
    return make_referral(case, cast.home, status=status, sent_by=sender)


# --- URL kwargs and bodies -----------------------------------------------------------------


def _code(cast: Any) -> dict[str, Any]:
    return {"code": work_case(cast).code}


def _planned(cast: Any) -> dict[str, Any]:
    return {"code": with_plan(cast).code}


def _goal(cast: Any) -> dict[str, Any]:
    case = with_plan(cast)
    goal = Goal.objects.filter(plan__case=case).get()
    return {"code": case.code, "pk": goal.pk}


def _eligibility(cast: Any) -> dict[str, Any]:
    return {"code": work_case(cast).code, "kind_pk": matrix_kind().pk}


def _report(cast: Any) -> dict[str, Any]:
    return {"pk": with_report(cast).pk}


def _pending(cast: Any) -> dict[str, Any]:
    return {"pk": away_referral(cast).pk}


def _accepted(cast: Any) -> dict[str, Any]:
    return {"pk": away_referral(cast, status=ReferralStatus.ACCEPTED).pk}


def _questionnaire(cast: Any) -> dict[str, Any]:
    if not Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).exists():
        make_questionnaire()
    return {}


def _new_referral(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "case": work_case(cast).code, "receiver_entry": partner().entry.pk,
        "purposes": ["Reintegration"], "needs": ["Housing"],
    }


def _assessment(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"assessed_on": _today(), "answers": {"wants_home": True},
            "can_return_home": "Undecided"}


def _plan_body(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"starts_on": _today()}


def _plan_patch(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    plan = Plan.objects.get(case__code=kwargs["code"])
    return {"version": plan.version, "target_region": f"Region {plan.version}"}


def _ledger_body(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "entry_type": "Grant", "kind": matrix_kind().pk, "amount": "100.00",
        "currency": "EUR", "entry_on": _today(),
        "approved_by": cast.user(Role.COORDINATOR).pk,
    }


def _report_body(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"contacted_on": _today(), "contact_mode": "Phone", "outcome": "Stable"}


def _reason(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"reason": "Not in our region"}


def _empty(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {}


EXPECTATIONS: list[Expect] = [
    # --- referrals ---
    # The queues: whoever answers referrals or works on cases (their own rows).
    Expect(
        "api:reintegration-referral-list", anonymous=FORBIDDEN, allowed=CASE_WORK,
        site_admin=FORBIDDEN, not_allowed_method="PUT",
    ),
    # Sending: the case's managers (HOME's case, to the partner NGO); its
    # team sees the case but may not refer it.
    _sides("reintegration-referral-list", None, method="POST", data=_new_referral,
           home_ok=SENDERS, home_sees=READERS - SENDERS),
    _sides("reintegration-referral-detail", _pending, home_ok=RECEIVERS, away_ok=SENDERS,
           not_allowed_method="PATCH"),
    _sides("reintegration-referral-export", _pending, home_ok=RECEIVERS, away_ok=SENDERS,
           not_allowed_method="POST"),
    _sides("reintegration-referral-accept", _pending, method="POST", fresh=True, data=_empty,
           home_ok=RECEIVERS, away_sees=SENDERS, not_allowed_method="GET"),
    _sides("reintegration-referral-decline", _pending, method="POST", fresh=True,
           data=_reason, home_ok=RECEIVERS, away_sees=SENDERS, not_allowed_method="GET"),
    _sides("reintegration-referral-revoke", _pending, method="POST", fresh=True,
           data=_reason, home_sees=RECEIVERS, away_ok=SENDERS, not_allowed_method="GET"),
    _sides("reintegration-referral-complete", _accepted, method="POST", fresh=True,
           home_ok=RECEIVERS, away_ok=SENDERS, not_allowed_method="GET"),
    # --- work on a HOME case ---
    _sides("reintegration-assessment-list", _code, home_ok=READERS,
           not_allowed_method="PUT"),
    _sides("reintegration-assessment-list", _code, method="POST", data=_assessment,
           home_ok=WRITERS, home_sees=READERS - WRITERS),
    _sides("reintegration-plan", _planned, home_ok=READERS, not_allowed_method="PUT"),
    _sides("reintegration-plan", _code, method="POST", fresh=True, data=_plan_body,
           home_ok=WRITERS, home_sees=READERS - WRITERS),
    _sides("reintegration-plan", _planned, method="PATCH", data=_plan_patch,
           home_ok=WRITERS, home_sees=READERS - WRITERS),
    _sides("reintegration-goal-list", _planned, method="POST",
           data=lambda cast, kwargs: {"area": "Employment", "description": "A job"},
           home_ok=WRITERS, home_sees=READERS - WRITERS, not_allowed_method="GET"),
    _sides("reintegration-goal-detail", _goal, method="PATCH",
           data=lambda cast, kwargs: {"status": "InProgress"},
           home_ok=WRITERS, home_sees=READERS - WRITERS, not_allowed_method="DELETE"),
    _sides("reintegration-plan-review", _planned, method="POST",
           data=lambda cast, kwargs: {"reviewed_on": _today(), "note": "On track"},
           home_ok=WRITERS, home_sees=READERS - WRITERS, not_allowed_method="GET"),
    # The ledger is append-only: no PUT, PATCH or DELETE.
    _sides("reintegration-ledger", _code, home_ok=READERS, not_allowed_method="DELETE"),
    _sides("reintegration-ledger", _code, method="POST", data=_ledger_body,
           home_ok=WRITERS, home_sees=READERS - WRITERS, not_allowed_method="PUT"),
    _sides("reintegration-eligibility", _eligibility, home_ok=WRITERS,
           home_sees=READERS - WRITERS, not_allowed_method="POST"),
    _sides("reintegration-monitoring", _code, home_ok=READERS, not_allowed_method="PUT"),
    _sides("reintegration-monitoring", _code, method="POST",
           data=lambda cast, kwargs: {"period": "3", "starts_on": _today()},
           home_ok=WRITERS, home_sees=READERS - WRITERS),
    _sides("reintegration-report-detail", _report, home_ok=READERS,
           not_allowed_method="PATCH"),
    _sides("reintegration-report-detail", _report, method="POST", fresh=True,
           data=_report_body, home_ok=WRITERS, home_sees=READERS - WRITERS),
    # --- the network's reference data and overviews ---
    Expect(
        "api:reintegration-overdue", anonymous=FORBIDDEN, allowed=COORDINATORS,
        site_admin=FORBIDDEN, not_allowed_method="POST",
    ),
    Expect(
        "api:reintegration-kind-list", anonymous=FORBIDDEN, allowed=ALL_ROLES,
        site_admin=OK, not_allowed_method="POST",
    ),
    Expect(
        "api:reintegration-totals", anonymous=FORBIDDEN, allowed=COORDINATORS,
        site_admin=FORBIDDEN, not_allowed_method="POST", query="group_by=donor",
    ),
    Expect(
        "api:reintegration-questionnaire", kwargs=_questionnaire, anonymous=FORBIDDEN,
        allowed=ALL_ROLES, site_admin=OK, not_allowed_method="POST",
    ),
    # --- one's own notifications ---
    Expect(
        "api:notification-list", anonymous=FORBIDDEN, allowed=ALL_ROLES, site_admin=OK,
        not_allowed_method="POST",
    ),
]
