"""Creating and editing shelters (services/shelters.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.shelters.choices import ShelterKind
from homeward.shelters.models import Shelter, ShelterStay, StayChild
from homeward.shelters.services.shelters import SHELTER_FIELDS, shelter_create, shelter_update
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {
    "name_en": "Kazan safe house", "name_ru": "Казанский приют", "kind": ShelterKind.WOMEN,
    "region": "Republic of Tatarstan", "city": "Kazan", "address": "ul. Secret 1",
    "min_age": 18, "genders": ["Feminine"], "children_allowed": True,
    "children_min_age_months": 12, "beds": 8, "cots": 2,
}


def _counts() -> tuple[int, int]:
    return Shelter.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORG_ADMIN])
def test_coordinators_and_org_admins_create_shelters_of_their_organisation(
    cast: Any, role: str
) -> None:
    shelter = shelter_create(actor=cast.user(role), organisation=cast.home, **FIELDS)

    shelter.refresh_from_db()
    assert (shelter.organisation, shelter.beds, shelter.address) == (cast.home, 8, "ul. Secret 1")
    audit = AuditEntry.objects.get(target_type="shelters.Shelter", target_id=str(shelter.pk))
    assert (audit.action, audit.organisation_id) == (Action.CREATE, cast.home.pk)
    assert "address" in audit.fields
    assert "Secret" not in str(audit.detail)


@pytest.mark.parametrize(("org", "role"), [
    ("home", Role.SHELTER_STAFF), ("home", Role.CASE_WORKER), ("home", Role.MEDICAL),
    ("away", Role.COORDINATOR),
])
def test_others_may_not_create_or_edit(cast: Any, org: str, role: str) -> None:
    shelter = make_shelter(cast.home)
    before = _counts()

    with pytest.raises(PermissionDenied):
        shelter_create(actor=cast.user(role, org), organisation=cast.home, **FIELDS)
    with pytest.raises(PermissionDenied):
        shelter_update(actor=cast.user(role, org), shelter=shelter, beds=1)

    assert _counts() == before


def test_invalid_fields_are_refused(cast: Any) -> None:
    before = _counts()

    with pytest.raises(ValidationError):
        shelter_create(actor=cast.user(Role.COORDINATOR), organisation=cast.home,
                       **{**FIELDS, "min_age": 18, "max_age": 16})
    with pytest.raises(ValidationError):
        shelter_create(actor=cast.user(Role.COORDINATOR), organisation=cast.home,
                       **{**FIELDS, "kind": "Castle"})
    with pytest.raises(TypeError):
        shelter_create(actor=cast.user(Role.COORDINATOR), organisation=cast.home,
                       **FIELDS, organisation_id=cast.away.pk)

    assert _counts() == before


def test_update_audits_the_changed_fields_only(cast: Any) -> None:
    shelter = make_shelter(cast.home)

    shelter_update(actor=cast.user(Role.ORG_ADMIN), shelter=shelter, beds=12, city="Kazan",
                   is_open=False)

    shelter.refresh_from_db()
    assert (shelter.beds, shelter.is_open) == (12, False)
    audit = AuditEntry.objects.filter(target_type="shelters.Shelter",
                                      target_id=str(shelter.pk)).latest("id")
    assert (audit.action, audit.fields) == (Action.UPDATE, ["beds", "is_open"])


def test_beds_and_cots_cannot_drop_below_those_taken(cast: Any) -> None:
    shelter = make_shelter(cast.home, beds=4, cots=2)
    for _ in range(2):
        stay = ShelterStay.objects.create(case=open_case(cast), shelter=shelter,
                                          admitted_on=timezone.localdate())
        StayChild.objects.create(stay=stay, age_months=10, in_cot=True)
    before = _counts()

    with pytest.raises(ValidationError) as beds:
        shelter_update(actor=cast.user(Role.COORDINATOR), shelter=shelter, beds=1)
    with pytest.raises(ValidationError) as cots:
        shelter_update(actor=cast.user(Role.COORDINATOR), shelter=shelter, cots=1)

    assert "beds" in beds.value.message_dict
    assert "cots" in cots.value.message_dict
    assert _counts() == before
    assert shelter_update(actor=cast.user(Role.COORDINATOR), shelter=shelter, beds=2).beds == 2


def test_shelter_fields_are_those_the_form_edits() -> None:
    assert "organisation" not in SHELTER_FIELDS
    assert {"beds", "cots", "genders", "children_min_age_months", "is_open"} <= set(
        SHELTER_FIELDS)


def test_a_shelter_organisation_runs_its_own_shelters(cast: Any) -> None:
    kzn = shelter_organisation("KZN")

    shelter = shelter_create(actor=kzn.user(Role.COORDINATOR), organisation=kzn.organisation,
                             **FIELDS)

    assert shelter.organisation == kzn.organisation
    with pytest.raises(PermissionDenied):
        shelter_update(actor=cast.user(Role.COORDINATOR), shelter=shelter, beds=2)
