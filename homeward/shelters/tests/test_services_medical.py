"""Medical screening: recorded by medical staff only, blocked until consent
to medical care is in force (for minors, a guardian's), ICD-10 codes
checked, diagnoses encrypted at rest, and audited without a code or a text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentDecision, ConsentGivenBy, ConsentPurpose
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case, refresh
from homeward.directory.models import Visibility
from homeward.directory.tests.factories import make_entry
from homeward.shelters.choices import DiagnosisGroup
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import Diagnosis, MedicalScreening, Shelter, ShelterStay
from homeward.shelters.selectors_care import may_see_medical, screenings_of_case
from homeward.shelters.services.medical import (
    DiagnosisIn,
    normalise_icd10,
    screening_record,
    screening_view_record,
    validate_icd10,
)
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def kzn(cast: Any) -> ShelterOrganisation:
    return shelter_organisation()


@pytest.fixture
def kzn_shelter(kzn: ShelterOrganisation) -> Shelter:
    return make_shelter(kzn.organisation)


def _resident(cast: Any, shelter: Shelter, *, minor: bool = False,
              consent: bool = True) -> tuple[Case, ShelterStay]:
    """A HOME case staying in ``shelter``, with the person's own consent to
    medical care unless told otherwise."""
    worker = cast.user(Role.CASE_WORKER)
    case = open_minor_case(cast) if minor else open_case(cast)
    if consent and not minor:
        give_consent(case, worker, ConsentPurpose.MEDICAL)
    stay = ShelterStay.objects.create(case=case, shelter=shelter, admitted_on=_days_ago(10))
    return case, stay


def _screen(actor: Any, case: Case, **values: Any) -> MedicalScreening:
    fields: dict[str, Any] = {
        "examined_on": _days_ago(2),
        "clinic_other": "City polyclinic No. 1 (demo)",
        "examinations": "Blood tests, gynaecological examination (demo)",
        "diagnoses": [DiagnosisIn(group=DiagnosisGroup.SYPHILIS, icd10="A51.0",
                                  detail="Primary syphilis (demo)")],
        **values,
    }
    return screening_record(actor=actor, case=case, **fields)


# --- who records ----------------------------------------------------------------


def test_medical_staff_of_the_person_s_shelter_record_a_screening(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, stay = _resident(cast, kzn_shelter)
    medic = kzn.user(Role.MEDICAL)

    screening = _screen(medic, case, stay=stay, treatment="Benzathine penicillin (demo)",
                        diagnoses=[
                            DiagnosisIn(group=DiagnosisGroup.SYPHILIS, icd10="a51.0"),
                            DiagnosisIn(group=DiagnosisGroup.HEPATITIS_C, icd10=" B18,2 ",
                                        detail="Chronic hepatitis C (demo)"),
                        ])

    assert (screening.organisation, screening.recorded_by, screening.stay) == (
        kzn.organisation, medic, stay)
    stored = list(screening.diagnoses.values_list("group", "icd10", "detail"))
    assert stored == [
        (DiagnosisGroup.SYPHILIS, "A51.0", ""),
        (DiagnosisGroup.HEPATITIS_C, "B18.2", "Chronic hepatitis C (demo)"),
    ]
    assert may_see_medical(medic, case)


def test_medical_staff_on_the_case_team_record_on_behalf_of_the_case_organisation(
    cast: Any,
) -> None:
    worker, medic = cast.user(Role.CASE_WORKER), cast.user(Role.MEDICAL)
    case = open_case(cast)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    with pytest.raises(PermissionDenied):  # not on the team yet, no shelter of HOME
        _screen(medic, case)
    case_services.case_assign(actor=worker, case=case, user=medic, role="Medical")

    assert _screen(medic, case).organisation == cast.home


@pytest.mark.parametrize(
    ("org", "role"),
    [
        ("home", Role.CASE_WORKER),
        ("home", Role.COORDINATOR),
        ("home", Role.SHELTER_STAFF),
        ("home", Role.MEDICAL),  # not on the team, and HOME runs no shelter of the person
        ("home", Role.ORG_ADMIN),
        ("kzn", Role.SHELTER_STAFF),
        ("kzn", Role.COORDINATOR),
        ("kzn", Role.ORG_ADMIN),
        ("away", Role.MEDICAL),
    ],
)
def test_refuses_everyone_but_the_person_s_medical_staff(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, org: str, role: str
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    actor = kzn.user(role) if org == "kzn" else cast.user(role, org)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        _screen(actor, case)
    assert not may_see_medical(actor, case)
    assert not MedicalScreening.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_refuses_the_site_administrator(cast: Any, kzn_shelter: Shelter) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    with pytest.raises(PermissionDenied):
        _screen(cast.site_admin, case)


def test_medical_staff_of_a_shelter_the_person_left_still_record(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    """A screening done during the stay may be written up after discharge."""
    case, stay = _resident(cast, kzn_shelter)
    ShelterStay.objects.filter(pk=stay.pk).update(discharged_on=_days_ago(1))

    assert _screen(kzn.user(Role.MEDICAL), case, stay=stay).organisation == kzn.organisation


# --- consent ----------------------------------------------------------------------


def test_refuses_a_screening_of_a_minor_without_a_guardian_s_consent(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter, minor=True)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ConsentRequired) as refused:
        _screen(kzn.user(Role.MEDICAL), case)

    message = refused.value.messages[0]
    assert "minor" in message
    assert "Consents tab" in message
    assert "Home NGO" in message
    assert not MedicalScreening.objects.exists()
    assert not Diagnosis.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_minor_s_own_consent_does_not_unlock_the_screening(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    """Consent taken while the age was unknown stays the child's own."""
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker, birth_year=None)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.PERSON)
    case_services.person_update(actor=worker, person=case.person, expected_version=1,
                                birth_date=_days_ago(16 * 365))
    case = refresh(case)
    ShelterStay.objects.create(case=case, shelter=kzn_shelter, admitted_on=_days_ago(3))

    with pytest.raises(ConsentRequired, match="minor"):
        _screen(kzn.user(Role.MEDICAL), case)


