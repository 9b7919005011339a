"""The care API (shelters/api/care.py): the standard package of services, the
service log and the medical screening of a case.

Medical screenings are for medical staff only: every other role gets 403
when it sees the case and 404 when it does not, and no other endpoint ever
carries a screening. Every audience on every operation:
``access_expectations_api.py``.
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
from homeward.cases.choices import ConsentGivenBy, ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_minor_case
from homeward.shelters.choices import ShelterKind
from homeward.shelters.models import MedicalScreening, ServiceOffer, ServiceSession
from homeward.shelters.services.referrals import referral_accept
from homeward.shelters.services.stays import stay_admit
from homeward.shelters.tests.access_expectations_api import (
    OtherShelter,
    home_case,
    other_shelter,
    referral_of,
    stay_of,
)
from homeward.shelters.tests.factories import make_shelter

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "Zebrafindings primary chancre"
SECRET_TREATMENT = "Quinzelpenicillin course"


def offers(code: str) -> str:
    return f"/api/v1/cases/{code}/service-offers/"


def sessions(code: str) -> str:
    return f"/api/v1/cases/{code}/service-sessions/"


def screenings(code: str) -> str:
    return f"/api/v1/cases/{code}/medical-screenings/"


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, content_type="application/json")


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def kzn(cast: Any) -> OtherShelter:
    return other_shelter()


@pytest.fixture
def stay(cast: Any, kzn: Any) -> Any:
    """A HOME person (consents to assistance, medical care and sharing with
    KZN) staying in KZN's shelter."""
    case = home_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral = referral_of(cast, case, kzn.shelter)
    referral_accept(actor=kzn.user(Role.SHELTER_STAFF), referral=referral)
    return stay_admit(actor=kzn.user(Role.SHELTER_STAFF), shelter=kzn.shelter, case=case,
                      admitted_on=timezone.localdate(), referral=referral)


@pytest.fixture
def code(stay: Any) -> str:
    return str(stay.case.code)


# --- the standard package ------------------------------------------------------------------


def test_anonymous_callers_get_403(client, code):
    assert client.get(offers(code)).status_code == 403


