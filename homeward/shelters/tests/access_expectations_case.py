"""Access expectations of the case side of the shelters and of the network
dashboard.

The case pages belong to a HOME case nobody is assigned to: its managers
(case workers, coordinators) may open them; the team roles of HOME cannot
see the case (404, like AWAY and the site administrator). A request to a
HOME shelter is also seen by the shelter side of HOME (shelter staff,
medical staff), who may not withdraw it (403). The waiting list is for those
who manage cases (their own organisations'); the dashboard for coordinators
of any organisation (counts only).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.cases.tests.expectations_pages_records import ExpectPerRole
from homeward.cases.tests.factories import open_case
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect
from homeward.shelters.services import referrals, waiting
from homeward.shelters.tests.factories import make_shelter

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
COORDINATORS = frozenset({Role.COORDINATOR})


def _case(cast: Any) -> Case:
    return open_case(cast, cast.user(Role.CASE_WORKER))


def _code(cast: Any) -> dict[str, Any]:
    return {"code": _case(cast).code}


def _refer(cast: Any) -> dict[str, Any]:
    return {"code": _case(cast).code, "shelter_pk": make_shelter(cast.home).pk}


def _referral(cast: Any) -> dict[str, Any]:
    referral = referrals.referral_send(
        actor=cast.user(Role.CASE_WORKER), case=_case(cast), shelter=make_shelter(cast.home),
        needed_from=timezone.localdate(),
    )
    return {"pk": referral.pk}


def _waiting(cast: Any) -> dict[str, Any]:
    entry = waiting.waiting_add(actor=cast.user(Role.CASE_WORKER), case=_case(cast))
    return {"pk": entry.pk}


def _case_expect(name: str, kwargs: Any, **extra: Any) -> Expect:
    return Expect(name, kwargs=kwargs, allowed=MANAGERS, scoped=True, others=NOT_FOUND,
                  site_admin=NOT_FOUND, **extra)


EXPECTATIONS: list[Expect] = [
    _case_expect("shelters:case-shelter", _code),
    _case_expect("shelters:placement-search", _code, query="children_months=6+months"),
    # GET shows the form; the POST is tested in test_views_placement.py.
    _case_expect("shelters:referral-create", _refer),
    ExpectPerRole(
        "shelters:referral-withdraw", kwargs=_referral, allowed=MANAGERS, scoped=True,
        others=NOT_FOUND, site_admin=NOT_FOUND,
        per_role=((Role.SHELTER_STAFF, FORBIDDEN), (Role.MEDICAL, FORBIDDEN)),
    ),
    _case_expect("shelters:waiting-add", _code),
    _case_expect("shelters:waiting-cancel", _waiting),
    Expect("shelters:waiting-list", allowed=MANAGERS, site_admin=FORBIDDEN),
    _case_expect("shelters:case-offer-create", _code),
    _case_expect("shelters:case-session-create", _code),
    Expect("shelters:dashboard", allowed=COORDINATORS, site_admin=FORBIDDEN),
]
