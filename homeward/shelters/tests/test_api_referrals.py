"""The referral API (shelters/api/referrals.py): the queue, asking a shelter
to take a person, one referral, and the answers — accept, decline, withdraw,
admit.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import ConsentPurpose
from homeward.cases.services import case_assign
from homeward.cases.tests.factories import give_consent
from homeward.shelters.choices import ReferralStatus
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.tests.access_expectations_api import (
    OtherShelter,
    home_case,
    other_shelter,
    referral_of,
)
from homeward.shelters.tests.factories import make_shelter

pytestmark = pytest.mark.django_db

LIST = "/api/v1/shelters/referrals/"


def url(referral: ShelterReferral, suffix: str = "") -> str:
    return f"{LIST}{referral.pk}/{suffix}"


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, content_type="application/json")


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def kzn(cast: Any) -> OtherShelter:
    """Another organisation's shelter in Kazan."""
    return other_shelter()


@pytest.fixture
def case(cast: Any, kzn: Any) -> Any:
    """A HOME person who consented to sharing their data with KZN."""
    case = home_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    return case


@pytest.fixture
def referral(cast: Any, case: Any, kzn: Any) -> ShelterReferral:
    return referral_of(cast, case, kzn.shelter)


# --- the queue ----------------------------------------------------------------------


def test_anonymous_callers_get_403(client):
    assert client.get(LIST).status_code == 403


def test_the_queue_rows_carry_the_case_code_never_a_name(cast, login, referral, kzn, case):
    response = login(kzn.user(Role.SHELTER_STAFF)).get(LIST)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [referral.pk]
    assert rows[0]["case"] == case.code
    assert rows[0]["shelter"]["id"] == kzn.shelter.pk
    assert rows[0]["status"] == "Pending"
    content = response.content.decode()
    assert case.person.last_name not in content
    assert case.person.first_name not in content
    assert "person" not in rows[0]
    assert "note" not in rows[0]


def test_the_queue_is_filtered_by_shelter_and_status(cast, login, referral, kzn, case):
    other = referral_of(cast)
    client = login(cast.user(Role.COORDINATOR))
    ids = {row["id"] for row in client.get(LIST).json()["results"]}
    assert ids == {referral.pk, other.pk}
    shelter_rows = client.get(f"{LIST}?shelter={kzn.shelter.pk}").json()["results"]
    assert [row["id"] for row in shelter_rows] == [referral.pk]
    assert client.get(f"{LIST}?status=Accepted").json()["results"] == []


def test_the_queue_shows_nothing_of_other_organisations(cast, login, referral):
    response = login(cast.user(Role.SHELTER_STAFF, "away")).get(LIST)
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.ORG_ADMIN])
def test_roles_that_neither_work_on_cases_nor_run_shelters_get_403(cast, login, role):
    assert login(cast.user(role)).get(LIST).status_code == 403


# --- asking a shelter -------------------------------------------------------------------


