"""Consents: recorded per purpose, the newest in force, checked by the
services that need them; scans encrypted at rest (services/consents.py)."""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from homeward.accounts.tests.factories import OrganisationFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import selectors, services
from homeward.cases.choices import (
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    Step,
)
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import CaseStep, Consent, ConsentScan
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case, refresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PDF = b"%PDF-1.4\n% Signed consent of Secretissima Plaintextova\n%%EOF\n"


def _scan(content: bytes = PDF, name: str = "consent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- gates -------------------------------------------------------------------


@pytest.mark.parametrize("step", sorted(services.STEPS_NEEDING_ASSISTANCE_CONSENT - {
    Step.MONITORING, Step.REINTEGRATION}))
def test_refuses_assistance_steps_without_consent_and_says_why(cast: Any, step: str) -> None:
    case = open_case(cast)
    steps_before = CaseStep.objects.count()
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ConsentRequired) as excinfo:
        services.case_advance(actor=cast.user("case_worker"), case=case, step=step,
                              happened_on=TODAY())

    assert "consent to assistance" in excinfo.value.messages[0]
    after = refresh(case)
    assert (after.step, after.version) == (Step.IDENTIFICATION, case.version)
    assert CaseStep.objects.count() == steps_before
    assert AuditEntry.objects.count() == audit_before


def test_rescue_needs_no_consent(cast: Any) -> None:
    case = open_case(cast)
    services.case_advance(actor=cast.user("case_worker"), case=case, step=Step.RESCUE,
                          happened_on=TODAY())
    assert refresh(case).step == Step.RESCUE


def test_advances_to_repatriation_once_assistance_consent_is_given(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    services.case_advance(actor=worker, case=case, step=Step.REPATRIATION, happened_on=TODAY())
    assert refresh(case).step == Step.REPATRIATION


@pytest.mark.parametrize("later", [ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN])
def test_a_later_refusal_or_withdrawal_blocks_again(cast: Any, later: str) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker, decided_on=case.opened_on)
    give_consent(case, worker, decision=later, decided_on=case.opened_on
                 + datetime.timedelta(days=2))

    assert not selectors.consent_given(case=case, purpose=ConsentPurpose.ASSISTANCE)
    with pytest.raises(ConsentRequired):
        services.case_advance(actor=worker, case=case, step=Step.REPATRIATION,
                              happened_on=TODAY())
    assert refresh(case).step == Step.IDENTIFICATION


def test_the_newest_decision_is_in_force_even_on_the_same_day(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker, decision=ConsentDecision.REFUSED)
    given = give_consent(case, worker)
    assert selectors.consent_in_force(case=case, purpose=ConsentPurpose.ASSISTANCE) == given
    assert Consent.objects.filter(case=case).count() == 2  # append-only


def test_require_consent_names_the_purpose(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ConsentRequired, match="contacted by phone"):
        services.require_consent(case=case, purpose=ConsentPurpose.PHONE_CONTACT)


def test_data_sharing_consent_is_per_organisation(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    other = OrganisationFactory.create(code="THIRD")
    give_consent(case, worker, ConsentPurpose.DATA_SHARING, organisation=cast.away)

    services.require_consent(case=case, purpose=ConsentPurpose.DATA_SHARING,
                             organisation=cast.away)
    with pytest.raises(ConsentRequired, match="share data with this organisation"):
        services.require_consent(case=case, purpose=ConsentPurpose.DATA_SHARING,
                                 organisation=other)
    with pytest.raises(ConsentRequired):
        services.require_consent(case=case, purpose=ConsentPurpose.DATA_SHARING)

    panel = selectors.consent_panel(case=case)
    sharing = [consent for purpose, _label, consent in panel
               if purpose == ConsentPurpose.DATA_SHARING]
    assert [c.organisation for c in sharing if c is not None] == [cast.away]
    assert len(panel) == len(ConsentPurpose.values)


def test_the_organisation_is_dropped_from_consents_other_than_sharing(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    consent = give_consent(case, worker, organisation=cast.away)
    assert consent.organisation is None


# --- validation --------------------------------------------------------------


def _refused_field(cast: Any, case: Any, **values: Any) -> str:
    count = Consent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        give_consent(case, cast.user("case_worker"), **values)
    assert Consent.objects.count() == count
    (field,) = excinfo.value.message_dict
    return field


def test_refuses_data_sharing_without_an_organisation(cast: Any) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, purpose=ConsentPurpose.DATA_SHARING) == "organisation"


@pytest.mark.parametrize("given_by", [ConsentGivenBy.PARENT, ConsentGivenBy.GUARDIAN,
                                      ConsentGivenBy.SOCIAL_SUPPORT])
def test_refuses_consent_for_the_person_without_the_consenter_name(
    cast: Any, given_by: str
) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, given_by=given_by) == "given_by_name"


