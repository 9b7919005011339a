"""A resident's stay: the resident page (name shown, every look audited),
the standard package, the service log, the departure and the medical
screening (medical staff only — 403 for every other role that sees the
stay, coordinators included)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_minor_case
from homeward.shelters.choices import OfferStatus, StandardService
from homeward.shelters.models import MedicalScreening, ServiceOffer, ServiceSession, ShelterStay
from homeward.shelters.selectors import occupancy_of
from homeward.shelters.tests.views_helpers import kazan, stay_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _url(name, stay):
    return reverse(f"shelters:{name}", kwargs={"pk": stay.pk})


def _package(accepted=(), refused=(), decided_on=None):
    data = {"decided_on": (decided_on or TODAY()).isoformat(), "note": ""}
    for service in accepted:
        data[f"service_{service}"] = OfferStatus.ACCEPTED
    for service in refused:
        data[f"service_{service}"] = OfferStatus.REFUSED
    return data


@pytest.fixture
def place():
    return kazan()


@pytest.fixture
def stay(cast, place):
    return stay_in(cast, place)


# Who may


def test_anonymous_is_sent_to_sign_in(client, stay):
    for name in ("stay-detail", "offer-create", "session-create", "stay-discharge",
                 "screening-list", "screening-create"):
        response = client.get(_url(name, stay))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsiders_get_404(cast, login, stay):
    for user in (cast.user(Role.SHELTER_STAFF, "away"), cast.user(Role.MEDICAL, "away"),
                 cast.user(Role.REINTEGRATION_WORKER)):
        client = login(user)
        for name in ("stay-detail", "offer-create", "stay-discharge", "screening-list"):
            assert client.get(_url(name, stay)).status_code == 404, (user, name)


def test_medical_screening_is_403_for_every_other_role_that_sees_the_stay(
    cast, login, place, stay
):
    for user in (place.user(Role.COORDINATOR), place.user(Role.SHELTER_STAFF),
                 cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR)):
        client = login(user)
        assert client.get(_url("stay-detail", stay)).status_code == 200
        assert client.get(_url("screening-list", stay)).status_code == 403
        assert client.post(_url("screening-create", stay),
                           {"examined_on": TODAY().isoformat()}).status_code == 403
    assert not MedicalScreening.objects.exists()


def test_medical_staff_of_the_shelter_may_not_record_the_package_or_the_departure(
    login, place, stay
):
    client = login(place.user(Role.MEDICAL))
    assert client.get(_url("stay-detail", stay)).status_code == 200
    assert client.post(_url("offer-create", stay),
                       _package(accepted=[StandardService.HOUSING])).status_code == 403
    assert client.get(_url("session-create", stay)).status_code == 403
    assert client.get(_url("stay-discharge", stay)).status_code == 403
    assert not ServiceOffer.objects.exists()


def test_stay_pages_answer_405_to_other_methods(login, place, stay):
    client = login(place.user(Role.SHELTER_STAFF))
    assert client.post(_url("stay-detail", stay)).status_code == 405
    assert client.patch(_url("offer-create", stay)).status_code == 405
    assert client.put(_url("stay-discharge", stay)).status_code == 405
    assert client.delete(_url("session-create", stay)).status_code == 405
    medical = login(place.user(Role.MEDICAL))
    assert medical.post(_url("screening-list", stay)).status_code == 405
    assert medical.patch(_url("screening-create", stay)).status_code == 405


# The resident page


def test_resident_page_shows_the_name_and_is_audited(login, place, stay):
    page = login(place.user(Role.SHELTER_STAFF)).get(_url("stay-detail", stay))
    text = page.content.decode()
    assert stay.case.person.last_name in text
    assert stay.case.code in text
    assert AuditEntry.objects.filter(action=Action.VIEW, target_id=str(stay.case.pk),
                                     detail__tab=f"shelter-stay:{stay.pk}").count() == 1


def test_resident_page_says_no_children_when_none_came(login, place, stay):
    page = login(place.user(Role.SHELTER_STAFF)).get(_url("stay-detail", stay))
    text = page.content.decode()
    assert "No children" in text
    assert ">None<" not in text


def test_medical_link_shows_to_medical_staff_only(login, place, stay):
    link = _url("screening-list", stay)
    assert link not in login(place.user(Role.COORDINATOR)).get(
        _url("stay-detail", stay)).content.decode()
    assert link in login(place.user(Role.MEDICAL)).get(_url("stay-detail", stay)).content.decode()


# The standard package


def test_recording_the_package_with_one_refused_service(login, place, stay):
    accepted = [StandardService.WELCOME, StandardService.HOUSING, StandardService.MEDICAL_HELP,
                StandardService.PSYCHOLOGICAL]
    client = login(place.user(Role.SHELTER_STAFF))
    response = client.post(_url("offer-create", stay),
                           _package(accepted=accepted, refused=[StandardService.REPATRIATION]))
    assert response.status_code == 302
    assert response["Location"] == _url("stay-detail", stay)
    decisions = dict(ServiceOffer.objects.values_list("service", "status"))
    assert decisions == {**{s.value: OfferStatus.ACCEPTED for s in accepted},
                         StandardService.REPATRIATION.value: OfferStatus.REFUSED}
    assert {offer.organisation_id for offer in ServiceOffer.objects.all()} == {
        place.shelter.organisation_id}
    page = client.get(_url("stay-detail", stay)).content.decode()
    assert "Refused" in page


def test_services_left_unchanged_are_not_recorded_again(login, place, stay):
    client = login(place.user(Role.SHELTER_STAFF))
    client.post(_url("offer-create", stay), _package(accepted=[StandardService.HOUSING]))
    response = client.post(_url("offer-create", stay), _package(accepted=[StandardService.HOUSING]))
    assert response.status_code == 200
    assert "at least one service" in response.content.decode()
    assert ServiceOffer.objects.count() == 1
    # Changing one's mind is a new record: the history shows both.
    client.post(_url("offer-create", stay), _package(refused=[StandardService.HOUSING]))
    assert list(ServiceOffer.objects.order_by("id").values_list("status", flat=True)) == [
        OfferStatus.ACCEPTED, OfferStatus.REFUSED]


def test_a_refused_package_records_nothing(login, place, stay):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = login(place.user(Role.SHELTER_STAFF)).post(
        _url("offer-create", stay),
        _package(accepted=[StandardService.HOUSING, StandardService.WELCOME],
                 decided_on=tomorrow),
    )
    assert response.status_code == 200
    assert 'class="field field-invalid"' in response.content.decode()
    assert not ServiceOffer.objects.exists()


def test_case_worker_of_the_referring_organisation_records_for_the_case(cast, login, stay):
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("offer-create", stay), _package(accepted=[StandardService.SOCIAL_LEGAL]))
    assert response.status_code == 302
    assert ServiceOffer.objects.get().organisation == cast.home


# The service log


def test_adding_a_session_with_the_colleague_who_provided_it(login, place, stay):
    staff = place.user(Role.SHELTER_STAFF)
    response = login(staff).post(_url("session-create", stay), {
        "kind": "PsychologicalIndividual", "held_on": TODAY().isoformat(),
        "duration_minutes": "50", "provided_by": str(staff.pk), "provider_name": "",
        "notes": "First session.",
    })
    assert response.status_code == 302
    session = ServiceSession.objects.get()
    assert (session.provided_by, session.stay, session.duration_minutes) == (staff, stay, 50)


def test_a_session_says_who_provided_it(login, place, stay):
    response = login(place.user(Role.SHELTER_STAFF)).post(_url("session-create", stay), {
        "kind": "LegalConsultation", "held_on": TODAY().isoformat(), "provided_by": "",
        "provider_name": "",
    })
    assert response.status_code == 200
    assert "Say who provided it" in response.content.decode()
    assert not ServiceSession.objects.exists()


# The departure


def test_departure_frees_the_bed(login, place, stay):
    before = occupancy_of([place.shelter])[place.shelter.pk].beds_used
    response = login(place.user(Role.SHELTER_STAFF)).post(_url("stay-discharge", stay), {
        "discharged_on": TODAY().isoformat(), "reason": "Reintegrated", "note": "",
    })
    assert response.status_code == 302
    assert ShelterStay.objects.get(pk=stay.pk).discharged_on == TODAY()
    assert occupancy_of([place.shelter])[place.shelter.pk].beds_used == before - 1


def test_departure_before_the_admission_is_refused(login, place, stay):
    response = login(place.user(Role.SHELTER_STAFF)).post(_url("stay-discharge", stay), {
        "discharged_on": (stay.admitted_on - datetime.timedelta(days=3)).isoformat(),
        "reason": "Moved", "note": "",
    })
    assert response.status_code == 200
    assert ShelterStay.objects.get(pk=stay.pk).discharged_on is None


# The medical screening


def _screening(**values):
    data = {
        "examined_on": TODAY().isoformat(), "clinic": "", "clinic_other": "Kazan clinic No. 7",
        "examinations": "Blood tests", "treatment": "", "notes": "",
        "diagnoses-TOTAL_FORMS": "3", "diagnoses-INITIAL_FORMS": "0",
        "diagnoses-MIN_NUM_FORMS": "0", "diagnoses-MAX_NUM_FORMS": "20",
        "diagnoses-0-group": "ReproductiveInflammation", "diagnoses-0-icd10": "N70",
        "diagnoses-0-detail": "",
    }
    data.update(values)
    return data


def test_medical_staff_record_a_screening_with_a_diagnosis(login, place, stay):
    client = login(place.user(Role.MEDICAL))
    response = client.post(_url("screening-create", stay), _screening())
    assert response.status_code == 302
    screening = MedicalScreening.objects.get()
    assert [(d.group, d.icd10) for d in screening.diagnoses.all()] == [
        ("ReproductiveInflammation", "N70")]
    page = client.get(_url("screening-list", stay)).content.decode()
    assert "N70" in page
    assert "Kazan clinic No. 7" in page
    assert AuditEntry.objects.filter(action=Action.VIEW, fields=["medical_screenings"]).exists()


def test_a_wrong_icd10_code_is_shown_on_the_form(login, place, stay):
    response = login(place.user(Role.MEDICAL)).post(
        _url("screening-create", stay), _screening(**{"diagnoses-0-icd10": "70N"}))
    assert response.status_code == 200
    assert "is not an ICD-10 code" in response.content.decode()
    assert not MedicalScreening.objects.exists()


def test_refuses_screening_of_a_minor_without_guardian_consent(cast, login, place):
    minor = open_minor_case(cast)
    place.shelter.min_age = None
    place.shelter.save()
    give_consent(minor, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=place.kzn.organisation)
    stay = stay_in(cast, place, minor)
    client = login(place.user(Role.MEDICAL))
    page = client.get(_url("screening-create", stay)).content.decode()
    assert "The person is a minor" in page
    response = client.post(_url("screening-create", stay), _screening())
    assert response.status_code == 200
    assert "consent of a parent" in response.content.decode()
    assert not MedicalScreening.objects.exists()