def test_shelter_staff_record_a_refused_service_and_the_newest_decision_is_in_force(
    cast, login, kzn, code
):
    client = login(kzn.user(Role.SHELTER_STAFF))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = post(client, offers(code), {
        "service": "PsychologicalConsultation", "status": "Refused", "decided_on": yesterday,
        "note": "Not now",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "Refused"
    assert body["organisation"] == "KZN"
    assert body["in_force"] is True
    later = post(client, offers(code), {"service": "PsychologicalConsultation",
                                        "status": "Accepted"})
    assert later.status_code == 201
    assert later.json()["decided_on"] == today()
    rows = login(cast.user(Role.CASE_WORKER)).get(offers(code)).json()
    assert [(row["status"], row["in_force"]) for row in rows] == [
        ("Accepted", True), ("Refused", False)
    ]
    assert ServiceOffer.objects.count() == 2


def test_medical_staff_of_the_shelter_see_the_package_but_do_not_record_it(login, kzn, code):
    client = login(kzn.user(Role.MEDICAL))
    assert client.get(offers(code)).status_code == 200
    response = post(client, offers(code), {"service": "Housing", "status": "Accepted"})
    assert response.status_code == 403
    assert not ServiceOffer.objects.exists()


def test_the_package_is_404_to_those_who_do_not_see_the_case(cast, login, kzn, code):
    for user in (cast.user(Role.CASE_WORKER, "away"), cast.user(Role.SHELTER_STAFF),
                 kzn.user(Role.ORG_ADMIN), cast.site_admin):
        assert login(user).get(offers(code)).status_code == 404, user
        response = post(login(user), offers(code), {"service": "Housing", "status": "Accepted"})
        assert response.status_code == 404, user


def test_a_decision_in_the_future_or_an_unknown_service_is_refused(login, kzn, code):
    client = login(kzn.user(Role.SHELTER_STAFF))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = post(client, offers(code), {"service": "Housing", "status": "Accepted",
                                           "decided_on": tomorrow})
    assert response.status_code == 400
    assert "decided_on" in response.json()
    response = post(client, offers(code), {"service": "Spa", "status": "Accepted"})
    assert response.status_code == 400
    assert "service" in response.json()


def test_the_package_answers_get_and_post_only(cast, login, code):
    response = login(cast.user(Role.CASE_WORKER)).put(offers(code), {},
                                                      content_type="application/json")
    assert response.status_code == 405


# --- the service log ------------------------------------------------------------------------


def test_shelter_staff_log_a_session_given_by_a_colleague(login, kzn, stay, code):
    response = post(login(kzn.user(Role.SHELTER_STAFF)), sessions(code), {
        "kind": "PsychologicalIndividual", "held_on": today(), "duration_minutes": 50,
        "provided_by": kzn.user(Role.MEDICAL).pk, "stay": stay.pk, "notes": "First session",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["provided_by"]["username"] == "medical@kzn"
    assert body["stay"] == stay.pk
    assert body["organisation"] == "KZN"
    session = ServiceSession.objects.get()
    assert session.notes == "First session"


def test_the_case_worker_logs_a_consultation_by_an_outside_lawyer(cast, login, code):
    client = login(cast.user(Role.CASE_WORKER))
    response = post(client, sessions(code), {
        "kind": "LegalConsultation", "held_on": today(), "provider_name": "Bar association",
    })
    assert response.status_code == 201
    rows = client.get(sessions(code)).json()
    assert [row["provider_name"] for row in rows] == ["Bar association"]


def test_a_session_needs_who_provided_it(login, kzn, code):
    response = post(login(kzn.user(Role.SHELTER_STAFF)), sessions(code),
                    {"kind": "VocationalTraining", "held_on": today()})
    assert response.status_code == 400
    assert "provider_name" in response.json()


def test_a_provider_outside_the_callers_organisations_is_refused(cast, login, kzn, code):
    response = post(login(kzn.user(Role.SHELTER_STAFF)), sessions(code), {
        "kind": "VocationalTraining", "held_on": today(),
        "provided_by": cast.user(Role.CASE_WORKER, "away").pk,
    })
    assert response.status_code == 400
    assert "provided_by" in response.json()


def test_a_stay_of_another_case_is_refused(cast, login, kzn, code):
    other = stay_of(cast)
    response = post(login(cast.user(Role.CASE_WORKER)), sessions(code), {
        "kind": "LegalConsultation", "held_on": today(), "provider_name": "Lawyer",
        "stay": other.pk,
    })
    assert response.status_code == 400
    assert "stay" in response.json()


def test_medical_staff_of_the_shelter_do_not_log_sessions(login, kzn, code):
    response = post(login(kzn.user(Role.MEDICAL)), sessions(code),
                    {"kind": "Other", "held_on": today(), "provider_name": "Nurse"})
    assert response.status_code == 403


def test_the_log_is_404_to_other_organisations(cast, login, code):
    assert login(cast.user(Role.SHELTER_STAFF, "away")).get(sessions(code)).status_code == 404


# --- medical screening ------------------------------------------------------------------------


def _screening(**overrides: Any) -> dict[str, Any]:
    return {
        "examined_on": today(), "examinations": "Blood count, RW",
        "diagnoses": [{"group": "Syphilis", "icd10": "A51.0", "detail": SECRET_DETAIL}],
        "treatment": SECRET_TREATMENT, **overrides,
    }


def test_medical_staff_of_the_shelter_record_and_read_a_screening(login, kzn, stay, code):
    client = login(kzn.user(Role.MEDICAL))
    response = post(client, screenings(code), _screening(stay=stay.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["diagnoses"] == [
        {"group": "Syphilis", "icd10": "A51.0", "detail": SECRET_DETAIL}
    ]
    assert body["organisation"] == "KZN"
    rows = client.get(screenings(code)).json()
    assert [row["id"] for row in rows] == [body["id"]]
    assert rows[0]["treatment"] == SECRET_TREATMENT
    assert AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=kzn.user(Role.MEDICAL).pk, fields=["medical_screenings"]
    ).exists()


def test_every_other_role_that_sees_the_case_gets_403(cast, login, kzn, code):
    for user in (kzn.user(Role.COORDINATOR), kzn.user(Role.SHELTER_STAFF),
                 cast.user(Role.COORDINATOR), cast.user(Role.CASE_WORKER)):
        client = login(user)
        assert client.get(screenings(code)).status_code == 403, user
        assert post(client, screenings(code), _screening()).status_code == 403, user
    assert not MedicalScreening.objects.exists()


def test_medical_staff_who_do_not_see_the_case_get_404(cast, login, code):
    for user in (cast.user(Role.MEDICAL), cast.user(Role.MEDICAL, "away")):
        assert login(user).get(screenings(code)).status_code == 404, user


def test_an_invalid_icd10_code_is_refused(login, kzn, code):
    data = _screening(diagnoses=[{"group": "Other", "icd10": "syphilis"}])
    response = post(login(kzn.user(Role.MEDICAL)), screenings(code), data)
    assert response.status_code == 400
    assert "ICD-10" in str(response.json())


def test_a_minors_screening_waits_for_a_guardians_consent(cast, login):
    minors = make_shelter(cast.home, kind=ShelterKind.MINORS, min_age=None, max_age=17,
                          genders=[])
    case = open_minor_case(cast)
    stay_of(cast, case, minors)
    client = login(cast.user(Role.MEDICAL))
    response = post(client, screenings(case.code), _screening())
    assert response.status_code == 400
    assert "minor" in response.json()["detail"]
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.MEDICAL,
                 given_by=ConsentGivenBy.GUARDIAN, given_by_name="Guardian")
    assert post(client, screenings(case.code), _screening()).status_code == 201


def test_screenings_never_appear_outside_the_medical_endpoint(cast, login, kzn, stay, code):
    assert post(login(kzn.user(Role.MEDICAL)), screenings(code),
                _screening(stay=stay.pk)).status_code == 201
    reads = [
        (kzn.user(Role.COORDINATOR), f"/api/v1/shelters/stays/{stay.pk}/"),
        (kzn.user(Role.COORDINATOR), f"/api/v1/cases/{code}/shelter-stays/"),
        (kzn.user(Role.COORDINATOR), offers(code)),
        (kzn.user(Role.COORDINATOR), sessions(code)),
        (kzn.user(Role.COORDINATOR), "/api/v1/shelters/occupancy/"),
        (kzn.user(Role.SHELTER_STAFF), f"/api/v1/shelters/referrals/{stay.referral_id}/"),
        (cast.user(Role.COORDINATOR), f"/api/v1/cases/{code}/"),
        (cast.user(Role.COORDINATOR), f"/api/v1/cases/{code}/export/"),
    ]
    for user, path in reads:
        response = login(user).get(path)
        assert response.status_code == 200, path
        content = response.content.decode()
        for secret in (SECRET_DETAIL, SECRET_TREATMENT, "A51.0"):
            assert secret not in content, (path, secret)


def test_screenings_answer_get_and_post_only(login, kzn, code):
    response = login(kzn.user(Role.MEDICAL)).put(screenings(code), {},
                                                 content_type="application/json")
    assert response.status_code == 405
