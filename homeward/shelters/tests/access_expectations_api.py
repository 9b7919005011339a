"""Access expectations of the shelter API: one per operation (URL name and method).

Records belong to HOME: a case of HOME's (nobody assigned) referred to, or
staying in, a shelter HOME runs. So its case workers and coordinators see it
as the case's organisation, and its shelter staff, coordinators and medical
staff as the shelter's side. Who sees a record but may not do what the
request asks gets 403 (``sees``); the other roles of HOME, every member of
AWAY and the site administrator get 404. Anonymous callers get 403, as
everywhere in the API.

Shelters themselves are the network's shared knowledge (every member, AWAY's
too); the occupancy is for coordinators (of any organisation); medical
screenings for medical staff only.

Requests that change a record send a valid JSON body (``data``); those that
cannot succeed twice on one record get a fresh record for every audience.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import ALL_ROLES, FORBIDDEN, NOT_FOUND, OK, Expect
from homeward.shelters.models import Shelter, ShelterReferral, ShelterStay
from homeward.shelters.services.referrals import referral_accept, referral_send
from homeward.shelters.services.stays import stay_admit
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)

CASE_SIDE = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
RUNNERS = frozenset({Role.SHELTER_STAFF, Role.COORDINATOR})
SHELTER_SIDE = frozenset({Role.SHELTER_STAFF, Role.COORDINATOR, Role.MEDICAL})
SEES = CASE_SIDE | SHELTER_SIDE
CASE_WORK = frozenset({
    Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL,
    Role.REINTEGRATION_WORKER, Role.COORDINATOR,
})


@dataclasses.dataclass(frozen=True)
class SeenBy(Expect):
    """An operation on a HOME record: roles in ``allowed`` may do it; the
    other roles of HOME that see the record (``sees``) get 403, the rest 404."""

    sees: frozenset[str] = frozenset()

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if same_organisation and role not in self.allowed and role in self.sees:
            return FORBIDDEN
        return super().expected_for(role, same_organisation=same_organisation)


# --- records -------------------------------------------------------------------


def home_case(cast: Any) -> Case:
    """A HOME case of an adult woman who consented to assistance and to medical care."""
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.ASSISTANCE)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.MEDICAL)
    return case


def home_shelter(cast: Any) -> Shelter:
    return make_shelter(cast.home)


def referral_of(cast: Any, case: Case | None = None, shelter: Shelter | None = None,
                *, accepted: bool = False) -> ShelterReferral:
    """A request from HOME's case worker that a HOME shelter take the person."""
    referral = referral_send(
        actor=cast.user(Role.CASE_WORKER), case=case or home_case(cast),
        shelter=shelter or home_shelter(cast), needed_from=timezone.localdate(),
    )
    if accepted:
        referral = referral_accept(actor=cast.user(Role.SHELTER_STAFF), referral=referral)
    return referral


def stay_of(cast: Any, case: Case | None = None, shelter: Shelter | None = None) -> ShelterStay:
    """The person admitted today by HOME's shelter staff, after an accepted request."""
    referral = referral_of(cast, case, shelter, accepted=True)
    return stay_admit(
        actor=cast.user(Role.SHELTER_STAFF), shelter=referral.shelter, case=referral.case,
        admitted_on=timezone.localdate(), referral=referral,
    )


@dataclasses.dataclass(frozen=True)
class OtherShelter:
    """A shelter of a third organisation (KZN) and its people, for requests
    between organisations in the API tests."""

    side: ShelterOrganisation
    shelter: Shelter

    @property
    def organisation(self) -> Organisation:
        return self.side.organisation

    def user(self, role: str) -> User:
        return self.side.user(role)


def other_shelter(code: str = "KZN") -> OtherShelter:
    side = shelter_organisation(code)
    return OtherShelter(side=side, shelter=make_shelter(side.organisation))


def _shelter(cast: Any) -> dict[str, Any]:
    return {"pk": home_shelter(cast).pk}


def _code(cast: Any) -> dict[str, Any]:
    return {"code": home_case(cast).code}


def _resident(cast: Any) -> dict[str, Any]:
    return {"code": stay_of(cast).case.code}


def _referral(cast: Any) -> dict[str, Any]:
    return {"pk": referral_of(cast).pk}


def _accepted(cast: Any) -> dict[str, Any]:
    return {"pk": referral_of(cast, accepted=True).pk}


def _stay(cast: Any) -> dict[str, Any]:
    return {"pk": stay_of(cast).pk}


def _today() -> str:
    return timezone.localdate().isoformat()


