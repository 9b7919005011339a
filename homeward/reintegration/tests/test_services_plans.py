"""The reintegration plan, its goals and reviews (services/plans.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import TeamRole
from homeward.cases.services.cases import case_assign
from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import GoalArea, GoalStatus, PlanStatus, SharedPart
from homeward.reintegration.errors import EditConflict, ReintegrationRuleError
from homeward.reintegration.models import Goal, Plan
from homeward.reintegration.selectors import case_access
from homeward.reintegration.selectors_work import case_plan, plans_due_for_review
from homeward.reintegration.services.plans import (
    goal_add,
    goal_update,
    plan_create,
    plan_review,
    plan_update,
)
from homeward.reintegration.tests.factories import make_referral, partner_organisation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _plan(cast: Any, **values: Any) -> tuple[Any, Any, Plan]:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    access = case_access(user=worker, code=case.code)
    starts = values.pop("starts_on", timezone.localdate() - 10 * DAY)
    plan = plan_create(actor=worker, access=access, starts_on=starts, **values)
    return worker, access, plan


def test_case_worker_makes_the_plan_with_its_first_review_scheduled(cast: Any) -> None:
    _worker, _access, plan = _plan(
        cast, responsible_worker=cast.user(Role.REINTEGRATION_WORKER), target_region="Tver",
        summary="Training as a cook", review_every_days=14,
    )

    plan.refresh_from_db()
    assert (plan.responsible_organisation, plan.status) == (cast.home, PlanStatus.ACTIVE)
    assert plan.next_review_on == plan.starts_on + 14 * DAY
    audit = AuditEntry.objects.get(target_type="reintegration.Plan", target_id=str(plan.pk))
    assert audit.action == Action.CREATE
    assert "cook" not in str(audit.detail)


def test_one_plan_per_case(cast: Any) -> None:
    worker, access, _existing = _plan(cast)

    with pytest.raises(ReintegrationRuleError):
        plan_create(actor=worker, access=access, starts_on=timezone.localdate())


@pytest.mark.parametrize(("values", "field"), [
    ({"review_every_days": 0}, "review_every_days"),
    ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on"),
    ({"status": "Sleeping"}, "status"),
])
def test_bad_plans_are_refused(cast: Any, values: dict[str, Any], field: str) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)

    with pytest.raises(ValidationError) as refused:
        plan_create(actor=worker, access=case_access(user=worker, code=case.code),
                    starts_on=timezone.localdate(), **values)

    assert field in refused.value.message_dict
    assert not Plan.objects.exists()


def test_responsible_worker_must_work_for_the_responsible_organisation(cast: Any) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)

    for other in (cast.user(Role.REINTEGRATION_WORKER, "away"), cast.user(Role.ORG_ADMIN)):
        with pytest.raises(ValidationError) as refused:
            plan_create(actor=worker, access=case_access(user=worker, code=case.code),
                        starts_on=timezone.localdate(), responsible_worker=other)
        assert "responsible_worker" in refused.value.message_dict


def test_update_audits_changes_and_detects_conflicts(cast: Any) -> None:
    worker, access, plan = _plan(cast)

    updated = plan_update(actor=worker, access=access, plan=plan, version=1,
                          target_region="Yaroslavl", review_every_days=60)

    assert updated.version == 2
    assert updated.next_review_on == updated.starts_on + 60 * DAY
    audit = AuditEntry.objects.filter(target_type="reintegration.Plan",
                                      action=Action.UPDATE).get()
    assert set(audit.fields) == {"target_region", "review_every_days", "next_review_on"}
    with pytest.raises(EditConflict):
        plan_update(actor=cast.user(Role.COORDINATOR), access=case_access(
            user=cast.user(Role.COORDINATOR), code=access.case.code), plan=plan, version=1,
            summary="Other")
    with pytest.raises(TypeError):
        plan_update(actor=worker, access=access, plan=plan, version=2, case=None)


def test_goals_are_added_and_achieved(cast: Any) -> None:
    worker, access, plan = _plan(cast)
    goal = goal_add(actor=worker, access=access, plan=plan, area=GoalArea.HOUSING,
                    description="Rent a room", target_date=timezone.localdate() + 30 * DAY)
    second = goal_add(actor=worker, access=access, plan=plan, area=GoalArea.EMPLOYMENT,
                      description="Find work")

    achieved = goal_update(actor=worker, access=access, goal=goal, status=GoalStatus.ACHIEVED)
    assert achieved.achieved_on == timezone.localdate()
    reopened = goal_update(actor=worker, access=access, goal=goal,
                           status=GoalStatus.IN_PROGRESS)
    assert reopened.achieved_on is None
    assert [g.pk for g in plan.goals.all()] == [goal.pk, second.pk]
    with pytest.raises(ValidationError) as refused:
        goal_add(actor=worker, access=access, plan=plan, area="Space", description="x")
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as empty:
        goal_add(actor=worker, access=access, plan=plan, area=GoalArea.HEALTH,
                 description="  ")
    assert "description" in empty.value.message_dict
    assert Goal.objects.count() == 2


def test_review_moves_the_next_review(cast: Any) -> None:
    worker, access, plan = _plan(cast, review_every_days=30)
    today = timezone.localdate()
    assert list(plans_due_for_review(user=worker, on=today + 30 * DAY)) == [plan]

    review = plan_review(actor=worker, access=access, plan=plan, reviewed_on=today,
                         note="Going well")

    plan.refresh_from_db()
    assert review.next_review_on == plan.next_review_on == today + 30 * DAY
    assert plan.version == 2
    assert list(plans_due_for_review(user=worker, on=today + 29 * DAY)) == []
    custom = plan_review(actor=worker, access=access, plan=plan, reviewed_on=today,
                         next_review_on=today + 7 * DAY)
    assert custom.next_review_on == today + 7 * DAY
    with pytest.raises(ValidationError):
        plan_review(actor=worker, access=access, plan=plan, reviewed_on=today + DAY)
    with pytest.raises(ValidationError):
        plan_review(actor=worker, access=access, plan=plan, reviewed_on=today,
                    next_review_on=today)


def test_wrong_role_may_not_write_the_plan(cast: Any) -> None:
    worker, access, plan = _plan(cast)
    staff = cast.user(Role.SHELTER_STAFF)
    case_assign(actor=worker, case=access.case, user=staff, role=TeamRole.SHELTER)
    staff_access = case_access(user=staff, code=access.case.code)

    assert case_plan(user=staff, case=access.case) == plan
    with pytest.raises(PermissionDenied):
        plan_update(actor=staff, access=staff_access, plan=plan, version=1, summary="x")
    with pytest.raises(PermissionDenied):
        goal_add(actor=staff, access=access, plan=plan, area=GoalArea.HEALTH, description="x")
    with pytest.raises(PermissionDenied):
        plan_review(actor=cast.user(Role.CASE_WORKER, "away"), access=access, plan=plan,
                    reviewed_on=timezone.localdate())


def test_partner_responsible_for_the_plan_edits_it_and_the_case_side_sees_it(
    cast: Any
) -> None:
    case = open_case(cast)
    partner = partner_organisation("YAR")
    make_referral(case, partner.organisation)
    yaroslavl = partner.user(Role.REINTEGRATION_WORKER)
    access = case_access(user=yaroslavl, code=case.code)

    plan = plan_create(actor=yaroslavl, access=access, starts_on=timezone.localdate(),
                       responsible_worker=yaroslavl)
    goal = goal_add(actor=yaroslavl, access=access, plan=plan, area=GoalArea.DOCUMENTS,
                    description="New passport")
    plan_update(actor=yaroslavl, access=access, plan=plan, version=1, summary="Updated")

    assert plan.responsible_organisation == partner.organisation
    assert case_plan(user=cast.user(Role.CASE_WORKER), case=case) == plan
    assert case_plan(user=yaroslavl, case=case) == plan
    # The case side may edit the partner's plan too.
    home_access = case_access(user=cast.user(Role.CASE_WORKER), code=case.code)
    goal_update(actor=cast.user(Role.CASE_WORKER), access=home_access, goal=goal,
                status=GoalStatus.IN_PROGRESS)
    # The partner may not hand the plan to someone else.
    with pytest.raises(ValidationError):
        plan_update(actor=yaroslavl, access=access, plan=plan, version=2,
                    responsible_organisation=cast.away)


def test_partner_may_not_edit_the_case_sides_plan_unless_shared_to_read(cast: Any) -> None:
    worker, home_access, plan = _plan(cast)
    partner = partner_organisation("YAR")
    make_referral(home_access.case, partner.organisation,
                  shared_parts=[SharedPart.CODE, SharedPart.PLAN])
    yaroslavl = partner.user(Role.REINTEGRATION_WORKER)
    access = case_access(user=yaroslavl, code=home_access.case.code)

    assert case_plan(user=yaroslavl, case=home_access.case) == plan
    with pytest.raises(PermissionDenied):
        plan_update(actor=yaroslavl, access=access, plan=plan, version=1, summary="x")
    with pytest.raises(PermissionDenied):
        goal_add(actor=yaroslavl, access=access, plan=plan, area=GoalArea.HEALTH,
                 description="x")
    # The case side hands responsibility over to the partner; then it may.
    plan = plan_update(actor=worker, access=home_access, plan=plan, version=1,
                       responsible_organisation=partner.organisation,
                       responsible_worker=yaroslavl)
    goal_add(actor=yaroslavl, access=access, plan=plan, area=GoalArea.HEALTH,
             description="Dentist")
    with pytest.raises(ValidationError):
        plan_update(actor=worker, access=home_access, plan=plan, version=2,
                    responsible_organisation=cast.away, responsible_worker=None)
