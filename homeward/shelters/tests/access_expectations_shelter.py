"""Access expectations of the shelter side's pages (``urls_shelter``).

Shelters are the network's shared knowledge: every member reads the list and
a shelter's page, AWAY's too (so changing a HOME shelter is 403 there, not
404); the site administrator is no member (an empty list, 404 for a shelter,
403 for adding one). Describing a shelter is for coordinators and
organisation administrators; the referral inbox for those who run shelters
(shelter staff, coordinators) in their own organisation.

Referrals and stays belong to HOME: a case of HOME's (nobody assigned)
referred to, or staying in, a shelter HOME runs. Its case workers and
coordinators see them as the case's organisation, its shelter staff,
coordinators and medical staff as the shelter's side; other roles of HOME,
AWAY and the site administrator get 404. Who sees the record but may not do
what the page does gets 403 (``sees``): answering a referral is for the
shelter's runners, the medical screening for medical staff only.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import ALL_ROLES, FORBIDDEN, NOT_FOUND, Expect
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.services.referrals import referral_accept, referral_send
from homeward.shelters.services.stays import stay_admit
from homeward.shelters.tests.factories import make_shelter

MANAGERS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
RUNNERS = frozenset({Role.SHELTER_STAFF, Role.COORDINATOR})
CARE = frozenset({Role.CASE_WORKER, Role.COORDINATOR, Role.SHELTER_STAFF})
SEES = frozenset({Role.CASE_WORKER, Role.COORDINATOR, Role.SHELTER_STAFF, Role.MEDICAL})
MEDICAL = frozenset({Role.MEDICAL})


@dataclasses.dataclass(frozen=True)
class SeenBy(Expect):
    """A page of a HOME record: roles in ``allowed`` may use it; the other
    roles of HOME that see the record (``sees``) get 403, the rest 404."""

    sees: frozenset[str] = SEES

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if same_organisation and role not in self.allowed and role in self.sees:
            return FORBIDDEN
        return super().expected_for(role, same_organisation=same_organisation)


def _referral_of(cast: Any, *, accepted: bool = False) -> ShelterReferral:
    """HOME's case worker asks a HOME shelter to take the person of a new case."""
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    referral = referral_send(actor=worker, case=case, shelter=make_shelter(cast.home),
                             needed_from=timezone.localdate())
    if accepted:
        referral = referral_accept(actor=cast.user(Role.SHELTER_STAFF), referral=referral)
    return referral


def _stay_of(cast: Any) -> ShelterStay:
    referral = _referral_of(cast, accepted=True)
    return stay_admit(actor=cast.user(Role.SHELTER_STAFF), shelter=referral.shelter,
                      case=referral.case, admitted_on=timezone.localdate(), referral=referral)


def _shelter(cast: Any) -> dict[str, Any]:
    return {"pk": make_shelter(cast.home).pk}


def _referral(cast: Any) -> dict[str, Any]:
    return {"pk": _referral_of(cast).pk}


def _accepted(cast: Any) -> dict[str, Any]:
    return {"pk": _referral_of(cast, accepted=True).pk}


def _stay(cast: Any) -> dict[str, Any]:
    return {"pk": _stay_of(cast).pk}


def _record(name: str, kwargs: Any, allowed: frozenset[str], **extra: Any) -> SeenBy:
    return SeenBy(f"shelters:{name}", kwargs=kwargs, allowed=allowed, scoped=True,
                  others=NOT_FOUND, site_admin=NOT_FOUND, **extra)


EXPECTATIONS: list[Expect] = [
    Expect("shelters:shelter-list"),
    Expect("shelters:shelter-detail", kwargs=_shelter, allowed=ALL_ROLES,
           site_admin=NOT_FOUND),
    Expect("shelters:shelter-create", allowed=MANAGERS, site_admin=FORBIDDEN),
    Expect("shelters:shelter-edit", kwargs=_shelter, allowed=MANAGERS, away=FORBIDDEN,
           site_admin=NOT_FOUND),
    Expect("shelters:referral-list", allowed=RUNNERS, site_admin=FORBIDDEN),
    _record("referral-detail", _referral, SEES),
    # Each audience answers a request of its own (an answered one cannot be accepted again).
    _record("referral-accept", _referral, RUNNERS, method="POST", fresh=True),
    _record("referral-decline", _referral, RUNNERS),
    _record("referral-admit", _accepted, RUNNERS),
    _record("stay-detail", _stay, SEES),
    _record("stay-discharge", _stay, CARE),
    _record("offer-create", _stay, CARE),
    _record("session-create", _stay, CARE),
    _record("screening-list", _stay, MEDICAL),
    _record("screening-create", _stay, MEDICAL),
]
