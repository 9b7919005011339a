"""Identifying data is encrypted at rest: read straight from the tables, the
case family holds only ``hw1:`` tokens where a person could be recognised."""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from homeward.cases import services
from homeward.cases.choices import (
    CaseKind,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    GuardianKind,
    ReferralSource,
    RescueOutcome,
)
from homeward.cases.models import Case, CriminalProceeding, MissingReport
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.core.fields import encrypted_fields

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
# Every value is a word that appears nowhere else, so finding it anywhere in a
# table means a plaintext leaked.
SECRETS = {
    "first_name": "Zlatomirawna",
    "last_name": "Quixotovska",
    "middle_name": "Bezymyannovna",
    "first_name_latin": "Zlatomirawnx",
    "last_name_latin": "Quixotovskx",
    "other_names": "Maidenovskaya",
    "phone": "9167770123",
    "document": "XQ4455667",
    "email": "zlato.secret@example.invalid",
    "address": "Ulitsa Sekretnaya 13",
    "referral": "Referralsecretword details",
    "consent_notes": "Consentnotesecret",
    "consenter": "Guardiansecretname",
    "allegation": "Allegationsecretword",
    "proceeding_reference": "UD-77-SECRETREF",
    "protection": "Protectionsecretmeasure",
    "event": "Eventsecretdescription",
    "location": "Rescuesecretlocation",
    "itinerary": "Itinerarysecretflight",
    "met_by": "Metbysecretperson",
    "escort": "Escortsecretperson",
    "step_notes": "Stepsecretnotes",
    "reporter": "Reportersecretmother",
    "circumstances": "Circumstancesecret",
    "move_to": "Movesecretdestination",
    "medical": "Medicalsecretpurpose",
    "justification": "Justificationsecret life in danger, unconscious",
    "scan": "Scansecretcontent",
}
SCAN = b"%PDF-1.4\n" + SECRETS["scan"].encode() + b"\n%%EOF\n"


def _fill_every_record(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(
        cast, worker,
        first_name=SECRETS["first_name"], last_name=SECRETS["last_name"],
        middle_name=SECRETS["middle_name"], first_name_latin=SECRETS["first_name_latin"],
        last_name_latin=SECRETS["last_name_latin"], other_names=SECRETS["other_names"],
        birth_date=datetime.date(1997, 4, 21), phones=["+7" + SECRETS["phone"]],
        identity_documents=[{"kind": "Passport", "number": SECRETS["document"]}],
        email=SECRETS["email"], address=SECRETS["address"],
        referral_details=SECRETS["referral"],
    )
    give_consent(case, worker, notes=SECRETS["consent_notes"])
    give_consent(case, worker, ConsentPurpose.DATA_SHARING, organisation=cast.away,
                 form=ConsentForm.SIGNED,
                 scan=SimpleUploadedFile("consent.pdf", SCAN))
    services.case_advance(actor=worker, case=case, step="Rehabilitation",
                          happened_on=TODAY(), notes=SECRETS["step_notes"])
    services.event_create(actor=worker, case=case, type="Exploitation",
                          description=SECRETS["event"])
    services.rescue_record(actor=worker, case=case, country="TR", outcome=RescueOutcome.RESCUED,
                           contacted_at=timezone.now() - datetime.timedelta(days=1),
                           location=SECRETS["location"])
    services.repatriation_record(actor=worker, case=case, document_status="Issued",
                                 itinerary=SECRETS["itinerary"], met_by=SECRETS["met_by"],
                                 escort_name=SECRETS["escort"])
    services.proceeding_create(actor=worker, case=case, jurisdiction="TR", article="127.1",
                               stage="Report", person_role="Victim",
                               allegation=SECRETS["allegation"],
                               reference=SECRETS["proceeding_reference"],
                               protection_measures=SECRETS["protection"])
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Closed after return")

    minor = open_minor_case(cast, worker, kind=CaseKind.MISSING_PERSON,
                            referral_source=ReferralSource.HOTLINE,
                            missing_report={"reporter_name": SECRETS["reporter"],
                                            "reporter_relationship": "Parent",
                                            "circumstances": SECRETS["circumstances"]})
    services.guardian_record(actor=worker, case=minor, kind=GuardianKind.PARENT,
                             name=SECRETS["consenter"], recorded_on=TODAY())
    give_consent(minor, worker, ConsentPurpose.STATISTICS, given_by=ConsentGivenBy.PARENT,
                 given_by_name=SECRETS["consenter"])
    services.move_record(actor=worker, case=minor, kind="ToShelter", moved_on=TODAY(),
                         from_place="Station", to_place=SECRETS["move_to"],
                         escort_name=SECRETS["escort"])
    services.medical_exam_record(actor=worker, case=minor, kind="Screening",
                                 planned_on=TODAY(), purpose=SECRETS["medical"],
                                 emergency=True,
                                 emergency_justification=SECRETS["justification"])


def _forms_of(secret: str) -> list[str]:
    """The secret as it might leak: as is, lower-cased, in base64."""
    forms = [secret, secret.lower()]
    raw = secret.encode()
    forms += [base64.b64encode(raw).decode()[:12], base64.urlsafe_b64encode(raw).decode()[:12]]
    return forms


def _table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # table names come from the app registry
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def _tables() -> list[str]:
    return sorted(model._meta.db_table for model in apps.get_app_config("cases").get_models(
        include_auto_created=True))


def test_no_table_of_the_case_family_holds_a_plaintext(cast: Any) -> None:
    _fill_every_record(cast)
    tables = _tables()
    assert "cases_person" in tables
    assert "cases_consentscan" in tables
    assert "IomMission" in _table_text("cases_case")  # plain columns do read as text
    for table in [*tables, "audit_auditentry"]:
        text = _table_text(table)
        for name, secret in SECRETS.items():
            for form in _forms_of(secret):
                assert form not in text, f"{name} readable in {table}"


def test_every_encrypted_column_holds_tokens(cast: Any) -> None:
    _fill_every_record(cast)
    checked = 0
    for model in apps.get_app_config("cases").get_models():
        for field in encrypted_fields(model):
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT "{field.column}" FROM "{model._meta.db_table}" '
                    f'WHERE "{field.column}" IS NOT NULL AND "{field.column}" <> \'\''
                )
                values = [row[0] for row in cursor.fetchall()]
            assert all(value.startswith("hw1:") for value in values), field
            checked += len(values)
    assert checked > 40


def test_encrypted_values_read_back_as_written(cast: Any) -> None:
    _fill_every_record(cast)
    case = Case.objects.filter(kind=CaseKind.VICTIM).get()
    assert case.person.first_name == SECRETS["first_name"]
    assert case.person.phones == ["+7" + SECRETS["phone"]]
    assert case.person.identity_documents == [{"kind": "Passport", "number": SECRETS["document"]}]
    assert case.person.birth_date == datetime.date(1997, 4, 21)
    assert case.referral_details == SECRETS["referral"]
    assert CriminalProceeding.objects.get().allegation == SECRETS["allegation"]
    assert MissingReport.objects.get().reporter_name == SECRETS["reporter"]
