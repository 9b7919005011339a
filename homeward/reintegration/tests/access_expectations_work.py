"""Access expectations of a case's reintegration workspace.

Every record belongs to a HOME case nobody is assigned to: its managers
(case workers, coordinators — both do reintegration work) may open the
pages; the other roles of HOME cannot see the case (404, like AWAY, which
has no accepted referral of it, and the site administrator). The receiving
side of a referral is tested in ``test_views_work*.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import NOT_FOUND, Expect
from homeward.reintegration.choices import CanReturnHome, EntryType, GoalArea, MonitoringPeriod
from homeward.reintegration.selectors import CaseAccess, case_access
from homeward.reintegration.services import assessments, assistance, monitoring, plans
from homeward.reintegration.tests.factories import make_kind, make_questionnaire

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})


def _access(cast: Any) -> tuple[Any, CaseAccess]:
    worker = cast.user(Role.CASE_WORKER)
    case: Case = open_case(cast, worker)
    return worker, case_access(user=worker, code=case.code)


def _code(cast: Any) -> dict[str, Any]:
    return {"code": open_case(cast, cast.user(Role.CASE_WORKER)).code}


def _assessment(cast: Any) -> dict[str, Any]:
    make_questionnaire()
    worker, access = _access(cast)
    assessment = assessments.assessment_create(
        actor=worker, access=access, assessed_on=timezone.localdate(),
        answers={"wants_home": True}, can_return_home=CanReturnHome.YES, return_barriers=[],
    )
    return {"code": access.case.code, "pk": assessment.pk}


def _plan(cast: Any) -> tuple[Any, CaseAccess, Any]:
    worker, access = _access(cast)
    plan = plans.plan_create(actor=worker, access=access, starts_on=timezone.localdate())
    return worker, access, plan


def _plan_code(cast: Any) -> dict[str, Any]:
    return {"code": _plan(cast)[1].case.code}


def _goal(cast: Any) -> dict[str, Any]:
    worker, access, plan = _plan(cast)
    goal = plans.goal_add(actor=worker, access=access, plan=plan, area=GoalArea.HOUSING,
                          description="A room to rent")
    return {"code": access.case.code, "pk": goal.pk}


def _entry(cast: Any) -> dict[str, Any]:
    worker, access = _access(cast)
    give_consent(access.case, worker, purpose=ConsentPurpose.ASSISTANCE)
    entry = assistance.ledger_record(
        actor=worker, access=access, entry_type=EntryType.GRANT, kind=make_kind(),
        amount=Decimal("100"), currency="EUR", entry_on=timezone.localdate(),
        approved_by=cast.user(Role.COORDINATOR),
    )
    return {"code": access.case.code, "pk": entry.pk}


def _schedule(cast: Any) -> Any:
    worker, access = _access(cast)
    return monitoring.schedule_create(
        actor=worker, access=access, organisation=access.case.organisation,
        period=MonitoringPeriod.THREE_MONTHS,
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
    )


def _schedule_kwargs(cast: Any) -> dict[str, Any]:
    schedule = _schedule(cast)
    return {"code": schedule.case.code, "pk": schedule.pk}


def _report(cast: Any) -> dict[str, Any]:
    schedule = _schedule(cast)
    return {"code": schedule.case.code, "pk": schedule.reports.get().pk}


def _expect(name: str, kwargs: Any, **extra: Any) -> Expect:
    return Expect(f"reintegration:{name}", kwargs=kwargs, allowed=MANAGERS, scoped=True,
                  others=NOT_FOUND, site_admin=NOT_FOUND, **extra)


EXPECTATIONS: list[Expect] = [
    _expect("case-reintegration", _code),
    _expect("assessment-new", _code),
    _expect("assessment-detail", _assessment),
    _expect("assessment-edit", _assessment),
    _expect("plan-edit", _code),
    _expect("goal-new", _plan_code),
    _expect("goal-edit", _goal),
    _expect("plan-review", _plan_code),
    _expect("ledger-new", _code),
    _expect("ledger-correct", _entry),
    _expect("monitoring-new", _code),
    _expect("monitoring-cancel", _schedule_kwargs),
    _expect("report-submit", _report),
]
