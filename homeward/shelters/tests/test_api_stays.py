"""The stay API (shelters/api/stays.py): one stay (the resident's record),
its discharge, and a case's stays.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent
from homeward.shelters.choices import LeaveReason
from homeward.shelters.models import ShelterStay
from homeward.shelters.services.stays import ChildIn, stay_admit
from homeward.shelters.tests.access_expectations_api import (
    OtherShelter,
    home_case,
    other_shelter,
    referral_of,
)
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

STAYS = "/api/v1/shelters/stays/"


def url(stay: ShelterStay, suffix: str = "") -> str:
    return f"{STAYS}{stay.pk}/{suffix}"


def case_stays(code: str) -> str:
    return f"/api/v1/cases/{code}/shelter-stays/"


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, content_type="application/json")


@pytest.fixture
def kzn(cast: Any) -> OtherShelter:
    return other_shelter()


@pytest.fixture
def stay(cast: Any, kzn: Any) -> ShelterStay:
    """A HOME person staying with a toddler in KZN's shelter since 10 days ago."""
    case = home_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral = referral_of(cast, case, kzn.shelter)
    return stay_admit(
        actor=kzn.user(Role.SHELTER_STAFF), shelter=kzn.shelter, case=case,
        admitted_on=timezone.localdate() - datetime.timedelta(days=10),
        children=[ChildIn(age_months=20)], referral=referral,
    )


def test_anonymous_callers_get_403(client, stay):
    assert client.get(url(stay)).status_code == 403


def test_shelter_staff_see_their_resident_with_name_and_children_audited(cast, login, stay, kzn):
    response = login(kzn.user(Role.SHELTER_STAFF)).get(url(stay))
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["name"] == stay.case.person.display_name
    assert body["case"] == stay.case.code
    assert body["shelter"]["id"] == kzn.shelter.pk
    assert body["is_current"] is True
    assert [(c["age_months"], c["in_cot"]) for c in body["children"]] == [(20, True)]
    assert body["admitted_by"]["username"] == "shelter_staff@kzn"
    view = AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=kzn.user(Role.SHELTER_STAFF).pk
    ).get()
    assert view.detail["tab"] == "api:shelter-stay"


def test_the_case_worker_sees_the_stay_too(cast, login, stay):
    assert login(cast.user(Role.CASE_WORKER)).get(url(stay)).status_code == 200


def test_a_stay_is_404_for_other_organisations_and_roles_that_do_not_see_it(
    cast, login, stay, kzn
):
    for user in (cast.user(Role.SHELTER_STAFF, "away"), cast.user(Role.SHELTER_STAFF),
                 kzn.user(Role.ORG_ADMIN), cast.site_admin):
        assert login(user).get(url(stay)).status_code == 404, user


def test_a_stay_answers_get_only(cast, login, stay):
    response = login(cast.user(Role.CASE_WORKER)).patch(url(stay), {},
                                                        content_type="application/json")
    assert response.status_code == 405


# --- discharge ------------------------------------------------------------------------------


def test_discharging_frees_the_bed_and_the_cot(cast, login, stay, kzn):
    shelter_url = f"/api/v1/shelters/{kzn.shelter.pk}/"
    client = login(kzn.user(Role.SHELTER_STAFF))
    before = client.get(shelter_url).json()
    assert (before["free_beds"], before["free_cots"]) == (9, 1)
    response = post(client, url(stay, "discharge/"), {
        "discharged_on": timezone.localdate().isoformat(), "reason": "Reintegrated",
        "note": "Back with her family",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["leave_reason"] == LeaveReason.REINTEGRATED
    assert body["is_current"] is False
    assert body["leave_note"] == "Back with her family"
    after = client.get(shelter_url).json()
    assert (after["free_beds"], after["free_cots"]) == (10, 2)


def test_the_case_worker_may_discharge(cast, login, stay):
    response = post(login(cast.user(Role.CASE_WORKER)), url(stay, "discharge/"),
                    {"reason": "LeftVoluntarily"})
    assert response.status_code == 200
    assert response.json()["discharged_on"] == timezone.localdate().isoformat()


def test_medical_staff_of_the_shelter_cannot_discharge(cast, login, stay, kzn):
    response = post(login(kzn.user(Role.MEDICAL)), url(stay, "discharge/"), {"reason": "Moved"})
    assert response.status_code == 403


def test_discharge_before_admission_is_refused(cast, login, stay, kzn):
    early = (stay.admitted_on - datetime.timedelta(days=1)).isoformat()
    response = post(login(kzn.user(Role.SHELTER_STAFF)), url(stay, "discharge/"),
                    {"discharged_on": early, "reason": "Moved"})
    assert response.status_code == 400
    stay.refresh_from_db()
    assert stay.discharged_on is None


def test_discharge_needs_a_known_reason(cast, login, stay, kzn):
    response = post(login(kzn.user(Role.SHELTER_STAFF)), url(stay, "discharge/"),
                    {"reason": "Vanished"})
    assert response.status_code == 400
    assert "reason" in response.json()


def test_discharge_is_posted_never_got(cast, login, stay, kzn):
    assert login(kzn.user(Role.SHELTER_STAFF)).get(url(stay, "discharge/")).status_code == 405


def test_discharge_is_404_for_other_organisations(cast, login, stay):
    response = post(login(cast.user(Role.SHELTER_STAFF, "away")), url(stay, "discharge/"),
                    {"reason": "Moved"})
    assert response.status_code == 404


# --- a case's stays ---------------------------------------------------------------------------


def test_a_cases_stays_carry_no_name(cast, login, stay, kzn):
    for user in (cast.user(Role.CASE_WORKER), kzn.user(Role.SHELTER_STAFF), kzn.user(Role.MEDICAL)):
        response = login(user).get(case_stays(stay.case.code))
        assert response.status_code == 200, user
        rows = response.json()
        assert [row["id"] for row in rows] == [stay.pk]
        assert "person" not in rows[0]
        assert stay.case.person.last_name not in response.content.decode()


def test_a_cases_stays_are_404_to_those_who_do_not_see_the_case(cast, login, stay, kzn):
    for user in (cast.user(Role.CASE_WORKER, "away"), cast.user(Role.SHELTER_STAFF),
                 kzn.user(Role.ORG_ADMIN), cast.site_admin):
        assert login(user).get(case_stays(stay.case.code)).status_code == 404, user


def test_another_shelter_organisation_sees_no_stay_elsewhere(cast, login, stay):
    other = shelter_organisation("SPB")
    make_shelter(other.organisation)
    response = login(other.user(Role.SHELTER_STAFF)).get(case_stays(stay.case.code))
    assert response.status_code == 404


def test_a_case_without_stays_answers_an_empty_list(cast, login):
    case = home_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).get(case_stays(case.code))
    assert response.status_code == 200
    assert response.json() == []


def test_a_cases_stays_answer_get_only(cast, login):
    case = home_case(cast)
    response = post(login(cast.user(Role.CASE_WORKER)), case_stays(case.code))
    assert response.status_code == 405

