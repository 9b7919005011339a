"""The case API: list, opening, reading, editing, path and export (cases/api/cases.py).

Events and consents: ``test_api_records.py``; persons: ``test_api_persons.py``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import CaseStatus, ConsentPurpose, Step, TeamRole
from homeward.cases.models import Case, Consent, Person
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case, refresh

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def url(case: Case, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.code}/{suffix}"


def assign(cast: Any, case: Case, role: str) -> None:
    """Put ``role``@home on the case's team."""
    services.case_assign(
        actor=cast.user("case_worker"), case=case, user=cast.user(role),
        role=TeamRole.SHELTER if role == "shelter_staff" else TeamRole.HOTLINE,
    )


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, content_type="application/json")


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, data, content_type="application/json")


@pytest.fixture
def case(cast: Any) -> Case:
    return open_case(cast, cast.user("case_worker"), first_name="Анастасия",
                     last_name="Победова", first_name_latin="Anastasia",
                     last_name_latin="Pobedova", citizenships=["RU", "KZ"])


# --- list --------------------------------------------------------------------


def test_list_shows_the_managers_every_case_of_their_organisation(case, cast, login):
    body = login(cast.user("coordinator")).get(LIST).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["code"] == case.code
    assert row["organisation"] == "HOME"
    assert row["nationality"] == ["RU", "KZ"]
    assert row["version"] == case.version


def test_list_rows_carry_no_name(case, cast, login):
    response = login(cast.user("case_worker")).get(LIST)
    text = response.content.decode()
    for word in ("Анастасия", "Победова", "Anastasia", "Pobedova"):
        assert word not in text
    assert set(response.json()["results"][0]) == {
        "code", "kind", "status", "step", "organisation", "nationality", "destination",
        "is_minor", "is_urgent", "opened_on", "review_due_on", "version",
    }


def test_team_member_lists_only_the_cases_they_are_assigned_to(case, cast, login):
    other = open_case(cast, cast.user("case_worker"))
    assign(cast, other, "shelter_staff")
    body = login(cast.user("shelter_staff")).get(LIST).json()
    assert [row["code"] for row in body["results"]] == [other.code]


def test_outsiders_list_none_of_home_cases(case, cast, login):
    body = login(cast.user("case_worker", "away")).get(LIST).json()
    assert body["count"] == 0


@pytest.mark.parametrize("role", ["researcher", "org_admin"])
def test_roles_that_never_work_on_cases_get_403_for_the_list(case, cast, login, role):
    assert login(cast.user(role)).get(LIST).status_code == 403


def test_site_admin_gets_403_for_the_list(case, cast, login):
    assert login(cast.site_admin).get(LIST).status_code == 403


def test_anonymous_gets_403(case, client: Client):
    assert client.get(LIST).status_code == 403
    assert client.get(url(case)).status_code == 403


def test_list_filters_as_on_the_page(case, cast, login):
    minor = open_minor_case(cast, cast.user("case_worker"))
    client = login(cast.user("case_worker"))
    assert [r["code"] for r in client.get(LIST, {"minor": "true"}).json()["results"]] == [
        minor.code
    ]
    assert client.get(LIST, {"nationality": "KZ"}).json()["count"] == 1
    assert client.get(LIST, {"status": "open"}).json()["count"] == 2
    assert client.get(LIST, {"status": CaseStatus.CLOSED}).json()["count"] == 0
    assert client.get(LIST, {"q": case.code}).json()["count"] == 1
    assert client.get(LIST, {"q": "Победова"}).json()["count"] == 1


