"""Reads of the statistics app's own records, through the access gate."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum

from homeward.accounts.models import Organisation
from homeward.core import access
from homeward.stats import scope
from homeward.stats.choices import Family
from homeward.stats.models import PrivacyBudget, Release


def release_list_for_user(*, user: Any) -> QuerySet[Release]:
    """The releases ``user`` may see: those counting only organisations whose
    figures they count (see ``scope``), newest first."""
    return (
        access.for_user(user, Release)
        .select_related("created_by")
        .prefetch_related("organisations")
        .order_by("-created_at", "-id")
    )


def release_get_for_user(*, user: Any, pk: int) -> Release:
    """One release ``user`` may see, or 404."""
    return access.get_for_user(user, release_list_for_user(user=user), pk=pk)


@dataclasses.dataclass(frozen=True)
class BudgetState:
    """A dataset's privacy budget with what its ledger has spent."""

    family: str
    organisation: Organisation | None
    total_milli: int
    spent_milli: int
    budget: PrivacyBudget | None = None

    @property
    def remaining_milli(self) -> int:
        return max(self.total_milli - self.spent_milli, 0)

    @property
    def total(self) -> float:
        return self.total_milli / 1000

    @property
    def spent(self) -> float:
        return self.spent_milli / 1000

    @property
    def remaining(self) -> float:
        return self.remaining_milli / 1000

    @property
    def family_label(self) -> str:
        return str(Family(self.family).label)


def budget_list_for_user(*, user: Any) -> list[BudgetState]:
    """The privacy budgets of the datasets ``user`` counts, with spent and
    remaining ε. Budgets are created on first release; the datasets not yet
    spent from are listed at the full configured budget (not saved)."""
    budgets = (
        access.for_user(user, PrivacyBudget)
        .select_related("organisation")
        .annotate(spent=Sum("charges__epsilon_milli"))
        .order_by("family", "organisation__code")
    )
    states = {
        (budget.family, budget.organisation_id): BudgetState(
            family=budget.family, organisation=budget.organisation,
            total_milli=budget.epsilon_total_milli, spent_milli=int(budget.spent or 0),
            budget=budget,
        )
        for budget in budgets
    }
    if scope.may_view(user):
        default = int(settings.HOMEWARD_DP_BUDGET_MILLI)
        for organisation in scope.report_organisations(user):
            for family in (Family.CASES, Family.HOTLINE, Family.SHELTERS):
                states.setdefault((family.value, organisation.pk), BudgetState(
                    family=family.value, organisation=organisation,
                    total_milli=default, spent_milli=0,
                ))
        states.setdefault((Family.CTDC.value, None), BudgetState(
            family=Family.CTDC.value, organisation=None, total_milli=default, spent_milli=0,
        ))
    order = {family: index for index, family in enumerate(Family.values)}
    return sorted(
        states.values(),
        key=lambda state: (order.get(state.family, 99),
                           state.organisation.code if state.organisation else ""),
    )
