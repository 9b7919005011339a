"""Reads of the questionnaire, assessments and plans (through the gate)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from homeward.cases.models import Case
from homeward.core import access
from homeward.core.fields import encrypted_fields
from homeward.reintegration.choices import PlanStatus, QuestionnaireStatus
from homeward.reintegration.models import Assessment, Plan, PlanReview, Questionnaire


def current_questionnaire() -> Questionnaire | None:
    """The questionnaire version in use (the newest published), if any."""
    return (
        Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED)
        .order_by("-version").prefetch_related("questions").first()
    )


def case_assessments(*, user: Any, case: Case) -> QuerySet[Assessment]:
    """The case's assessments the user may read, newest first."""
    return (
        access.for_user(user, Assessment).filter(case=case)
        .select_related("organisation", "questionnaire", "assessed_by")
        .order_by("-assessed_on", "-id")
    )


def case_plan(*, user: Any, case: Case) -> Plan | None:
    """The case's plan if the user may read it, with goals and reviews."""
    return (
        access.for_user(user, Plan).filter(case=case)
        .select_related("responsible_organisation", "responsible_worker")
        .prefetch_related(
            "goals", Prefetch("reviews", PlanReview.objects.select_related("reviewed_by"))
        ).first()
    )


def plans_due_for_review(
    *, user: Any, on: datetime.date | None = None
) -> QuerySet[Plan]:
    """Active plans the user may read whose review is due by ``on`` (today)."""
    day = on or timezone.localdate()
    return (
        access.for_user(user, Plan)
        .filter(status=PlanStatus.ACTIVE, next_review_on__lte=day)
        .select_related("case", "responsible_organisation")
        # The landing page shows the case code: the case's encrypted columns are not read.
        .defer(*(f"case__{field.name}" for field in encrypted_fields(Case)))
        .order_by("next_review_on", "id")
    )