@pytest.mark.parametrize("given_by", [ConsentGivenBy.PARENT, ConsentGivenBy.GUARDIAN,
                                      ConsentGivenBy.SOCIAL_SUPPORT])
def test_a_guardian_s_consent_unlocks_the_screening_of_a_minor(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, given_by: str
) -> None:
    case, _stay = _resident(cast, kzn_shelter, minor=True)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.MEDICAL,
                 given_by=given_by, given_by_name="Legal representative (demo)")

    assert _screen(kzn.user(Role.MEDICAL), case).pk is not None


def test_a_withdrawn_guardian_s_consent_locks_again(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter, minor=True)
    worker = cast.user(Role.CASE_WORKER)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.GUARDIAN,
                 given_by_name="Guardian (demo)", decided_on=_days_ago(5))
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.GUARDIAN,
                 given_by_name="Guardian (demo)", decision=ConsentDecision.WITHDRAWN,
                 decided_on=_days_ago(1))

    with pytest.raises(ConsentRequired):
        _screen(kzn.user(Role.MEDICAL), case)


def test_refuses_an_adult_s_screening_without_their_consent_and_says_where_to_record_it(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter, consent=False)

    with pytest.raises(ConsentRequired) as refused:
        _screen(kzn.user(Role.MEDICAL), case)

    message = refused.value.messages[0]
    assert "consent to medical care" in message
    assert "Home NGO" in message
    assert "Consents tab" in message
    assert not MedicalScreening.objects.exists()


def test_an_adult_who_refused_medical_care_is_not_screened(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter, consent=False)
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.MEDICAL,
                 decision=ConsentDecision.REFUSED)
    with pytest.raises(ConsentRequired):
        _screen(kzn.user(Role.MEDICAL), case)


