"""Access expectations of the case API: one per operation (URL name and method).

Records belong to a HOME case nobody else is assigned to: its managers (case
workers, coordinators) may use it; the other roles of HOME cannot see it
(404, like every member of AWAY and the site administrator). Anonymous
callers get 403, as everywhere in the API. Roles that see a case but may
not change it (assigned team members) get 403: ``test_api.py`` checks them.

Requests that change a record send a valid JSON body (``data``); those that
would not work twice on the same record (advance, close, delete) get a fresh
record for every audience (``fresh``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Capability, Role, roles_with
from homeward.cases import services
from homeward.cases.choices import ConsentPurpose, EventType
from homeward.cases.models import Case, Person
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
CASE_ROLES = roles_with(Capability.CASES_TEAM)


def matrix_case(cast: Any) -> Case:
    """A HOME case of an adult who consented to assistance."""
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.ASSISTANCE)
    return case


def _code(cast: Any) -> dict[str, Any]:
    return {"code": matrix_case(cast).code}


def _event(cast: Any) -> dict[str, Any]:
    case = matrix_case(cast)
    event = services.event_create(
        actor=cast.user(Role.CASE_WORKER), case=case, type=EventType.RECRUITMENT,
        country="TR", city="Istanbul",
    )
    return {"code": case.code, "pk": event.pk}


def _person(cast: Any) -> dict[str, Any]:
    return {"pk": matrix_case(cast).person_id}


def _today() -> str:
    return timezone.localdate().isoformat()


def _new_case(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "organisation": cast.home.code, "referral_source": "Hotline",
        "person": {"first_name": "Матрица", "last_name": "Проверкина", "birth_year": 1990},
    }


def _case_edit(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    version = Case.objects.get(code=kwargs["code"]).version
    return {"version": version, "destination_city": "Antalya"}


def _person_edit(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    version = Person.objects.get(pk=kwargs["pk"]).version
    return {"version": version, "origin_city": "Tver"}


def _case_expect(name: str, kwargs: Any = _code, **extra: Any) -> Expect:
    extra.setdefault("not_allowed_method", None)
    return Expect(
        f"api:{name}", kwargs=kwargs, anonymous=FORBIDDEN, allowed=MANAGERS, scoped=True,
        others=NOT_FOUND, site_admin=NOT_FOUND, **extra,
    )


EXPECTATIONS: list[Expect] = [
    # Every role that works on cases has a list (of the cases it may see).
    Expect("api:cases-list", anonymous=FORBIDDEN, allowed=CASE_ROLES, site_admin=FORBIDDEN),
    # Opening a case in HOME: only its case workers and coordinators.
    Expect(
        "api:cases-list", method="POST", data=_new_case, anonymous=FORBIDDEN, allowed=MANAGERS,
        away=FORBIDDEN, site_admin=FORBIDDEN, not_allowed_method=None,
    ),
    _case_expect("cases-detail", not_allowed_method="PUT"),
    _case_expect("cases-detail", method="PATCH", data=_case_edit),
    _case_expect(
        "cases-advance", method="POST", fresh=True,
        data=lambda cast, kwargs: {"step": "Rescue", "happened_on": _today()},
        not_allowed_method="GET",
    ),
    _case_expect(
        "cases-close", method="POST", fresh=True,
        data=lambda cast, kwargs: {"closed_on": _today(), "reason": "Matrix"},
        not_allowed_method="GET",
    ),
    _case_expect("cases-export", not_allowed_method="POST"),
    _case_expect("cases-event-list", not_allowed_method="PATCH"),
    _case_expect(
        "cases-event-list", method="POST",
        data=lambda cast, kwargs: {"type": "Transit", "country": "GE"},
    ),
    _case_expect("cases-event-detail", _event, not_allowed_method="PUT"),
    _case_expect(
        "cases-event-detail", _event, method="PATCH", data=lambda cast, kwargs: {"city": "Izmir"}
    ),
    _case_expect("cases-event-detail", _event, method="DELETE", fresh=True),
    _case_expect("cases-consent-list", not_allowed_method="PATCH"),
    _case_expect(
        "cases-consent-list", method="POST",
        data=lambda cast, kwargs: {
            "purpose": "Statistics", "decision": "Given", "decided_on": _today(),
            "form": "Oral",
        },
    ),
    # A person: seen by the managers of the organisation that recorded them.
    _case_expect("persons-detail", _person, not_allowed_method="PUT"),
    _case_expect("persons-detail", _person, method="PATCH", data=_person_edit),
    # The duplicate check: every case worker and coordinator, for their own
    # organisation (so those of AWAY too).
    Expect(
        "api:persons-matches", method="POST", anonymous=FORBIDDEN, allowed=MANAGERS,
        site_admin=FORBIDDEN, not_allowed_method="GET",
        data=lambda cast, kwargs: {"first_name": "Матрица", "last_name": "Проверкина"},
    ),
]
