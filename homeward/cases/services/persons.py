"""Writing persons, and the duplicate check that reveals nothing out of scope."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.cases import matching, selectors
from homeward.cases.choices import IdentityDocumentKind
from homeward.cases.models import Person
from homeward.cases.services._common import apply, clean, lock_version
from homeward.core import access
from homeward.directory.phones import to_e164

PERSON_FIELDS = (
    "first_name", "middle_name", "last_name", "first_name_latin", "last_name_latin",
    "other_names", "birth_date", "birth_year", "birth_year_estimated", "gender",
    "marital_status", "number_of_children", "children_accompanying", "primary_language",
    "secondary_language", "education", "citizenships", "identity_documents", "phones", "email",
    "address", "origin_country", "origin_region", "origin_city", "deceased",
)
# Changing any of these rebuilds the blind indexes.
IDENTIFIER_FIELDS = {
    "first_name", "middle_name", "last_name", "first_name_latin", "last_name_latin",
    "other_names", "birth_date", "birth_year", "identity_documents", "phones", "email",
}


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Bring form/API values to the stored shapes; refuse what cannot be read."""
    values = dict(values)
    errors: dict[str, list[str]] = {}
    if "citizenships" in values:
        codes = values["citizenships"]
        if isinstance(codes, str):
            codes = codes.replace(";", ",").split(",")
        codes = [str(code).strip().upper() for code in codes if str(code).strip()]
        bad = [code for code in codes if code not in dict(countries)]
        if bad:
            errors["citizenships"] = [_("Unknown country code: %(codes)s.") % {
                "codes": ", ".join(bad)}]
        values["citizenships"] = (",".join(["", *dict.fromkeys(codes), ""])
                                  if codes else "")
    if "phones" in values:
        phones = values["phones"] or []
        if isinstance(phones, str):
            phones = phones.splitlines()
        cleaned = []
        for phone in phones:
            phone = str(phone).strip()
            if not phone:
                continue
            try:
                cleaned.append(to_e164(phone, region="RU"))
            except ValidationError:
                errors.setdefault("phones", []).append(
                    _("“%(phone)s” is not a phone number we can read; write it with the "
                      "country code, e.g. +7 912 345-67-89.") % {"phone": phone}
                )
        values["phones"] = list(dict.fromkeys(cleaned))
    if "identity_documents" in values:
        documents = []
        kinds = set(IdentityDocumentKind.values)
        for document in values["identity_documents"] or []:
            if not isinstance(document, dict):
                errors.setdefault("identity_documents", []).append(
                    _("Each document needs a kind and a number."))
                continue
            kind = str(document.get("kind", "")).strip()
            number = str(document.get("number", "")).strip()
            if not number:
                continue
            if kind not in kinds:
                errors.setdefault("identity_documents", []).append(
                    _("Unknown document kind: %(kind)s.") % {"kind": kind})
                continue
            documents.append({"kind": kind, "number": number})
        values["identity_documents"] = documents
    for name in ("email", "first_name", "last_name", "middle_name", "first_name_latin",
                 "last_name_latin", "other_names", "origin_region", "origin_city"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if errors:
        raise ValidationError(errors)
    return values


def _check(person: Person) -> None:
    today = timezone.localdate()
    if person.birth_date is not None:
        if person.birth_date > today:
            raise ValidationError({"birth_date": _("The date of birth is in the future.")})
        person.birth_year = person.birth_date.year
        person.birth_year_estimated = False
    if person.birth_year is not None and not 1900 <= person.birth_year <= today.year:
        raise ValidationError({"birth_year": _("Give a year between 1900 and this year.")})
    names = (person.first_name, person.last_name, person.first_name_latin,
             person.last_name_latin)
    if not any(name.strip() for name in names):
        raise ValidationError(
            {"first_name": _("Give at least a first name or a surname, in any alphabet.")}
        )
    clean(person, exclude=["organisation", "created_by"])


@transaction.atomic
def person_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Person:
    """A new person recorded by ``organisation``, with their match keys.

    Audited with the names of the fields given, never their values.
    """
    person = Person(organisation=organisation, created_by=actor if actor else None)
    values = _normalise(fields)
    apply(person, values, PERSON_FIELDS)
    _check(person)
    person.save()
    matching.person_match_keys_rebuild(person)
    audit_record(
        action=Action.CREATE, actor=actor, organisation=organisation, target=person,
        fields=[name for name in values if values[name] not in ("", None, [], False)],
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: int, **fields: Any
) -> Person:
    """Apply ``fields`` if nobody saved the person since ``expected_version``
    (else :class:`~homeward.cases.errors.EditConflict`, nothing changed)."""
    current = lock_version(person, expected_version)
    changed = apply(current, _normalise(fields), PERSON_FIELDS)
    _check(current)
    if changed:
        current.version += 1
        current.save()
        if IDENTIFIER_FIELDS & set(changed):
            matching.person_match_keys_rebuild(current)
        if "citizenships" in changed:
            transaction.on_commit(selectors.case_countries_changed)
        audit_record(
            action=Action.UPDATE, actor=actor, organisation=current.organisation,
            target=current, fields=changed, detail={"version": current.version},
        )
    return current


@transaction.atomic
def person_view_record(*, actor: Any, person: Person, where: str) -> None:
    """Every look at a person's record outside a case page leaves an audit row."""
    audit_record(
        action=Action.VIEW, actor=actor, organisation=person.organisation, target=person,
        detail={"tab": where[:40]},
    )


@dataclasses.dataclass
class MatchReport:
    # Persons the user may see, with how strong the match is.
    visible: list[matching.Match]
    # Organisations holding possible matches the user may not see: only their names.
    elsewhere: list[Organisation]


@transaction.atomic
def person_match_check(
    *, actor: Any, organisation: Organisation, identifiers: matching.Identifiers,
    exclude_person: Person | None = None,
) -> MatchReport:
    """Likely duplicates of ``identifiers`` across the coalition.

    Persons the actor may see are returned; of the others only the
    organisation is named. Every check is audited (how many hits, in and out
    of scope), so fishing for names leaves a trace.
    """
    exclude = [exclude_person.pk] if exclude_person is not None else []
    matches = matching.find_matches(identifiers, exclude=exclude)
    visible_ids = set(
        access.for_user(actor, Person).filter(pk__in=[m.person.pk for m in matches])
        .values_list("pk", flat=True)
    )
    visible = [match for match in matches if match.person.pk in visible_ids]
    elsewhere: dict[int, Organisation] = {}
    for match in matches:
        if match.person.pk not in visible_ids:
            elsewhere.setdefault(match.person.organisation_id, match.person.organisation)
    audit_record(
        action=Action.MATCH_CHECK, actor=actor, organisation=organisation,
        detail={"visible": len(visible), "elsewhere": len(matches) - len(visible)},
    )
    return MatchReport(
        visible=visible, elsewhere=sorted(elsewhere.values(), key=lambda org: org.code)
    )