# --- ICD-10 and the content of a screening -----------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("N70", "N70"), ("A51.0", "A51.0"), ("b18.2", "B18.2"), (" B18,2 ", "B18.2"),
        ("А51.0", "A51.0"),  # a Cyrillic А, as typed on a Russian keyboard
        ("Т74.2", "T74.2"), ("G01*", "G01*"), ("S52.521A", "S52.521A"), ("", ""),
    ],
)
def test_accepts_icd10_codes_and_normalises_them(typed: str, stored: str) -> None:
    assert validate_icd10(typed) == stored


@pytest.mark.parametrize("typed", ["N7", "70", "A51.", "AA1.0", "A51.00000", "syphilis",
                                   "A51 0", "A51-0"])
def test_refuses_what_is_not_an_icd10_code(typed: str) -> None:
    with pytest.raises(ValidationError, match="ICD-10"):
        validate_icd10(typed)


def test_normalising_leaves_unknown_characters_for_the_check_to_refuse() -> None:
    assert normalise_icd10("ж51.0") == "Ж51.0"
    with pytest.raises(ValidationError):
        validate_icd10("ж51.0")


@pytest.mark.parametrize(
    "diagnosis",
    [
        DiagnosisIn(group=DiagnosisGroup.SYPHILIS, icd10="A5"),
        DiagnosisIn(group="Gout"),
        DiagnosisIn(group=DiagnosisGroup.OTHER),
    ],
)
def test_refuses_a_bad_diagnosis_and_keeps_nothing(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, diagnosis: DiagnosisIn
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    good = DiagnosisIn(group=DiagnosisGroup.HIV)

    with pytest.raises(ValidationError) as refused:
        _screen(kzn.user(Role.MEDICAL), case, diagnoses=[good, diagnosis])

    assert "Diagnosis 2" in refused.value.message_dict["diagnoses"][0]
    assert not MedicalScreening.objects.exists()
    assert not Diagnosis.objects.exists()


def test_a_diagnosis_in_the_group_other_needs_a_code_or_words(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    screening = _screen(kzn.user(Role.MEDICAL), case, diagnoses=[
        DiagnosisIn(group=DiagnosisGroup.OTHER, icd10="Z71.1"),
        DiagnosisIn(group=DiagnosisGroup.OTHER, detail="Malnutrition (demo)"),
    ])
    assert screening.diagnoses.count() == 2


def test_refuses_an_empty_screening(cast: Any, kzn: ShelterOrganisation,
                                    kzn_shelter: Shelter) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    with pytest.raises(ValidationError, match="Record what was examined"):
        _screen(kzn.user(Role.MEDICAL), case, diagnoses=[], examinations="  ")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"examined_on": timezone.localdate() + datetime.timedelta(days=1)}, "examined_on"),
        ({"examined_on": timezone.localdate() - datetime.timedelta(days=11),
          "with_stay": True}, "examined_on"),
    ],
)
def test_refuses_a_bad_date(cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter,
                            values: dict[str, Any], field: str) -> None:
    case, stay = _resident(cast, kzn_shelter)  # admitted 10 days ago
    if values.pop("with_stay", False):
        values["stay"] = stay
    with pytest.raises(ValidationError) as refused:
        _screen(kzn.user(Role.MEDICAL), case, **values)
    assert field in refused.value.message_dict


def test_refuses_a_stay_of_another_case(cast: Any, kzn: ShelterOrganisation,
                                        kzn_shelter: Shelter) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    _other_case, other_stay = _resident(cast, kzn_shelter)
    with pytest.raises(ValidationError) as refused:
        _screen(kzn.user(Role.MEDICAL), case, stay=other_stay)
    assert "stay" in refused.value.message_dict


def test_refuses_a_clinic_the_medic_cannot_see(cast: Any, kzn: ShelterOrganisation,
                                               kzn_shelter: Shelter) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    hidden = make_entry(cast.away, visibility=Visibility.RESTRICTED,
                        restricted_roles=[Role.RESEARCHER])
    clinic = make_entry(cast.away, country="RU", city="Kazan")

    with pytest.raises(ValidationError) as refused:
        _screen(kzn.user(Role.MEDICAL), case, clinic=hidden)
    assert "clinic" in refused.value.message_dict
    assert _screen(kzn.user(Role.MEDICAL), case, clinic=clinic).clinic == clinic