def _new_referral(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "case": home_case(cast).code, "shelter": home_shelter(cast).pk,
        "needed_from": _today(),
    }


def _record(name: str, kwargs: Any, allowed: frozenset[str], **extra: Any) -> SeenBy:
    extra.setdefault("not_allowed_method", None)
    extra.setdefault("sees", SEES)
    return SeenBy(
        f"api:{name}", kwargs=kwargs, anonymous=FORBIDDEN, allowed=allowed, scoped=True,
        others=NOT_FOUND, site_admin=NOT_FOUND, **extra,
    )


EXPECTATIONS: list[Expect] = [
    # Shelters: every member of the network; the site administrator, no
    # member, an empty list and no shelter.
    Expect(
        "api:shelters-list", anonymous=FORBIDDEN, allowed=ALL_ROLES, site_admin=OK,
        not_allowed_method="POST",
    ),
    Expect(
        "api:shelters-detail", kwargs=_shelter, anonymous=FORBIDDEN, allowed=ALL_ROLES,
        site_admin=NOT_FOUND, not_allowed_method="PATCH",
    ),
    # The network's occupancy: coordinators of any organisation.
    Expect(
        "api:shelters-occupancy", anonymous=FORBIDDEN, allowed=frozenset({Role.COORDINATOR}),
        site_admin=FORBIDDEN, not_allowed_method="POST",
    ),
    # The referral queue: whoever works on cases or runs shelters (their own).
    Expect(
        "api:shelters-referral-list", anonymous=FORBIDDEN, allowed=CASE_WORK,
        site_admin=FORBIDDEN, not_allowed_method="PUT",
    ),
    # Asking a HOME shelter to take a HOME person: the case's managers.
    Expect(
        "api:shelters-referral-list", method="POST", data=_new_referral, anonymous=FORBIDDEN,
        allowed=CASE_SIDE, others=NOT_FOUND, away=NOT_FOUND, site_admin=NOT_FOUND,
        not_allowed_method=None,
    ),
    _record("shelters-referral-detail", _referral, SEES, not_allowed_method="PATCH"),
    _record(
        "shelters-referral-accept", _referral, RUNNERS, method="POST", fresh=True,
        not_allowed_method="GET",
    ),
    _record(
        "shelters-referral-decline", _referral, RUNNERS, method="POST", fresh=True,
        data=lambda cast, kwargs: {"reason": "No room for the children"},
        not_allowed_method="GET",
    ),
    _record(
        "shelters-referral-withdraw", _referral, CASE_SIDE, method="POST", fresh=True,
        data=lambda cast, kwargs: {}, not_allowed_method="GET",
    ),
    _record(
        "shelters-referral-admit", _accepted, RUNNERS, method="POST", fresh=True,
        data=lambda cast, kwargs: {"admitted_on": _today()}, not_allowed_method="GET",
    ),
    _record("shelters-stay-detail", _stay, SEES, not_allowed_method="PATCH"),
    _record(
        "shelters-stay-discharge", _stay, RUNNERS | CASE_SIDE, method="POST", fresh=True,
        data=lambda cast, kwargs: {"reason": "Reintegrated"}, not_allowed_method="GET",
    ),
    # The placement search: the case's managers (no shelter record involved).
    _record(
        "shelters-placement-search", _code, CASE_SIDE, query="children=6", sees=CASE_SIDE,
        not_allowed_method="POST",
    ),
    _record("shelters-case-stay-list", _resident, SEES, not_allowed_method="POST"),
    _record("shelters-service-offer-list", _resident, SEES, not_allowed_method="PUT"),
    _record(
        "shelters-service-offer-list", _resident, RUNNERS | CASE_SIDE, method="POST",
        data=lambda cast, kwargs: {"service": "Housing", "status": "Accepted"},
    ),
    _record("shelters-service-session-list", _resident, SEES, not_allowed_method="PUT"),
    _record(
        "shelters-service-session-list", _resident, RUNNERS | CASE_SIDE, method="POST",
        data=lambda cast, kwargs: {
            "kind": "LegalConsultation", "held_on": _today(), "provider_name": "Lawyer",
        },
    ),
    # Medical screenings: medical staff only, never coordinators.
    _record(
        "shelters-medical-screening-list", _resident, frozenset({Role.MEDICAL}),
        not_allowed_method="PUT",
    ),
    _record(
        "shelters-medical-screening-list", _resident, frozenset({Role.MEDICAL}), method="POST",
        data=lambda cast, kwargs: {"examined_on": _today(), "examinations": "Blood count"},
    ),
]
