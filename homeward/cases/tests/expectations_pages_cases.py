"""Access expectations of the main case pages (urls_cases.py).

The case pages name a HOME case nobody else is assigned to: its managers
(case workers, coordinators) may use them; the team roles of HOME cannot see
the case (404, like AWAY and the site administrator, who is no member).

The list is for every role that works on cases, in any organisation (a
member of AWAY sees AWAY's cases; team members their own); opening a case
and the duplicate check are for managers only. Researchers, organisation
administrators and the site administrator get 403 on both.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.cases.choices import CaseKind, ReporterRelationship
from homeward.cases.models import Case
from homeward.cases.selectors import TEAM_ROLES
from homeward.cases.tests.factories import open_case
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
URGENT_OPENERS = MANAGERS | {Role.HOTLINE_OPERATOR}
CASE_ROLES = frozenset(TEAM_ROLES)


def _case(cast: Any) -> Case:
    return open_case(cast, cast.user(Role.CASE_WORKER))


def _code(cast: Any) -> dict[str, Any]:
    return {"code": _case(cast).code}


def _missing_code(cast: Any) -> dict[str, Any]:
    case = open_case(
        cast, cast.user(Role.CASE_WORKER), kind=CaseKind.MISSING_PERSON,
        missing_report={"reporter_name": "Мать", "reporter_relationship":
                        ReporterRelationship.PARENT},
    )
    return {"code": case.code}


def _lead_assignment(cast: Any) -> dict[str, Any]:
    """The lead's own place on the team: removing it is refused (nothing changes)."""
    case = _case(cast)
    return {"code": case.code, "pk": case.assignments.get().pk}


def _page(name: str, kwargs: Any = _code, method: str = "GET") -> Expect:
    return Expect(
        name, method=method, kwargs=kwargs, allowed=MANAGERS, scoped=True,
        others=NOT_FOUND, site_admin=NOT_FOUND,
    )


EXPECTATIONS: list[Expect] = [
    Expect("cases:case-list", allowed=CASE_ROLES, site_admin=FORBIDDEN),
    # Hotline operators open urgent cases (from a rescue escalation) too.
    Expect("cases:case-create", allowed=URGENT_OPENERS, site_admin=FORBIDDEN),
    Expect("cases:person-matches", method="POST", allowed=URGENT_OPENERS,
           site_admin=FORBIDDEN),
    _page("cases:case-detail"),
    _page("cases:case-edit"),
    _page("cases:person-edit"),
    _page("cases:case-advance"),
    _page("cases:case-close"),
    _page("cases:case-reopen"),
    _page("cases:case-found", _missing_code),
    _page("cases:missing-edit", _missing_code),
    _page("cases:team"),
    _page("cases:team-remove", _lead_assignment, method="POST"),
    _page("cases:case-export"),
]
