"""Shelter test data.

``make_shelter(organisation, **overrides)`` creates a women's safe house
(10 beds, 2 cots, adults, children from 1 year) directly: a shelter is
configuration, not a record of a person. ``shelter_organisation(code)`` adds
a third organisation that runs shelters, with one user per shelter-side role
(``shelter_staff@kzn``, ``medical@kzn``, ``coordinator@kzn``), for tests of
referrals between organisations.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any, cast

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)
from homeward.shelters.choices import Facility, ShelterKind
from homeward.shelters.models import Shelter

_numbers = itertools.count(1)


def make_shelter(organisation: Organisation, **overrides: Any) -> Shelter:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name_en": f"Safe house {n}",
        "name_ru": f"Убежище {n}",
        "kind": ShelterKind.WOMEN,
        "region": "Republic of Tatarstan",
        "city": "Kazan",
        "address": f"ul. Testovaya {n}, Kazan",
        "contact": "+7 843 000-00-00",
        "min_age": 18,
        "genders": ["Feminine"],
        "children_allowed": True,
        "children_min_age_months": 12,
        "beds": 10,
        "cots": 2,
        "facilities": [Facility.ROOM_AND_BOARD, Facility.PSYCHOLOGICAL_HELP],
        **overrides,
    }
    return Shelter.objects.create(organisation=organisation, **values)


@dataclasses.dataclass
class ShelterOrganisation:
    organisation: Organisation
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


def shelter_organisation(code: str = "KZN") -> ShelterOrganisation:
    """An organisation that runs shelters, with a shelter-staff member, a
    medical member, a coordinator and an organisation administrator."""
    organisation = cast(Organisation, OrganisationFactory(
        code=code, name_en=f"{code} NGO", name_ru=f"НКО {code}"))
    users: dict[str, User] = {}
    for role in (Role.SHELTER_STAFF, Role.MEDICAL, Role.COORDINATOR, Role.ORG_ADMIN):
        user = cast(User, UserFactory(username=f"{role}@{code.lower()}"))
        MembershipFactory(user=user, organisation=organisation, role=role)
        totp_device(user)
        users[role] = user
    return ShelterOrganisation(organisation=organisation, users=users)
