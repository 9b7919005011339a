"""The intake wizard: who may open cases, what is created, the duplicate
check that reveals nothing out of scope, and opening pre-filled."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import MembershipFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import intake
from homeward.cases.choices import (
    CaseKind,
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ReferralSource,
    ReporterRelationship,
)
from homeward.cases.models import Case, Consent, MissingReport, Person
from homeward.cases.tests.factories import open_case
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db

CREATE = "cases:case-create"
MATCHES = "cases:person-matches"


def _intake_data(cast, **values):
    data = {
        "organisation": str(cast.home.pk), "referral_source": ReferralSource.IOM_MISSION,
        "referring_entry": "", "referring_organisation_name": "IOM Ankara",
        "referring_worker": "A. Yilmaz", "incoming_referral_date": timezone.localdate(),
        "referral_details": "A young woman held in a flat in Istanbul.",
        "kind": CaseKind.VICTIM,
        "first_name": "Алина", "middle_name": "", "last_name": "Сорокина",
        "first_name_latin": "Alina", "last_name_latin": "Sorokina", "other_names": "",
        "birth_date": "", "birth_year": "2001", "gender": "Feminine",
        "citizenships": ["RU"], "phones": "+7 912 000-11-22", "email": "",
        "document_kind_0": "Passport", "document_number_0": "75 7654321",
        "document_kind_1": "", "document_number_1": "",
        "address": "", "primary_language": "ru", "secondary_language": "",
        "education": "", "marital_status": "", "number_of_children": "",
        "children_accompanying": "0", "origin_country": "RU", "origin_region": "Тверская",
        "origin_city": "Тверь",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "trafficking_status_decided_by": "", "current_country": "TR",
        "current_city": "Istanbul", "destination_country": "TR",
        "destination_city": "Istanbul", "exploitation_types": ["SexualExploitation"],
        "review_due_on": "",
        "consent_given_by": "Person", "consent_given_by_name": "",
        "consent_assistance_decision": ConsentDecision.GIVEN,
        "consent_assistance_form": ConsentForm.ORAL,
        "consent_assistance_on": timezone.localdate().isoformat(),
        "consent_statistics_decision": ConsentDecision.REFUSED,
        "consent_statistics_form": ConsentForm.ORAL,
        "consent_statistics_on": timezone.localdate().isoformat(),
        "consent_phone_contact_decision": "", "consent_phone_contact_form": "",
        "consent_phone_contact_on": "",
        "existing_person": "", "source": "", "ref": "",
    }
    for name in [key for key in data if key.startswith("missing_")]:
        data.pop(name)
    data.update(values)
    return data


# --- who may open cases ------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.SHELTER_STAFF, Role.MEDICAL, Role.REINTEGRATION_WORKER, Role.RESEARCHER,
             Role.ORG_ADMIN]
)
def test_only_managers_open_cases(cast, login, role):
    # Hotline operators open urgent cases only: see test_urgent_cases.py.
    client = login(cast.user(role))
    assert client.get(reverse(CREATE)).status_code == 403
    assert client.post(reverse(CREATE), _intake_data(cast)).status_code == 403
    assert client.post(reverse(MATCHES), {"last_name": "Сорокина"}).status_code == 403
    assert not Case.objects.exists()


def test_site_admin_who_is_no_member_gets_403(cast, login):
    assert login(cast.site_admin).get(reverse(CREATE)).status_code == 403


def test_wrong_methods_get_405(cast, login):
    client = login(cast.user(Role.CASE_WORKER))
    assert client.put(reverse(CREATE)).status_code == 405
    assert client.get(reverse(MATCHES)).status_code == 405


def test_case_worker_cannot_open_a_case_in_another_organisation(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(
        reverse(CREATE), _intake_data(cast, organisation=str(cast.away.pk))
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


# --- the form ------------------------------------------------------------------------


def test_wizard_shows_the_four_sections_and_hides_a_single_organisation(cast, login):
    page = login(cast.user(Role.CASE_WORKER)).get(reverse(CREATE)).content.decode()
    for section in ("referral", "person", "situation", "consents"):
        assert f'data-wizard-section="{section}"' in page
    assert f'type="hidden" name="organisation" value="{cast.home.pk}"' in page
    assert "cases/intake.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_wizard_offers_the_choice_of_organisation_to_a_member_of_two(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    MembershipFactory(user=worker, organisation=cast.away, role=Role.COORDINATOR)
    page = login(worker).get(reverse(CREATE)).content.decode()
    assert '<select name="organisation"' in page
    assert "Away NGO" in page


def test_case_worker_opens_a_victim_case_with_consents(cast, login):
    entry = make_entry(cast.home, name_en="IOM mission in Turkey", country="TR")
    response = login(cast.user(Role.CASE_WORKER)).post(
        reverse(CREATE), _intake_data(cast, referring_entry=str(entry.pk))
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", kwargs={"code": case.code})
    assert case.organisation == cast.home
    assert case.referring_entry == entry
    assert case.destination_city == "Istanbul"
    assert case.exploitation_types == ["SexualExploitation"]
    person = case.person
    assert (person.first_name, person.last_name_latin) == ("Алина", "Sorokina")
    assert person.phones == ["+79120001122"]
    assert person.identity_documents == [{"kind": "Passport", "number": "75 7654321"}]
    decisions = dict(Consent.objects.filter(case=case).values_list("purpose", "decision"))
    assert decisions == {ConsentPurpose.ASSISTANCE: ConsentDecision.GIVEN,
                         ConsentPurpose.STATISTICS: ConsentDecision.REFUSED}


def test_opens_a_missing_person_case_with_its_report(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(reverse(CREATE), _intake_data(
        cast, kind=CaseKind.MISSING_PERSON, missing_reported_on=timezone.localdate(),
        missing_reporter_name="Ирина Сорокина",
        missing_reporter_relationship=ReporterRelationship.PARENT,
        missing_last_seen_country="TR", missing_last_seen_city="Antalya",
        missing_police_report_country="TR", missing_police_report_authority="Antalya police",
    ))
    assert response.status_code == 302
    report = MissingReport.objects.get()
    assert report.case.kind == CaseKind.MISSING_PERSON
    assert report.reporter_name == "Ирина Сорокина"
    assert report.police_report_authority == "Antalya police"


def test_missing_person_case_needs_the_reporter(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(
        reverse(CREATE), _intake_data(cast, kind=CaseKind.MISSING_PERSON)
    )
    assert response.status_code == 200
    assert "Needed for a missing-person case." in response.content.decode()
    assert not Case.objects.exists()


def test_bad_input_shows_errors_in_the_users_language_and_creates_nothing(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    worker.language = "ru"
    worker.save()
    response = login(worker).post(reverse(CREATE), _intake_data(cast, referral_source=""))
    assert response.status_code == 200
    assert "Обязательное поле." in response.content.decode()
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_service_refusal_is_shown_and_nothing_is_created(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(reverse(CREATE), _intake_data(
        cast, first_name="", last_name="", first_name_latin="", last_name_latin="",
    ))
    assert response.status_code == 200
    assert "Give at least a first name or a surname" in response.content.decode()
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_consent_given_by_someone_else_needs_their_name(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(
        reverse(CREATE), _intake_data(cast, consent_given_by="Parent")
    )
    assert response.status_code == 200
    assert "Give the name of who consented" in response.content.decode()
    assert not Case.objects.exists()
    assert not Person.objects.exists()


# --- the duplicate check ----------------------------------------------------------------


def _away_person_case(cast):
    return open_case(
        cast.away, cast.user(Role.CASE_WORKER, "away"), first_name="Мария",
        last_name="Иванова", first_name_latin="Maria", last_name_latin="Ivanova",
        birth_year=1990, phones=["+79161234567"], origin_city="Кострома",
    )


def test_match_in_another_organisation_shows_only_its_name(cast, login):
    away_case = _away_person_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(reverse(MATCHES), {
        "organisation": str(cast.home.pk), "first_name": "Мария", "last_name": "Иванова",
        "birth_year": "1990",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "A possible match exists at Away NGO — ask them." in page
    for leak in ("Иванова", "Ivanova", "1990", "Кострома", "+79161234567", away_case.code,
                 f'value="{away_case.person_id}"'):
        assert leak not in page
    assert AuditEntry.objects.filter(action=Action.MATCH_CHECK).exists()


def test_match_by_phone_in_another_organisation_reveals_nothing(cast, login):
    _away_person_case(cast)
    page = login(cast.user(Role.COORDINATOR)).post(reverse(MATCHES), {
        "first_name": "Маша", "phones": "+7 916 123-45-67",
    }).content.decode()
    assert "A possible match exists at Away NGO" in page
    assert "Иванова" not in page


def test_intake_with_a_duplicate_elsewhere_shows_only_the_organisation(cast, login):
    _away_person_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(reverse(CREATE), _intake_data(
        cast, first_name="Мария", last_name="Иванова", first_name_latin="Maria",
        last_name_latin="Ivanova", birth_year="1990", referral_source="",
    ))
    page = response.content.decode()
    assert "A possible match exists at Away NGO — ask them." in page
    assert "Кострома" not in page
    assert "+79161234567" not in page


def test_visible_match_shows_the_case_codes_and_opens_a_new_case_for_the_same_person(
    cast, login
):
    worker = cast.user(Role.CASE_WORKER)
    earlier = open_case(cast, worker, first_name="Мария", last_name="Иванова",
                        first_name_latin="Maria", last_name_latin="Ivanova", birth_year=1990)
    client = login(worker)
    page = client.post(reverse(MATCHES), {
        "organisation": str(cast.home.pk), "first_name_latin": "Mariya",
        "last_name_latin": "Ivanova", "birth_year": "1990",
    }).content.decode()
    assert earlier.code in page
    assert f'name="existing_person" value="{earlier.person_id}"' in page
    assert "ask them" not in page
    # Checking again (another field changed) keeps the worker's choice.
    again = client.post(reverse(MATCHES), {
        "last_name_latin": "Ivanova", "first_name": "Мария", "birth_year": "1990",
        "existing_person": str(earlier.person_id),
    }).content.decode()
    assert re.search(rf'value="{earlier.person_id}"[^>]*checked', again)
    response = client.post(reverse(CREATE), _intake_data(
        cast, existing_person=str(earlier.person_id), first_name="Мария", last_name="Иванова",
    ))
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert Case.objects.filter(person_id=earlier.person_id).count() == 2


def test_an_out_of_scope_person_cannot_be_chosen(cast, login):
    away_case = _away_person_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        reverse(CREATE), _intake_data(cast, existing_person=str(away_case.person_id))
    )
    assert response.status_code == 200
    assert "not available to you" in response.content.decode()
    assert Case.objects.count() == 1


def test_no_identifiers_no_check(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).post(reverse(MATCHES), {"gender": "Feminine"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert not AuditEntry.objects.filter(action=Action.MATCH_CHECK).exists()


def test_no_match_says_so(cast, login):
    page = login(cast.user(Role.CASE_WORKER)).post(reverse(MATCHES), {
        "first_name": "Уникальная", "last_name": "Неповторимова",
    }).content.decode()
    assert "No match found in the coalition." in page


# --- opening pre-filled -------------------------------------------------------------------


@pytest.fixture
def hotline_source():
    calls = []

    def provider(user, ref):
        if ref != "42":
            return None
        return {
            "referral_source": ReferralSource.HOTLINE, "kind": CaseKind.MISSING_PERSON,
            "first_name": "Дарья", "last_name": "Звонкова", "phones": ["+79031112233"],
            "missing_reporter_name": "Анна Звонкова",
            "identity_documents": [{"kind": "Passport", "number": "70 1112223"}],
        }

    def on_open(user, ref, case):
        calls.append((user, ref, case))

    intake.register_prefill("test-hotline", provider, on_open=on_open)
    yield calls
    intake.unregister_prefill("test-hotline")


def test_wizard_opens_prefilled_from_a_registered_source(cast, login, hotline_source):
    page = login(cast.user(Role.CASE_WORKER)).get(
        reverse(CREATE), {"source": "test-hotline", "ref": "42"}
    ).content.decode()
    assert 'value="Дарья"' in page
    assert 'value="Звонкова"' in page
    assert "+79031112233" in page
    assert 'value="Анна Звонкова"' in page
    assert 'value="70 1112223"' in page
    assert re.search(r'value="MissingPerson"[^>]*checked', page)
    assert 'name="source" value="test-hotline"' in page


@pytest.mark.parametrize(("source", "ref"), [("test-hotline", "7"), ("unknown", "42"),
                                             ("test-hotline", "")])
def test_unknown_source_or_record_opens_an_empty_wizard(cast, login, hotline_source, source,
                                                        ref):
    response = login(cast.user(Role.CASE_WORKER)).get(
        reverse(CREATE), {"source": source, "ref": ref}
    )
    assert response.status_code == 200
    assert "Дарья" not in response.content.decode()


def test_the_source_is_told_which_case_came_of_its_record(cast, login, hotline_source):
    worker = cast.user(Role.CASE_WORKER)
    response = login(worker).post(
        reverse(CREATE), _intake_data(cast, source="test-hotline", ref="42")
    )
    assert response.status_code == 302
    assert hotline_source == [(worker, "42", Case.objects.get())]


def test_prefill_helper_returns_an_empty_dict_for_unknown_sources(cast, hotline_source):
    user = cast.user(Role.CASE_WORKER)
    assert intake.prefill(user, "nope", "42") == {}
    assert intake.prefill(user, "test-hotline", "42")["first_name"] == "Дарья"