def test_list_refuses_an_unknown_filter_value(case, cast, login):
    response = login(cast.user("case_worker")).get(LIST, {"status": "Sleeping"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_list_is_paginated(case, cast, login):
    open_case(cast, cast.user("case_worker"))
    body = login(cast.user("case_worker")).get(LIST, {"limit": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"]


# --- opening a case ----------------------------------------------------------


def _new_case(**overrides: Any) -> dict[str, Any]:
    return {
        "organisation": "HOME",
        "referral_source": "IomMission",
        "person": {
            "first_name": "Мария", "last_name": "Стамбулова", "birth_year": 2001,
            "gender": "Feminine", "citizenships": ["RU"], "phones": ["+7 912 345-67-89"],
            "identity_documents": [{"kind": "Passport", "number": "75 1234567"}],
        },
        "destination_country": "TR",
        "destination_city": "Istanbul",
        "exploitation_types": ["SexualExploitation", "ForcedLabour"],
        "consents": [
            {"purpose": "Assistance", "decision": "Given",
             "decided_on": timezone.localdate().isoformat(), "form": "Oral"},
        ],
        **overrides,
    }


def test_case_worker_opens_a_case_with_person_and_consent(cast, login):
    response = post(login(cast.user("case_worker")), LIST, _new_case())
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(code=body["code"])
    assert case.organisation == cast.home
    assert case.person.last_name == "Стамбулова"
    assert case.person.phones == ["+79123456789"]
    assert case.exploitation_types == ["ForcedLabour", "SexualExploitation"]
    assert body["exploitation_types"] == ["ForcedLabour", "SexualExploitation"]
    assert body["person"]["display_name"].startswith("Стамбулова Мария")
    assert body["step"] == Step.IDENTIFICATION
    assert Consent.objects.filter(case=case, purpose=ConsentPurpose.ASSISTANCE).exists()
    assert AuditEntry.objects.filter(
        action=Action.CREATE, target_type="cases.Case", target_id=str(case.pk)
    ).exists()


def test_missing_person_case_with_its_report(cast, login):
    data = _new_case(
        kind="MissingPerson", consents=[],
        missing_report={"reporter_name": "Ольга", "reporter_relationship": "Parent",
                        "last_seen_country": "TR", "last_seen_city": "Istanbul"},
    )
    response = post(login(cast.user("coordinator")), LIST, data)
    assert response.status_code == 201, response.json()
    assert response.json()["missing_report"]["last_seen_country"] == "TR"


def test_opening_for_a_person_already_recorded(case, cast, login):
    response = post(
        login(cast.user("case_worker")), LIST,
        {"organisation": "HOME", "referral_source": "Self", "person_id": case.person_id},
    )
    assert response.status_code == 201, response.json()
    assert Case.objects.filter(person=case.person).count() == 2


def test_person_of_another_organisation_cannot_be_named(cast, login):
    theirs = open_case(cast.away, cast.user("case_worker", "away"))
    response = post(
        login(cast.user("case_worker")), LIST,
        {"organisation": "HOME", "referral_source": "Self", "person_id": theirs.person_id},
    )
    assert response.status_code == 400
    assert "person_id" in response.json()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"referral_source": "Pigeon"}, "referral_source"),
        ({"person": None}, "person"),
        ({"exploitation_types": ["Fishing"]}, "exploitation_types"),
        ({"destination_country": "XX"}, "destination_country"),
        ({"person": {"birth_year": 1990}}, "first_name"),  # refused by the service
        ({"consents": [{"purpose": "DataSharing", "decision": "Given",  # idem
                        "decided_on": "2025-01-02", "form": "Oral"}]}, "organisation"),
    ],
)
def test_bad_input_is_400_and_creates_nothing(cast, login, change, field):
    data = _new_case(**change)
    if data.get("person") is None:
        data.pop("person")
    response = post(login(cast.user("case_worker")), LIST, data)
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_refusal_follows_the_users_language(cast, login):
    user = cast.user("case_worker")
    user.language = "ru"
    user.save()
    response = post(login(user), LIST, {"organisation": "HOME"})
    assert response.status_code == 400
    assert response.json()["referral_source"] == ["Обязательное поле."]


def test_opening_in_another_organisation_is_403(cast, login):
    response = post(login(cast.user("case_worker", "away")), LIST, _new_case())
    assert response.status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["hotline_operator", "shelter_staff", "researcher"])
def test_roles_that_do_not_open_cases_get_403(cast, login, role):
    assert post(login(cast.user(role)), LIST, _new_case()).status_code == 403
    assert not Case.objects.exists()


# --- reading and editing -----------------------------------------------------


