"""The shelter API (shelters/api/shelters.py): the network's shelters, one
shelter (address only for those who may see it), the placement search for a
case and the network's occupancy; and the OpenAPI schema of the shelter API.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.services import case_assign
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.shelters.choices import ShelterKind
from homeward.shelters.tests.access_expectations_api import (
    home_case,
    home_shelter,
    referral_of,
    stay_of,
)
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

LIST = "/api/v1/shelters/"
OCCUPANCY = "/api/v1/shelters/occupancy/"


def search_url(code: str, query: str = "") -> str:
    return f"/api/v1/cases/{code}/placement-search/?{query}"


def by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows}


# --- the list ----------------------------------------------------------------------


def test_anonymous_callers_get_403(client):
    assert client.get(LIST).status_code == 403


def test_password_without_second_factor_gets_403(cast, client):
    client.force_login(cast.user(Role.CASE_WORKER))
    assert client.get(LIST).status_code == 403


def test_the_list_answers_get_only(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(LIST, {}, content_type="application/json")
    assert response.status_code == 405


def test_every_member_sees_the_networks_shelters_with_free_places_but_no_address(cast, login):
    shelter = home_shelter(cast)
    stay_of(cast, shelter=shelter)
    response = login(cast.user(Role.RESEARCHER, "away")).get(LIST)
    assert response.status_code == 200
    row = by_id(response.json()["results"])[shelter.pk]
    assert row["beds"] == 10
    assert row["beds_used"] == 1
    assert row["free_beds"] == 9
    assert row["free_cots"] == 2
    assert row["organisation"] == "HOME"
    assert "address" not in row
    assert "contact" not in row
    assert shelter.address not in response.content.decode()


def test_the_list_is_filtered_by_region_kind_and_open(cast, login):
    kazan = make_shelter(cast.home)
    moscow = make_shelter(cast.home, region="Moscow", city="Moscow",
                          kind=ShelterKind.REHABILITATION_CENTER)
    closed = make_shelter(cast.home, region="Moscow", city="Moscow", is_open=False)
    client = login(cast.user(Role.CASE_WORKER))

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{LIST}?{query}").json()["results"]}

    assert ids("region=moscow") == {moscow.pk, closed.pk}
    assert ids("kind=RehabilitationCenter") == {moscow.pk}
    assert ids("region=Moscow&open_only=true") == {moscow.pk}
    assert kazan.pk in ids("")


def test_a_non_member_sees_no_shelter(cast, login):
    home_shelter(cast)
    response = login(cast.site_admin).get(LIST)
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- one shelter -------------------------------------------------------------------


def test_the_operating_organisation_sees_the_address_and_contact(cast, login):
    shelter = home_shelter(cast)
    body = login(cast.user(Role.RESEARCHER)).get(f"{LIST}{shelter.pk}/").json()
    assert body["details_visible"] is True
    assert body["address"] == shelter.address
    assert body["contact"] == shelter.contact


def test_another_organisation_sees_the_facts_without_address_or_contact(cast, login):
    shelter = home_shelter(cast)
    response = login(cast.user(Role.CASE_WORKER, "away")).get(f"{LIST}{shelter.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == shelter.name_en
    assert body["free_beds"] == 10
    assert body["details_visible"] is False
    assert body["address"] is None
    assert body["contact"] is None
    assert shelter.address not in response.content.decode()


def test_who_places_someone_there_sees_the_address(cast, login):
    kzn = shelter_organisation()
    shelter = make_shelter(kzn.organisation)
    case = home_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(f"{LIST}{shelter.pk}/").json()["address"] is None
    referral_of(cast, case, shelter)
    assert client.get(f"{LIST}{shelter.pk}/").json()["address"] == shelter.address


def test_a_non_member_gets_404_for_a_shelter(cast, login):
    shelter = home_shelter(cast)
    assert login(cast.site_admin).get(f"{LIST}{shelter.pk}/").status_code == 404
    assert login(cast.user(Role.CASE_WORKER)).get(f"{LIST}99999/").status_code == 404


# --- the placement search ------------------------------------------------------------


@pytest.fixture
def network(cast: Any) -> dict[str, Any]:
    return {
        "mothers": make_shelter(cast.home, kind=ShelterKind.MOTHERS_WITH_CHILDREN,
                                children_min_age_months=0, name_en="Mothers' house"),
        "rehab": make_shelter(cast.home, kind=ShelterKind.REHABILITATION_CENTER,
                              children_min_age_months=12, name_en="IOM rehabilitation center",
                              region="Moscow", city="Moscow"),
        "full": make_shelter(cast.home, beds=1, name_en="Full house"),
    }


def _reasons(body: dict[str, Any]) -> dict[int, list[str]]:
    return {c["shelter"]["id"]: c["reasons"] for c in body["excluded"]}


def test_a_mother_with_a_six_month_old_is_refused_by_the_rehab_center(cast, login, network):
    stay_of(cast, shelter=network["full"])
    case = home_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).get(search_url(case.code, "children=6"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["case"] == case.code
    assert [c["shelter"]["id"] for c in body["fits"]] == [network["mothers"].pk]
    assert body["fits"][0]["fits"] is True
    assert body["fits"][0]["reasons"] == []
    reasons = _reasons(body)
    assert "No infants under 1 year" in reasons[network["rehab"].pk]
    assert "No free bed" in reasons[network["full"].pk]
    assert body["excluded"][0]["fits"] is False


def test_a_minor_is_refused_by_adults_only_houses(cast, login, network):
    case = open_minor_case(cast)
    response = login(cast.user(Role.COORDINATOR)).get(search_url(case.code))
    assert response.status_code == 200
    body = response.json()
    assert body["fits"] == []
    assert all("Adults only (18+)" in reasons for reasons in _reasons(body).values())


def test_the_region_to_avoid_and_the_preferred_region(cast, login, network):
    case = home_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    body = client.get(search_url(case.code, "avoid_region=Republic of Tatarstan")).json()
    assert [c["shelter"]["id"] for c in body["fits"]] == [network["rehab"].pk]
    body = client.get(search_url(case.code, "prefer_region=Moscow")).json()
    assert body["fits"][0]["shelter"]["id"] == network["rehab"].pk
    assert body["fits"][0]["preferred"] is True


def test_the_placement_search_refuses_a_malformed_children_list(cast, login, network):
    case = home_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(search_url(case.code, "children=six")).status_code == 400
    assert client.get(search_url(case.code, "children=300")).status_code == 400


def test_the_placement_search_is_404_to_outsiders_and_403_to_the_team(cast, login, network):
    case = home_case(cast)
    assert login(cast.user(Role.CASE_WORKER, "away")).get(search_url(case.code)).status_code == 404
    assert login(cast.user(Role.SHELTER_STAFF)).get(search_url(case.code)).status_code == 404
    case_assign(actor=cast.user(Role.CASE_WORKER), case=case,
                user=cast.user(Role.REINTEGRATION_WORKER), role="Reintegration")
    client = login(cast.user(Role.REINTEGRATION_WORKER))
    assert client.get(search_url(case.code)).status_code == 403


def test_the_placement_search_answers_get_only(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(search_url(case.code))
    assert response.status_code == 405


# --- the network's occupancy ---------------------------------------------------------


def test_coordinators_see_the_networks_occupancy_without_any_case(cast, login):
    shelter = home_shelter(cast)
    stay = stay_of(cast, shelter=shelter)
    response = login(cast.user(Role.COORDINATOR, "away")).get(OCCUPANCY)
    assert response.status_code == 200
    body = response.json()
    row = next(row for row in body["shelters"] if row["id"] == shelter.pk)
    assert (row["beds"], row["beds_used"], row["beds_free"]) == (10, 1, 9)
    region = next(r for r in body["regions"] if r["region"] == shelter.region)
    assert region["beds_used"] == 1
    assert region["shelters"] == 1
    assert body["totals"]["beds_used"] == 1
    this_month = timezone.localdate().strftime("%Y-%m")
    assert next(m for m in body["months"] if m["month"] == this_month)["admissions"] == 1
    content = response.content.decode()
    assert stay.case.code not in content
    assert stay.case.person.last_name not in content
    assert shelter.address not in content


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL,
                                  Role.RESEARCHER, Role.ORG_ADMIN])
def test_the_occupancy_is_for_coordinators_only(cast, login, role):
    assert login(cast.user(role)).get(OCCUPANCY).status_code == 403


# --- schema --------------------------------------------------------------------------


def test_openapi_schema_documents_the_shelter_api_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/shelters/", "/api/v1/shelters/{id}/", "/api/v1/shelters/occupancy/",
        "/api/v1/shelters/referrals/", "/api/v1/shelters/referrals/{id}/",
        "/api/v1/shelters/referrals/{id}/accept/", "/api/v1/shelters/referrals/{id}/decline/",
        "/api/v1/shelters/referrals/{id}/withdraw/", "/api/v1/shelters/referrals/{id}/admit/",
        "/api/v1/shelters/stays/{id}/", "/api/v1/shelters/stays/{id}/discharge/",
        "/api/v1/cases/{code}/placement-search/", "/api/v1/cases/{code}/shelter-stays/",
        "/api/v1/cases/{code}/service-offers/", "/api/v1/cases/{code}/service-sessions/",
        "/api/v1/cases/{code}/medical-screenings/",
    ):
        assert f"{path}:" in schema, path