def test_refuses_a_minor_giving_their_own_medical_consent(cast: Any) -> None:
    case = open_minor_case(cast)
    assert _refused_field(cast, case, purpose=ConsentPurpose.MEDICAL,
                          given_by=ConsentGivenBy.PERSON) == "given_by"


def test_a_minor_may_refuse_and_consent_to_assistance_themselves(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker, purpose=ConsentPurpose.ASSISTANCE)
    give_consent(case, worker, purpose=ConsentPurpose.MEDICAL,
                 decision=ConsentDecision.REFUSED)
    assert Consent.objects.filter(case=case).count() == 2


def test_refuses_a_consent_dated_in_the_future(cast: Any) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, decided_on=TODAY() + datetime.timedelta(days=1)) == (
        "decided_on")


def test_refuses_an_unknown_purpose_or_decision(cast: Any) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, purpose="Everything") == "purpose"
    assert _refused_field(cast, case, decision="Maybe") == "decision"


def test_records_consent_with_audit_row_naming_purpose_not_values(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    consent = give_consent(case, worker, ConsentPurpose.MEDICAL, notes="Agreed after talk")
    audit = AuditEntry.objects.filter(action=Action.CONSENT_RECORDED).get()
    assert (audit.target_type, audit.target_id) == ("cases.Consent", str(consent.pk))
    assert audit.detail == {"case": case.code, "purpose": "Medical", "decision": "Given"}
    assert "Agreed" not in str(audit.detail) + str(audit.fields)


# --- scans -------------------------------------------------------------------


def test_stores_the_scan_encrypted_and_reads_it_back_audited(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)

    consent = give_consent(case, worker, form=ConsentForm.SIGNED, scan=_scan())

    assert consent.scan_content_type == "application/pdf"
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_consentscan")
        (stored,) = [row[0] for row in cursor.fetchall()]
    assert stored.startswith("hw1:")
    assert "Plaintextova" not in stored
    assert base64.b64encode(PDF).decode() not in stored
    assert base64.b64encode(PDF)[:24].decode() not in stored

    views_before = AuditEntry.objects.filter(action=Action.VIEW).count()
    content, content_type, filename = services.consent_scan_read(actor=worker, consent=consent)
    assert (content, content_type) == (PDF, "application/pdf")
    assert filename == f"{case.code}-consent-{consent.pk}.pdf"
    read = AuditEntry.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert AuditEntry.objects.filter(action=Action.VIEW).count() == views_before + 1
    assert read is not None
    assert (read.target_type, read.fields) == ("cases.Consent", ["scan"])


@pytest.mark.parametrize(("content", "content_type"), [
    (b"\xff\xd8\xff\xe0fake jpeg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\nfake png", "image/png"),
])
def test_accepts_jpeg_and_png_scans(cast: Any, content: bytes, content_type: str) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    consent = give_consent(case, worker, form=ConsentForm.SIGNED,
                           scan=_scan(content, "scan.bin"))
    assert consent.scan_content_type == content_type
    assert services.consent_scan_read(actor=worker, consent=consent)[0] == content


@pytest.mark.parametrize("content", [b"GIF89a not allowed", b"MZ\x90\x00 an executable",
                                     b"<html>%PDF-</html>"])
def test_refuses_a_scan_that_is_not_pdf_jpeg_or_png(cast: Any, content: bytes) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, form=ConsentForm.SIGNED,
                          scan=_scan(content, "consent.pdf")) == "scan"
    assert not ConsentScan.objects.exists()


def test_refuses_a_scan_larger_than_ten_megabytes(cast: Any) -> None:
    case = open_case(cast)
    big = _scan(PDF + b"0" * (10 * 1024 * 1024))
    assert _refused_field(cast, case, form=ConsentForm.SIGNED, scan=big) == "scan"


def test_refuses_a_scan_of_an_oral_consent(cast: Any) -> None:
    case = open_case(cast)
    assert _refused_field(cast, case, form=ConsentForm.ORAL, scan=_scan()) == "scan"


def test_reading_a_consent_without_scan_is_refused(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    consent = give_consent(case, worker)
    with pytest.raises(ValidationError):
        services.consent_scan_read(actor=worker, consent=consent)
