"""Writing persons (services/persons.py): normalised input, refusals, and
optimistic locking."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.errors import EditConflict
from homeward.cases.models import Person
from homeward.cases.tests.factories import person_fields

pytestmark = pytest.mark.django_db


def _create(cast: Any, **overrides: Any) -> Person:
    return services.person_create(actor=cast.user("case_worker"), organisation=cast.home,
                                  **person_fields(**overrides))


def test_creates_a_person_with_normalised_values(cast: Any) -> None:
    person = _create(
        cast, first_name="  Мария ", citizenships="ru; kz, RU", phones="8 912 345-67-89\n\n",
        identity_documents=[{"kind": "Passport", "number": " 75 1234567 "},
                            {"kind": "Passport", "number": ""}],
        birth_date=datetime.date(1999, 3, 8), birth_year=1990, birth_year_estimated=True,
    )
    person.refresh_from_db()
    assert person.first_name == "Мария"
    assert person.citizenships == ",RU,KZ,"
    assert person.citizenship_list == ["RU", "KZ"]
    assert person.phones == ["+79123456789"]
    assert person.identity_documents == [{"kind": "Passport", "number": "75 1234567"}]
    assert (person.birth_year, person.birth_year_estimated) == (1999, False)
    assert person.version == 1
    audit = AuditEntry.objects.get(action=Action.CREATE, target_type="cases.Person")
    assert "first_name" in audit.fields
    assert "Мария" not in str(audit.detail)


def test_str_of_a_person_never_shows_a_name(cast: Any) -> None:
    person = _create(cast, first_name="Мария")
    assert "Мария" not in str(person)
    assert person.display_name.startswith(person.last_name)


@pytest.mark.parametrize(("values", "field"), [
    ({"first_name": "", "last_name": " ", "first_name_latin": "", "last_name_latin": ""},
     "first_name"),
    ({"birth_date": timezone.localdate() + datetime.timedelta(days=1)}, "birth_date"),
    ({"birth_year": 1850}, "birth_year"),
    ({"citizenships": ["RU", "XX"]}, "citizenships"),
    ({"phones": ["not a phone"]}, "phones"),
    ({"identity_documents": [{"kind": "Diary", "number": "12345"}]}, "identity_documents"),
    ({"gender": "Unknown value"}, "gender"),
])
def test_refuses_a_person_it_cannot_read(cast: Any, values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _create(cast, **values)
    assert field in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_refuses_unknown_person_fields(cast: Any) -> None:
    with pytest.raises(TypeError):
        _create(cast, nickname="Masha")


def test_updates_a_person_and_bumps_the_version(cast: Any) -> None:
    person = _create(cast)
    updated = services.person_update(actor=cast.user("coordinator"), person=person,
                                     expected_version=1, origin_city="Tver")
    assert (updated.origin_city, updated.version) == ("Tver", 2)
    audit = AuditEntry.objects.filter(action=Action.UPDATE, target_type="cases.Person").get()
    assert (audit.fields, audit.detail["version"]) == (["origin_city"], 2)


def test_refuses_a_stale_person_edit_and_shows_what_changed(cast: Any) -> None:
    person = _create(cast, origin_city="")
    services.person_update(actor=cast.user("coordinator"), person=person, expected_version=1,
                           origin_city="Tver", marital_status="Married")
    audit_before = AuditEntry.objects.count()

    with pytest.raises(EditConflict) as excinfo:
        services.person_update(actor=cast.user("case_worker"), person=person,
                               expected_version=1, origin_city="Kazan", education="")

    conflict = excinfo.value
    assert conflict.version == 2
    assert {(change.name, str(change.label), change.current) for change in conflict.changes} == {
        ("origin_city", str(Person._meta.get_field("origin_city").verbose_name), "Tver"),
        ("marital_status", str(Person._meta.get_field("marital_status").verbose_name),
         "Married"),
    }
    stored = Person.objects.get(pk=person.pk)
    assert (stored.origin_city, stored.version) == ("Tver", 2)
    assert AuditEntry.objects.count() == audit_before
