"""The case API: persons and the duplicate check (cases/api/persons.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.models import Case, Person
from homeward.cases.tests.factories import open_case
from homeward.cases.tests.test_api import assign, patch, post

pytestmark = pytest.mark.django_db

MATCHES = "/api/v1/persons/matches/"


def person_url(person_or_id: Person | int) -> str:
    pk = person_or_id.pk if isinstance(person_or_id, Person) else person_or_id
    return f"/api/v1/persons/{pk}/"


@pytest.fixture
def case(cast: Any) -> Case:
    return open_case(cast, cast.user("case_worker"), first_name="Мария", last_name="Иванова",
                     first_name_latin="Maria", last_name_latin="Ivanova", birth_year=1995,
                     phones=["+7 912 000-11-22"])


# --- one person --------------------------------------------------------------


def test_manager_reads_the_person_and_the_look_is_audited(case, cast, login):
    body = login(cast.user("coordinator")).get(person_url(case.person)).json()
    assert body["last_name"] == "Иванова"
    assert body["phones"] == ["+79120001122"]
    assert body["cases"] == [case.code]
    assert body["organisation"] == "HOME"
    assert AuditEntry.objects.filter(
        action=Action.VIEW, target_type="cases.Person", target_id=str(case.person_id)
    ).exists()


def test_assigned_team_member_reads_but_cannot_edit(case, cast, login):
    assign(cast, case, "hotline_operator")
    client = login(cast.user("hotline_operator"))
    assert client.get(person_url(case.person)).status_code == 200
    response = patch(client, person_url(case.person),
                     {"version": case.person.version, "last_name": "Петрова"})
    assert response.status_code == 403
    case.person.refresh_from_db()
    assert case.person.last_name == "Иванова"


@pytest.mark.parametrize(("role", "org"), [
    ("hotline_operator", "home"), ("researcher", "home"), ("org_admin", "home"),
    ("case_worker", "away"), ("coordinator", "away"),
])
def test_who_cannot_see_the_person_gets_404(case, cast, login, role, org):
    client = login(cast.user(role, org))
    assert client.get(person_url(case.person)).status_code == 404
    assert patch(client, person_url(case.person), {"version": 1}).status_code == 404


def test_site_admin_and_anonymous(case, cast, login, client: Client):
    assert client.get(person_url(case.person)).status_code == 403
    assert login(cast.site_admin).get(person_url(case.person)).status_code == 404


def test_manager_edits_the_person_and_match_keys_follow(case, cast, login):
    response = patch(
        login(cast.user("case_worker")), person_url(case.person),
        {"version": case.person.version, "last_name": "Петрова",
         "citizenships": ["RU", "tr"],
         "identity_documents": [{"kind": "Passport", "number": "75 0000001"}]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == case.person.version + 1
    assert body["citizenships"] == ["RU", "TR"]
    person = Person.objects.get(pk=case.person_id)
    assert person.last_name == "Петрова"
    assert person.identity_documents == [{"kind": "Passport", "number": "75 0000001"}]


def test_stale_person_edit_is_409_and_changes_nothing(case, cast, login):
    services.person_update(actor=cast.user("coordinator"), person=case.person,
                           expected_version=case.person.version, origin_city="Tver")
    response = patch(login(cast.user("case_worker")), person_url(case.person),
                     {"version": case.person.version, "origin_city": "Pskov"})
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == case.person.version + 1
    assert [change["field"] for change in body["changes"]] == ["origin_city"]
    case.person.refresh_from_db()
    assert case.person.origin_city == "Tver"


def test_person_edit_refused_by_the_service_is_400(case, cast, login):
    response = patch(
        login(cast.user("case_worker")), person_url(case.person),
        {"version": case.person.version, "first_name": "", "last_name": "",
         "first_name_latin": "", "last_name_latin": ""},
    )
    assert response.status_code == 400
    assert "first_name" in response.json()


# --- duplicates --------------------------------------------------------------


def test_match_in_scope_names_the_person_and_cases(case, cast, login):
    response = post(login(cast.user("case_worker")), MATCHES,
                    {"first_name": "Mariya", "last_name": "Ivanova", "birth_year": 1995})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["visible"] == [
        {"person_id": case.person_id, "case_codes": [case.code], "strength": "likely"}
    ]
    assert body["elsewhere"] == []


def test_match_out_of_scope_reveals_only_the_organisation_name(case, cast, login):
    response = post(login(cast.user("case_worker", "away")), MATCHES,
                    {"first_name": "Мария", "last_name": "Иванова", "birth_year": 1995,
                     "phones": ["+7 912 000 11 22"]})
    assert response.status_code == 200, response.json()
    assert response.json() == {"visible": [], "elsewhere": ["Home NGO"]}
    text = response.content.decode()
    assert str(case.person_id) not in text
    assert case.code not in text
    assert AuditEntry.objects.filter(action=Action.MATCH_CHECK,
                                     actor_id=cast.user("case_worker", "away").pk).exists()


def test_match_gives_the_organisation_name_in_the_users_language(case, cast, login):
    user = cast.user("coordinator", "away")
    user.language = "ru"
    user.save()
    body = post(login(user), MATCHES, {"first_name": "Maria", "last_name": "Ivanova"}).json()
    assert body["elsewhere"] == ["Домашняя НКО"]


def test_match_can_leave_out_the_person_being_edited(case, cast, login):
    body = post(login(cast.user("case_worker")), MATCHES,
                {"first_name": "Maria", "last_name": "Ivanova",
                 "exclude_person": case.person_id}).json()
    assert body == {"visible": [], "elsewhere": []}


def test_match_cannot_exclude_a_person_out_of_scope(case, cast, login):
    response = post(login(cast.user("case_worker", "away")), MATCHES,
                    {"first_name": "Maria", "exclude_person": case.person_id})
    assert response.status_code == 400
    assert "exclude_person" in response.json()


def test_match_for_an_organisation_one_does_not_manage_is_403(case, cast, login):
    response = post(login(cast.user("case_worker", "away")), MATCHES,
                    {"organisation": "HOME", "first_name": "Maria", "last_name": "Ivanova"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["hotline_operator", "shelter_staff", "researcher",
                                  "org_admin"])
def test_match_needs_a_case_worker_or_coordinator(case, cast, login, role):
    response = post(login(cast.user(role)), MATCHES,
                    {"first_name": "Maria", "last_name": "Ivanova"})
    assert response.status_code == 403


def test_match_needs_post(cast, login):
    assert login(cast.user("case_worker")).get(MATCHES).status_code == 405