def test_detail_holds_person_summary_team_and_timeline_and_is_audited(case, cast, login):
    before = AuditEntry.objects.filter(action=Action.VIEW).count()
    body = login(cast.user("case_worker")).get(url(case)).json()
    assert body["person"]["display_name"] == "Победова Анастасия (Anastasia Pobedova)"
    assert [step["step"] for step in body["timeline"]] == [Step.IDENTIFICATION]
    assert body["team"][0]["user"]["username"] == "case_worker@home"
    assert body["permissions"] == {"manage": True, "work": True, "medical": True}
    assert body["allowed_next_steps"] == ["Rescue", "Repatriation", "Rehabilitation"]
    view = AuditEntry.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert AuditEntry.objects.filter(action=Action.VIEW).count() == before + 1
    assert view is not None
    assert view.detail["tab"] == "api"


def test_assigned_team_member_reads_but_cannot_edit(case, cast, login):
    assign(cast, case, "hotline_operator")
    client = login(cast.user("hotline_operator"))
    assert client.get(url(case)).json()["permissions"]["manage"] is False
    response = patch(client, url(case), {"version": case.version, "destination_city": "Bursa"})
    assert response.status_code == 403
    assert refresh(case).destination_city == ""


@pytest.mark.parametrize("role", ["hotline_operator", "researcher", "org_admin"])
def test_home_roles_that_cannot_see_the_case_get_404(case, cast, login, role):
    client = login(cast.user(role))
    assert client.get(url(case)).status_code == 404
    assert patch(client, url(case), {"version": 1}).status_code == 404


def test_outsider_gets_404_everywhere(case, cast, login):
    client = login(cast.user("case_worker", "away"))
    for suffix in ("", "export/", "events/", "consents/"):
        assert client.get(url(case, suffix)).status_code == 404, suffix
    assert patch(client, url(case), {"version": case.version}).status_code == 404
    for suffix in ("advance/", "close/"):
        assert post(client, url(case, suffix), {}).status_code == 404, suffix


def test_site_admin_gets_404_for_a_case(case, cast, login):
    assert login(cast.site_admin).get(url(case)).status_code == 404


