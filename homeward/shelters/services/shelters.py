"""Creating and editing shelters (configuration of the network, not a
record of a person: audited against the operating organisation)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record
from homeward.cases.services._common import apply, require_visible_entries
from homeward.shelters.models import Shelter
from homeward.shelters.selectors import MANAGE_ROLES, can_manage_shelter, occupancy_of, role_at
from homeward.shelters.services._common import require

SHELTER_FIELDS = (
    "entry", "name_en", "name_ru", "kind", "country", "region", "city", "address", "contact",
    "min_age", "max_age", "genders", "children_allowed", "children_min_age_months",
    "wheelchair_accessible", "beds", "cots", "facilities", "is_open", "notes",
)


def _check(actor: User, shelter: Shelter) -> None:
    shelter.full_clean(exclude=["organisation"])
    if (
        shelter.min_age is not None and shelter.max_age is not None
        and shelter.min_age > shelter.max_age
    ):
        raise ValidationError({"max_age": _("The maximum age is below the minimum age.")})
    require_visible_entries(actor, [shelter.entry], "entry")


@transaction.atomic
def shelter_create(*, actor: User, organisation: Organisation, **fields: Any) -> Shelter:
    """A new shelter run by ``organisation``. Coordinators and organisation
    administrators of that organisation only (else 403); audited (field
    names only)."""
    require(role_at(actor, organisation.pk) in MANAGE_ROLES)
    shelter = Shelter(organisation=organisation)
    apply(shelter, fields, SHELTER_FIELDS)
    _check(actor, shelter)
    shelter.save()
    audit_record(action=Action.CREATE, actor=actor, organisation=organisation, target=shelter,
                 fields=sorted(fields))
    return shelter


@transaction.atomic
def shelter_update(*, actor: User, shelter: Shelter, **fields: Any) -> Shelter:
    """Edit a shelter: its operating organisation's coordinators and
    administrators only. Beds and cots may not drop below those taken now
    (the shelter row is locked while counting). Audits the changed fields."""
    require(can_manage_shelter(actor, shelter))
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    changed = apply(shelter, fields, SHELTER_FIELDS)
    _check(actor, shelter)
    used = occupancy_of([shelter])[shelter.pk]
    if shelter.beds < used.beds_used:
        raise ValidationError({"beds": _(
            "Beds taken now: %(n)d; the shelter cannot have fewer."
        ) % {"n": used.beds_used}})
    if shelter.cots < used.cots_used:
        raise ValidationError({"cots": _(
            "Cots taken now: %(n)d; the shelter cannot have fewer."
        ) % {"n": used.cots_used}})
    if changed:
        shelter.save()
        audit_record(action=Action.UPDATE, actor=actor, organisation=shelter.organisation,
                     target=shelter, fields=changed)
    return shelter
