"""The individual reintegration plan: one per case, with goals (target
dates, status) and reviews on a schedule.

The organisation that makes the plan is responsible for it; the plan is
edited by that organisation or by the case's own side. Every change is
audited (field names only) and optimistic locking guards the plan's edits.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action
from homeward.cases.services._common import lock_version, not_in_future
from homeward.reintegration.choices import GoalArea, GoalStatus, PlanStatus, ReferralStatus
from homeward.reintegration.errors import ReintegrationRuleError
from homeward.reintegration.models import Goal, Plan, PlanReview, Referral
from homeward.reintegration.selectors import CaseAccess
from homeward.reintegration.services._work import audit_work, require_write, works_for

PLAN_FIELDS = (
    "status", "responsible_organisation", "responsible_worker", "target_region", "summary",
    "review_every_days", "next_review_on", "starts_on", "ends_on",
)
GOAL_FIELDS = ("area", "description", "target_date", "status", "achieved_on", "position")
MAX_REVIEW_EVERY_DAYS = 366
TARGET_REGION_MAX = 120


def _check_plan(plan: Plan) -> None:
    if plan.status not in PlanStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    if not 1 <= plan.review_every_days <= MAX_REVIEW_EVERY_DAYS:
        raise ValidationError({"review_every_days": _(
            "Review the plan every 1 to %(max)d days."
        ) % {"max": MAX_REVIEW_EVERY_DAYS}})
    if plan.ends_on is not None and plan.ends_on < plan.starts_on:
        raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})
    if plan.responsible_worker is not None and not works_for(
        plan.responsible_worker, plan.responsible_organisation_id
    ):
        raise ValidationError({"responsible_worker": _(
            "Choose a reintegration worker of the responsible organisation."
        )})
    if len(plan.target_region) > TARGET_REGION_MAX:
        raise ValidationError({"target_region": _("The region name is too long.")})


def _may_edit_plan(access: CaseAccess, organisation: Organisation, plan: Plan) -> None:
    if plan.case_id != access.case.pk:
        raise PermissionDenied
    if not access.full and plan.responsible_organisation_id != organisation.pk:
        raise PermissionDenied


@transaction.atomic
def plan_create(
    *, actor: Any, access: CaseAccess, starts_on: datetime.date, responsible_worker: Any = None,
    target_region: str = "", summary: str = "", review_every_days: int = 30,
    ends_on: datetime.date | None = None, status: str = PlanStatus.ACTIVE,
) -> Plan:
    """The case's plan, with the actor's organisation responsible for it;
    the first review falls ``review_every_days`` after the start. One plan
    per case."""
    organisation = require_write(actor, access)
    if Plan.objects.select_for_update().filter(case=access.case).exists():
        raise ReintegrationRuleError(_("This case has a reintegration plan already."))
    plan = Plan(
        case=access.case, responsible_organisation=organisation,
        responsible_worker=responsible_worker, target_region=target_region.strip(),
        summary=summary, review_every_days=review_every_days, starts_on=starts_on,
        ends_on=ends_on, status=status, created_by=actor,
    )
    _check_plan(plan)
    plan.next_review_on = starts_on + datetime.timedelta(days=review_every_days)
    plan.save()
    audit_work(action=Action.CREATE, actor=actor, access=access, target=plan,
               fields=[name for name in PLAN_FIELDS if getattr(plan, name) not in (None, "")])
    return plan


def _responsible_allowed(access: CaseAccess, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    if organisation.pk == access.case.organisation_id:
        return True
    return Referral.objects.filter(
        case=access.case, receiver=organisation, status=ReferralStatus.ACCEPTED
    ).exists()


@transaction.atomic
def plan_update(*, actor: Any, access: CaseAccess, plan: Plan, version: int,
                **values: Any) -> Plan:
    """Edit the plan: the responsible organisation or the case's side
    (which alone may hand responsibility to a partner with an accepted
    referral). EditConflict when someone saved since ``version``."""
    organisation = require_write(actor, access)
    _may_edit_plan(access, organisation, plan)
    unknown = sorted(set(values) - set(PLAN_FIELDS))
    if unknown:
        raise TypeError(f"Plan has no editable field(s): {unknown}")
    current: Plan = lock_version(plan, version)
    before = {name: getattr(current, name) for name in PLAN_FIELDS}
    for name, value in values.items():
        setattr(current, name, value.strip() if name == "target_region" else value)
    if current.responsible_organisation_id != before["responsible_organisation"].pk and (
        not access.full or not _responsible_allowed(access, current.responsible_organisation)
    ):
        raise ValidationError({"responsible_organisation": _(
            "Choose the case's organisation or one that accepted a referral of the case."
        )})
    _check_plan(current)
    changed = [name for name in PLAN_FIELDS if getattr(current, name) != before[name]]
    schedule_moved = {"review_every_days", "starts_on"} & set(changed)
    if (schedule_moved and "next_review_on" not in values
            and not current.reviews.exists()):
        current.next_review_on = current.starts_on + datetime.timedelta(
            days=current.review_every_days)
        if current.next_review_on != before["next_review_on"]:
            changed.append("next_review_on")
    if changed:
        current.version += 1
        current.save()
        audit_work(action=Action.UPDATE, actor=actor, access=access, target=current,
                   fields=changed, detail={"version": current.version})
    return current


def _check_goal(goal: Goal) -> None:
    if goal.area not in GoalArea.values:
        raise ValidationError({"area": _("Choose one of the areas.")})
    if goal.status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    if not (goal.description or "").strip():
        raise ValidationError({"description": _("Describe the goal.")})
    not_in_future(goal.achieved_on, "achieved_on")


@transaction.atomic
def goal_add(
    *, actor: Any, access: CaseAccess, plan: Plan, area: str, description: str,
    target_date: datetime.date | None = None,
) -> Goal:
    """A new goal at the end of the plan (Planned). Those who may edit the plan."""
    organisation = require_write(actor, access)
    _may_edit_plan(access, organisation, plan)
    position = (plan.goals.aggregate(top=Max("position"))["top"] or 0) + 1
    goal = Goal(plan=plan, area=area, description=description.strip(),
                target_date=target_date, position=position)
    _check_goal(goal)
    goal.save()
    audit_work(action=Action.CREATE, actor=actor, access=access, target=goal,
               fields=["area", "description"] + (["target_date"] if target_date else []))
    return goal


@transaction.atomic
def goal_update(*, actor: Any, access: CaseAccess, goal: Goal, **values: Any) -> Goal:
    """Edit a goal. Achieved sets the day it was achieved (today unless
    given); any other status clears it."""
    organisation = require_write(actor, access)
    goal = Goal.objects.select_for_update().select_related("plan").get(pk=goal.pk)
    _may_edit_plan(access, organisation, goal.plan)
    unknown = sorted(set(values) - set(GOAL_FIELDS))
    if unknown:
        raise TypeError(f"Goal has no editable field(s): {unknown}")
    before = {name: getattr(goal, name) for name in GOAL_FIELDS}
    for name, value in values.items():
        setattr(goal, name, value.strip() if name == "description" else value)
    if goal.status == GoalStatus.ACHIEVED:
        if goal.achieved_on is None:
            goal.achieved_on = timezone.localdate()
    else:
        goal.achieved_on = None
    _check_goal(goal)
    changed = [name for name in GOAL_FIELDS if getattr(goal, name) != before[name]]
    if changed:
        goal.save()
        audit_work(action=Action.UPDATE, actor=actor, access=access, target=goal,
                   fields=changed)
    return goal


@transaction.atomic
def plan_review(
    *, actor: Any, access: CaseAccess, plan: Plan, reviewed_on: datetime.date, note: str = "",
    next_review_on: datetime.date | None = None,
) -> PlanReview:
    """Record a review of the plan and move its next review (by default
    ``review_every_days`` after this one)."""
    organisation = require_write(actor, access)
    _may_edit_plan(access, organisation, plan)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    not_in_future(reviewed_on, "reviewed_on")
    if reviewed_on < current.starts_on:
        raise ValidationError({"reviewed_on": _("The plan starts later than this date.")})
    following = next_review_on or reviewed_on + datetime.timedelta(
        days=current.review_every_days)
    if following <= reviewed_on:
        raise ValidationError({"next_review_on": _(
            "The next review comes after this one."
        )})
    review = PlanReview.objects.create(
        plan=current, reviewed_on=reviewed_on, reviewed_by=actor, note=note.strip(),
        next_review_on=following,
    )
    audit_work(action=Action.CREATE, actor=actor, access=access, target=review,
               fields=["reviewed_on", "next_review_on"] + (["note"] if note.strip() else []))
    if current.next_review_on != following:
        current.next_review_on = following
        current.version += 1
        current.save(update_fields=["next_review_on", "version", "updated_at"])
        audit_work(action=Action.UPDATE, actor=actor, access=access, target=current,
                   fields=["next_review_on"], detail={"version": current.version})
    plan.next_review_on, plan.version = current.next_review_on, current.version
    return review