def test_a_case_worker_asks_a_shelter_of_another_organisation(cast, login, case, kzn):
    response = post(login(cast.user(Role.CASE_WORKER)), LIST, {
        "case": case.code, "shelter": kzn.shelter.pk, "needed_from": today(),
        "children_months": [24], "note": "Arrives by train",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    referral = ShelterReferral.objects.get(pk=body["id"])
    assert referral.status == ReferralStatus.PENDING
    assert referral.children_months == [24]
    assert body["note"] == "Arrives by train"
    assert AuditEntry.objects.filter(
        action=Action.CREATE, target_type="shelters.ShelterReferral", target_id=str(referral.pk)
    ).exists()


def test_asking_without_consent_to_share_data_is_refused(cast, login, kzn):
    case = home_case(cast)
    response = post(login(cast.user(Role.CASE_WORKER)), LIST, {
        "case": case.code, "shelter": kzn.shelter.pk, "needed_from": today(),
    })
    assert response.status_code == 400
    assert "consent" in response.json()["detail"]
    assert not ShelterReferral.objects.exists()


def test_asking_a_shelter_that_cannot_take_the_person_lists_the_reasons(cast, login, case):
    rehab = make_shelter(cast.home, children_min_age_months=12)
    response = post(login(cast.user(Role.CASE_WORKER)), LIST, {
        "case": case.code, "shelter": rehab.pk, "needed_from": today(), "children_months": [6],
    })
    assert response.status_code == 400
    assert "No infants under 1 year" in response.json()["detail"]


def test_asking_refuses_unknown_fields(cast, login, case, kzn):
    response = post(login(cast.user(Role.CASE_WORKER)), LIST, {
        "case": case.code, "shelter": kzn.shelter.pk, "needed_from": today(),
        "status": "Accepted",
    })
    assert response.status_code == 400
    assert "status" in response.json()


def test_asking_for_a_case_of_another_organisation_is_404(cast, login, case, kzn):
    response = post(login(cast.user(Role.CASE_WORKER, "away")), LIST, {
        "case": case.code, "shelter": kzn.shelter.pk, "needed_from": today(),
    })
    assert response.status_code == 404


def test_a_team_member_who_does_not_manage_the_case_gets_403(cast, login, case, kzn):
    case_assign(actor=cast.user(Role.CASE_WORKER), case=case,
                user=cast.user(Role.REINTEGRATION_WORKER), role="Reintegration")
    response = post(login(cast.user(Role.REINTEGRATION_WORKER)), LIST, {
        "case": case.code, "shelter": kzn.shelter.pk, "needed_from": today(),
    })
    assert response.status_code == 403


# --- one referral ---------------------------------------------------------------------


def test_the_shelter_side_sees_the_person_in_the_referral_and_it_is_audited(
    cast, login, referral, kzn, case
):
    response = login(kzn.user(Role.SHELTER_STAFF)).get(url(referral))
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["name"] == case.person.display_name
    assert body["person"]["is_minor"] is False
    assert body["requested_by"]["username"] == "case_worker@home"
    assert body["stay"] is None
    view = AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=kzn.user(Role.SHELTER_STAFF).pk
    ).get()
    assert view.detail["tab"] == "api:shelter-referral"


def test_a_referral_is_404_for_other_organisations_and_other_roles(cast, login, referral, kzn):
    for user in (cast.user(Role.SHELTER_STAFF, "away"), cast.user(Role.SHELTER_STAFF),
                 kzn.user(Role.ORG_ADMIN), cast.site_admin):
        assert login(user).get(url(referral)).status_code == 404, user


def test_a_referral_answers_get_only(cast, login, referral):
    response = login(cast.user(Role.CASE_WORKER)).patch(url(referral), {},
                                                        content_type="application/json")
    assert response.status_code == 405


# --- answers -----------------------------------------------------------------------------


def test_shelter_staff_accept_and_the_case_worker_cannot(cast, login, referral, kzn):
    assert post(login(cast.user(Role.CASE_WORKER)), url(referral, "accept/")).status_code == 403
    response = post(login(kzn.user(Role.SHELTER_STAFF)), url(referral, "accept/"))
    assert response.status_code == 200
    assert response.json()["status"] == "Accepted"
    assert response.json()["decided_by"]["username"] == "shelter_staff@kzn"
    again = post(login(kzn.user(Role.SHELTER_STAFF)), url(referral, "accept/"))
    assert again.status_code == 400


def test_medical_staff_of_the_shelter_cannot_answer(cast, login, referral, kzn):
    assert post(login(kzn.user(Role.MEDICAL)), url(referral, "accept/")).status_code == 403


def test_declining_needs_a_reason(cast, login, referral, kzn):
    client = login(kzn.user(Role.COORDINATOR))
    assert post(client, url(referral, "decline/"), {"reason": ""}).status_code == 400
    response = post(client, url(referral, "decline/"), {"reason": "No room for now"})
    assert response.status_code == 200
    assert response.json()["status"] == "Declined"
    assert response.json()["decline_reason"] == "No room for now"


def test_the_case_worker_withdraws_and_shelter_staff_cannot(cast, login, referral, kzn):
    assert post(login(kzn.user(Role.SHELTER_STAFF)), url(referral, "withdraw/")).status_code == 403
    response = post(login(cast.user(Role.CASE_WORKER)), url(referral, "withdraw/"),
                    {"reason": "Went home"})
    assert response.status_code == 200
    assert response.json()["status"] == "Withdrawn"
    # Withdrawn before any answer: gone from the shelter's side.
    assert login(kzn.user(Role.SHELTER_STAFF)).get(url(referral)).status_code == 404


def test_admitting_the_referred_person_with_a_baby(cast, login, referral, kzn, case):
    post(login(kzn.user(Role.SHELTER_STAFF)), url(referral, "accept/"))
    response = post(login(kzn.user(Role.SHELTER_STAFF)), url(referral, "admit/"), {
        "admitted_on": today(), "children": [{"age_months": 14, "gender": "Masculine"}],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    stay = ShelterStay.objects.get(pk=body["id"])
    assert stay.shelter == kzn.shelter
    assert stay.case == case
    assert body["person"]["name"] == case.person.display_name
    assert body["children"] == [
        {"id": stay.children.get().pk, "age_months": 14, "gender": "Masculine", "in_cot": True}
    ]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ADMITTED
    detail = login(cast.user(Role.CASE_WORKER)).get(url(referral)).json()
    assert detail["stay"] == stay.pk


def test_admission_is_refused_when_the_shelter_is_full(cast, login):
    shelter = make_shelter(cast.home, beds=1)
    first = referral_of(cast, shelter=shelter, accepted=True)
    second = referral_of(cast, shelter=shelter, accepted=True)
    client = login(cast.user(Role.SHELTER_STAFF))
    assert post(client, url(first, "admit/"), {"admitted_on": today()}).status_code == 201
    response = post(client, url(second, "admit/"), {"admitted_on": today()})
    assert response.status_code == 400
    assert not ShelterStay.objects.filter(case=second.case).exists()


def test_the_admission_date_defaults_to_today(cast, login):
    referral = referral_of(cast, accepted=True)
    response = post(login(cast.user(Role.COORDINATOR)), url(referral, "admit/"))
    assert response.status_code == 201
    assert response.json()["admitted_on"] == today()


def test_answers_are_404_for_other_organisations(cast, login, referral):
    client = login(cast.user(Role.SHELTER_STAFF, "away"))
    for suffix in ("accept/", "decline/", "withdraw/", "admit/"):
        assert post(client, url(referral, suffix), {"reason": "x"}).status_code == 404


def test_answers_are_posted_never_got(cast, login, referral, kzn):
    client = login(kzn.user(Role.SHELTER_STAFF))
    for suffix in ("accept/", "decline/", "withdraw/", "admit/"):
        assert client.get(url(referral, suffix)).status_code == 405
