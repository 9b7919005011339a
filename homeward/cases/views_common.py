"""What every case page shares: fetching the case through the gate, the role
check, the audit row for the view, and the context of ``case_base.html``."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import STEP_ORDER, Step
from homeward.cases.models import Case

Need = Literal["see", "work", "manage", "medical"]


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def case_for(request: HttpRequest, code: str, *, need: Need = "see") -> tuple[User, Case]:
    """The case if the user may see it (else 404) and do ``need`` (else 403)."""
    user = request_user(request)
    case = selectors.case_get_for_user(user=user, code=code)
    if need == "work":
        selectors.require_work(user, case)
    elif need == "manage":
        selectors.require_manage(user, case)
    elif need == "medical":
        selectors.require_medical(user, case)
    return user, case


def case_page_context(user: User, case: Case, *, tab: str, audit: bool = True) -> dict[str, Any]:
    """The context of ``cases/case_base.html``; records the view in the audit
    log (every GET of a case page is audited, ``audit=False`` for POST
    re-renders that already wrote their own row)."""
    if audit:
        services.case_view_record(actor=user, case=case, tab=tab)
    current = STEP_ORDER.index(case.step) if case.step in STEP_ORDER else 0
    return {
        "case": case,
        "tab": tab,
        "minor": selectors.is_minor(case),
        "steps": [(value, label) for value, label in Step.choices],
        "steps_done": STEP_ORDER[:current],
        "can_manage": selectors.can_manage_case(user, case),
        "can_work": selectors.can_work_on_case(user, case),
        "can_medical": selectors.can_see_medical(user, case),
    }


def refuse_unless(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