def test_edit_with_the_current_version(case, cast, login):
    response = patch(
        login(cast.user("case_worker")), url(case),
        {"version": case.version, "destination_country": "TR", "destination_city": "Istanbul",
         "methods_of_control": ["WithholdsDocuments", "DebtBondage"],
         "case_owner": cast.user("coordinator").pk},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == case.version + 1
    stored = refresh(case)
    assert stored.destination_city == "Istanbul"
    assert stored.methods_of_control == ["DebtBondage", "WithholdsDocuments"]
    assert stored.case_owner == cast.user("coordinator")


def test_edit_with_a_stale_version_is_409_and_changes_nothing(case, cast, login):
    services.case_update(actor=cast.user("coordinator"), case=case,
                         expected_version=case.version, destination_city="Antalya")
    response = patch(
        login(cast.user("case_worker")), url(case),
        {"version": case.version, "destination_city": "Bodrum"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == case.version + 1
    assert body["changes"] == [
        {"field": "destination_city", "label": "city of exploitation", "current": "Antalya"}
    ]
    assert body["detail"]
    assert refresh(case).destination_city == "Antalya"


def test_edit_refuses_fields_changed_elsewhere(case, cast, login):
    response = patch(login(cast.user("case_worker")), url(case),
                     {"version": case.version, "status": "Closed", "code": "X-1"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "code"}
    assert refresh(case).status == CaseStatus.ACTIVE


def test_edit_needs_the_version(case, cast, login):
    response = patch(login(cast.user("case_worker")), url(case), {"destination_city": "Bodrum"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_lead_case_worker_must_be_of_the_organisation(case, cast, login):
    response = patch(
        login(cast.user("case_worker")), url(case),
        {"version": case.version, "case_owner": cast.user("case_worker", "away").pk},
    )
    assert response.status_code == 400
    assert "case_owner" in response.json()


def test_put_is_not_allowed(case, cast, login):
    response = login(cast.user("case_worker")).put(url(case), {}, content_type="application/json")
    assert response.status_code == 405


# --- the path ----------------------------------------------------------------


def test_team_member_advances_the_case(case, cast, login):
    assign(cast, case, "shelter_staff")
    response = post(
        login(cast.user("shelter_staff")), url(case, "advance/"),
        {"step": "Rescue", "happened_on": timezone.localdate().isoformat(),
         "done_by": "Turkish task force", "notes": "Found in a flat in Istanbul"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["step"] == Step.RESCUE
    assert response.json()["timeline"][-1]["done_by"] == "Turkish task force"
    assert refresh(case).step == Step.RESCUE


def test_refused_transition_is_400_with_the_message(case, cast, login):
    response = post(
        login(cast.user("case_worker")), url(case, "advance/"),
        {"step": "Monitoring", "happened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "cannot go from" in response.json()["detail"]
    assert refresh(case).step == Step.IDENTIFICATION


def test_step_without_consent_is_400_with_the_message(case, cast, login):
    response = post(
        login(cast.user("case_worker")), url(case, "advance/"),
        {"step": "Rehabilitation", "happened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "consent" in response.json()["detail"]
    give_consent(case, cast.user("case_worker"))
    response = post(
        login(cast.user("case_worker")), url(case, "advance/"),
        {"step": "Rehabilitation", "happened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200


def test_date_refused_by_the_service_names_the_field(case, cast, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(
        login(cast.user("case_worker")), url(case, "advance/"),
        {"step": "Rescue", "happened_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "happened_on" in response.json()


def test_close_referred_to_another_organisation(case, cast, login):
    response = post(
        login(cast.user("coordinator")), url(case, "close/"),
        {"closed_on": timezone.localdate().isoformat(), "reason": "Moved to Kazakhstan",
         "referred_to": "AWAY"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == CaseStatus.CLOSED_REFERRED
    assert response.json()["referred_to"] == "AWAY"
    again = post(
        login(cast.user("coordinator")), url(case, "close/"),
        {"closed_on": timezone.localdate().isoformat(), "reason": "Twice"},
    )
    assert again.status_code == 400


def test_team_member_cannot_close(case, cast, login):
    assign(cast, case, "shelter_staff")
    response = post(
        login(cast.user("shelter_staff")), url(case, "close/"),
        {"closed_on": timezone.localdate().isoformat(), "reason": "No"},
    )
    assert response.status_code == 403
    assert refresh(case).status == CaseStatus.ACTIVE


# --- export ------------------------------------------------------------------


def test_export_is_the_case_file_and_is_audited(case, cast, login):
    response = login(cast.user("coordinator")).get(url(case, "export/"))
    assert response.status_code == 200
    assert response.json()["case"]["code"] == case.code
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor_id=cast.user("coordinator").pk,
                                     detail__case=case.code).exists()


def test_team_member_cannot_export(case, cast, login):
    assign(cast, case, "shelter_staff")
    response = login(cast.user("shelter_staff")).get(url(case, "export/"))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


# --- schema ------------------------------------------------------------------


def test_openapi_schema_is_valid_and_without_warnings(tmp_path: Path):
    """``--fail-on-warn``: enum names of the case API need ENUM_NAME_OVERRIDES."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/cases/{code}/advance/", "/api/v1/persons/matches/"):
        assert path in schema


# --- urgent cases ---------------------------------------------------------------


def test_a_case_marked_urgent_is_listed_first_and_filtered(case, cast, login):
    other = open_case(cast, cast.user("case_worker"), first_name="Мария")
    client = login(cast.user("case_worker"))
    response = patch(client, url(other), {"version": other.version, "is_urgent": True})
    assert response.status_code == 200, response.content
    assert response.json()["is_urgent"] is True
    rows = client.get(LIST).json()["results"]
    assert [(row["code"], row["is_urgent"]) for row in rows] == [
        (other.code, True), (case.code, False),
    ]
    urgent = client.get(LIST, {"urgent": "true"}).json()["results"]
    assert [row["code"] for row in urgent] == [other.code]
