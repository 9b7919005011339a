"""Case test data, made through the services (so codes, match keys, the first
timeline step and the audit rows exist exactly as in production).

``open_case(cast, actor)`` opens a victim case for a new adult person in the
HOME organisation; keyword overrides go to the person when they name a person
field (``first_name=…``, ``birth_year=…``) and to ``case_open`` otherwise.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from homeward.accounts.models import Membership, Organisation, User
from homeward.cases import services
from homeward.cases.choices import (
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    ReferralSource,
)
from homeward.cases.models import Case, Consent
from homeward.cases.selectors import MANAGER_ROLES
from homeward.cases.services.persons import PERSON_FIELDS

_numbers = itertools.count(1)


def _organisation_and_actor(cast_or_org: Any, actor: User | None) -> tuple[Organisation, User]:
    if isinstance(cast_or_org, Organisation):
        organisation = cast_or_org
    else:  # the conftest cast: its HOME organisation
        organisation = cast_or_org.home
        if actor is None:
            actor = cast_or_org.user("case_worker", "home")
    if actor is None:
        membership = (
            Membership.objects.filter(organisation=organisation, role__in=MANAGER_ROLES,
                                      is_active=True)
            .select_related("user").order_by("id").first()
        )
        if membership is None:
            raise LookupError(f"{organisation.code} has no case worker or coordinator")
        actor = membership.user
    return organisation, actor


def person_fields(**overrides: Any) -> dict[str, Any]:
    """Fields of an invented adult person (unique name words per call)."""
    n = next(_numbers)
    return {
        "first_name": "Тест",
        "last_name": f"Образцова{n}",
        "first_name_latin": "Test",
        "last_name_latin": f"Obraztsova{n}",
        "birth_year": 1995,
        "gender": "Feminine",
        "citizenships": ["RU"],
        **overrides,
    }


def open_case(cast_or_org: Any, actor: User | None = None, **overrides: Any) -> Case:
    """A case opened by ``actor`` (default: the organisation's case worker)
    through ``services.case_open``; opened a month ago unless told otherwise."""
    organisation, actor = _organisation_and_actor(cast_or_org, actor)
    person_values = {k: overrides.pop(k) for k in list(overrides) if k in PERSON_FIELDS}
    case_values: dict[str, Any] = {
        "referral_source": ReferralSource.IOM_MISSION,
        "opened_on": timezone.localdate() - datetime.timedelta(days=30),
        **overrides,
    }
    if "person" not in case_values:
        case_values["person_fields"] = person_fields(**person_values)
    return services.case_open(actor=actor, organisation=organisation, **case_values)


def open_minor_case(cast_or_org: Any, actor: User | None = None, **overrides: Any) -> Case:
    """A case of a person who is 16 today."""
    today = timezone.localdate()
    overrides.setdefault("birth_date", today - datetime.timedelta(days=16 * 365 + 60))
    return open_case(cast_or_org, actor, **overrides)


def give_consent(
    case: Case, actor: User, purpose: str = ConsentPurpose.ASSISTANCE, **overrides: Any
) -> Consent:
    """A consent recorded through ``services.consent_record`` (given, oral,
    by the person, on the day the case was opened, unless told otherwise)."""
    values: dict[str, Any] = {
        "decision": ConsentDecision.GIVEN,
        "decided_on": case.opened_on,
        "form": ConsentForm.ORAL,
        "given_by": ConsentGivenBy.PERSON,
        **overrides,
    }
    return services.consent_record(actor=actor, case=case, purpose=purpose, **values)


def refresh(case: Case) -> Case:
    """The case as stored now."""
    return Case.objects.select_related("person", "organisation").get(pk=case.pk)
