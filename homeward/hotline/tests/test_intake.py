"""The intake wizard pre-filled from a contact: each field of the contact
lands where the case keeps it, and only for users who may read the contact."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases import intake as cases_intake
from homeward.cases.choices import CaseKind, MethodOfControl, ReferralSource
from homeward.hotline.choices import CallerType, ProfessionalKind
from homeward.hotline.intake import contact_prefill, means_of_control
from homeward.hotline.tests.escalation_helpers import rescue_contact

pytestmark = pytest.mark.django_db


def _prefill(cast, contact, role=Role.HOTLINE_OPERATOR):
    return contact_prefill(cast.user(role), str(contact.pk))


def test_the_hotline_source_is_registered_with_the_wizard():
    assert cases_intake.is_known("hotline")


def test_a_possible_victim_calling_becomes_the_person_of_an_urgent_victim_case(cast):
    contact = rescue_contact(cast, caller_email="anna@example.org")
    initial = _prefill(cast, contact)
    assert initial is not None
    assert initial["is_urgent"] is True
    assert initial["kind"] == CaseKind.VICTIM
    assert initial["referral_source"] == ReferralSource.HOTLINE
    assert initial["incoming_referral_date"] == timezone.localdate(contact.started_at)
    assert (initial["first_name"], initial["last_name"]) == ("Anna", "Ivanova")
    assert initial["phones"] == ["+905321112233"]
    assert initial["email"] == "anna@example.org"
    assert (initial["current_country"], initial["current_city"]) == ("TR", "Istanbul")
    assert (initial["destination_country"], initial["destination_city"]) == ("TR", "Istanbul")
    assert initial["trafficking_status"] == "PossibleVictimOfTrafficking"
    assert "missing_reporter_name" not in initial
    # The caller is the person: the referral says how they came, not who they are.
    assert "Anna" not in initial["referral_details"]


def test_indicators_become_means_of_control_restricted_movement_as_other(cast):
    contact = rescue_contact(cast, indicators=["WithholdsDocuments", "RestrictedMovement",
                                               "DebtBondage", "Other"])
    assert sorted(_prefill(cast, contact)["methods_of_control"]) == sorted([
        MethodOfControl.WITHHOLDS_DOCUMENTS, MethodOfControl.OTHER,
        MethodOfControl.DEBT_BONDAGE,
    ])
    assert means_of_control(["RestrictedMovement", "Other"]) == ["Other"]
    assert means_of_control([]) == []


def test_a_relative_reporting_a_missing_person_becomes_the_reporter(cast):
    contact = rescue_contact(
        cast, caller_type=CallerType.RELATIVE_OR_FRIEND, topics=["MissingPerson"],
        caller_name="Olga Petrova", caller_phone="+7 912 345-67-89", caller_country="RU",
        caller_city="Astrakhan", concern_country="TR", concern_city="Antalya",
    )
    initial = _prefill(cast, contact)
    assert initial["kind"] == CaseKind.MISSING_PERSON
    assert "first_name" not in initial
    assert "phones" not in initial
    assert initial["missing_reporter_name"] == "Olga Petrova"
    assert initial["missing_reporter_relationship"] == "Relative or friend"
    assert initial["missing_reporter_contact"] == "+79123456789"
    assert initial["missing_reported_on"] == timezone.localdate(contact.started_at)
    assert (initial["missing_last_seen_country"], initial["missing_last_seen_city"]) == (
        "TR", "Antalya")
    assert (initial["current_country"], initial["current_city"]) == ("TR", "Antalya")


def test_a_mother_calling_about_her_daughter_names_the_person_of_the_case(cast):
    contact = rescue_contact(
        cast, caller_type=CallerType.RELATIVE_OR_FRIEND, caller_name="Olga Petrova",
        concern_name="Daria Petrova", caller_country="RU", caller_city="Astrakhan",
    )
    initial = _prefill(cast, contact)
    assert initial["kind"] == CaseKind.VICTIM
    assert (initial["first_name"], initial["last_name"]) == ("Daria", "Petrova")
    assert "phones" not in initial  # the mother's number is not the daughter's
    assert "Olga Petrova" in initial["referral_details"]


def test_a_missing_person_calling_themselves_is_a_victim_case(cast):
    contact = rescue_contact(cast, topics=["MissingPerson", "RescueRequest"])
    assert _prefill(cast, contact)["kind"] == CaseKind.VICTIM


def test_a_professional_reporting_goes_to_the_referral_details(cast):
    contact = rescue_contact(
        cast, caller_type=CallerType.PROFESSIONAL, professional_kind=ProfessionalKind.EMBASSY,
        caller_name="Consul Smirnov", assessment="",
    )
    initial = _prefill(cast, contact)
    assert initial["kind"] == CaseKind.VICTIM
    assert "first_name" not in initial
    assert "Consul Smirnov" in initial["referral_details"]
    assert "Embassy or consulate" in initial["referral_details"]
    assert "trafficking_status" not in initial


def test_without_a_concern_place_the_callers_place_is_used(cast):
    contact = rescue_contact(cast, concern_country="", concern_city="", caller_country="DE",
                             caller_city="Berlin")
    initial = _prefill(cast, contact)
    assert (initial["current_country"], initial["current_city"]) == ("DE", "Berlin")


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.RESEARCHER, Role.ORG_ADMIN])
def test_users_who_may_not_read_the_contact_get_nothing(cast, role):
    contact = rescue_contact(cast)
    assert _prefill(cast, contact, role) is None


def test_outsiders_and_bad_references_get_nothing(cast):
    contact = rescue_contact(cast)
    assert contact_prefill(cast.user(Role.HOTLINE_OPERATOR, "away"), str(contact.pk)) is None
    assert contact_prefill(cast.user(Role.HOTLINE_OPERATOR), "not-a-number") is None
    assert contact_prefill(cast.user(Role.HOTLINE_OPERATOR), "999999") is None