def test_refuses_a_screening_in_a_closed_case(cast: Any, kzn: ShelterOrganisation,
                                              kzn_shelter: Shelter) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    case_services.case_close(actor=cast.user(Role.CASE_WORKER), case=case,
                             closed_on=timezone.localdate(), reason="Completed (demo)")
    with pytest.raises(TransitionRefused):
        _screen(kzn.user(Role.MEDICAL), refresh(case))


# --- audit and storage ------------------------------------------------------------


def test_audits_field_names_and_the_number_of_diagnoses_never_codes_or_text(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, stay = _resident(cast, kzn_shelter)
    screening = _screen(kzn.user(Role.MEDICAL), case, stay=stay,
                        treatment="Benzathine penicillin (demo)", diagnoses=[
                            DiagnosisIn(group=DiagnosisGroup.SYPHILIS, icd10="A51.0",
                                        detail="Primary syphilis (demo)"),
                            DiagnosisIn(group=DiagnosisGroup.HEPATITIS_B, icd10="B18.1"),
                        ])

    entry = AuditEntry.objects.get(action=Action.CREATE,
                                   target_type="shelters.MedicalScreening")
    assert entry.target_id == str(screening.pk)
    assert entry.organisation_id == cast.home.pk  # in the case's organisation's log
    assert entry.fields == ["clinic_other", "diagnoses", "examinations", "examined_on",
                            "stay", "treatment"]
    assert entry.detail == {"case": case.code, "diagnoses": 2}
    written = str(list(AuditEntry.objects.values()))
    for secret in ("A51", "B18", "syphilis", "Syphilis", "penicillin", "Hepatitis"):
        assert secret not in written


def test_diagnoses_and_clinical_text_are_encrypted_at_rest(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    _screen(kzn.user(Role.MEDICAL), case, treatment="Benzathine penicillin (demo)")

    with connection.cursor() as cursor:
        cursor.execute("SELECT icd10, detail FROM shelters_diagnosis")
        diagnosis_row = cursor.fetchone()
        cursor.execute("SELECT examinations, treatment FROM shelters_medicalscreening")
        screening_row = cursor.fetchone()
    raw = " ".join(str(value) for value in (*diagnosis_row, *screening_row))
    for secret in ("A51.0", "syphilis", "Blood tests", "penicillin"):
        assert secret not in raw


def test_reading_the_screenings_is_audited_for_medical_staff_only(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    _screen(kzn.user(Role.MEDICAL), case)

    screening_view_record(actor=kzn.user(Role.MEDICAL), case=case)
    entry = AuditEntry.objects.filter(action=Action.VIEW).latest("id")
    assert (entry.actor_name, entry.fields) == ("medical@kzn", ["medical_screenings"])
    with pytest.raises(PermissionDenied):
        screening_view_record(actor=kzn.user(Role.COORDINATOR), case=case)


def test_the_medic_reads_screenings_newest_first_with_their_diagnoses(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter
) -> None:
    case, _stay = _resident(cast, kzn_shelter)
    medic = kzn.user(Role.MEDICAL)
    older = _screen(medic, case, examined_on=_days_ago(5))
    newer = _screen(medic, case, examined_on=_days_ago(1), diagnoses=[
        DiagnosisIn(group=DiagnosisGroup.EYE), DiagnosisIn(group=DiagnosisGroup.SKIN)])

    screenings = list(screenings_of_case(user=medic, case=case))
    assert screenings == [newer, older]
    assert [d.group for d in screenings[0].diagnoses.all()] == [DiagnosisGroup.EYE,
                                                               DiagnosisGroup.SKIN]
    assert not screenings_of_case(user=kzn.user(Role.COORDINATOR), case=case).exists()
