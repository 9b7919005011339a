"""Data for the shelter side's page tests: a Kazan NGO (KZN) running a safe
house, and a woman of a HOME case referred to it with her consent to share
her data with KZN — accepted and admitted on request."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.shelters.models import Shelter, ShelterReferral, ShelterStay
from homeward.shelters.services.referrals import referral_accept, referral_send
from homeward.shelters.services.stays import ChildIn, stay_admit
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)


@dataclasses.dataclass
class Kazan:
    kzn: ShelterOrganisation
    shelter: Shelter

    def user(self, role: str) -> User:
        return self.kzn.user(role)


def kazan(**overrides: Any) -> Kazan:
    """KZN and its safe house for women in Kazan (10 beds, 2 cots)."""
    kzn = shelter_organisation("KZN")
    overrides.setdefault("name_en", "Kazan safe house")
    return Kazan(kzn=kzn, shelter=make_shelter(kzn.organisation, **overrides))


def referred_case(cast: Any, place: Kazan, **person: Any) -> Case:
    """A HOME case whose person consented to assistance, medical care and to
    sharing her data with KZN."""
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker, **person)
    give_consent(case, worker, ConsentPurpose.ASSISTANCE)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    give_consent(case, worker, ConsentPurpose.DATA_SHARING, organisation=place.kzn.organisation)
    return case


def referral_to(
    cast: Any, place: Kazan, case: Case | None = None, *, accepted: bool = False,
    children_months: tuple[int, ...] = (),
) -> ShelterReferral:
    referral = referral_send(
        actor=cast.user(Role.CASE_WORKER), case=case or referred_case(cast, place),
        shelter=place.shelter, needed_from=timezone.localdate(),
        children_months=children_months, note="Arrives by train from Moscow.",
    )
    if accepted:
        referral = referral_accept(actor=place.user(Role.SHELTER_STAFF), referral=referral)
    return referral


def stay_in(cast: Any, place: Kazan, case: Case | None = None,
            children: tuple[ChildIn, ...] = ()) -> ShelterStay:
    referral = referral_to(cast, place, case, accepted=True,
                           children_months=tuple(c.age_months for c in children))
    return stay_admit(actor=place.user(Role.SHELTER_STAFF), shelter=place.shelter,
                      case=referral.case, admitted_on=timezone.localdate(), referral=referral,
                      children=children)
