"""The consents tab: the history per purpose with what is in force, new
decisions (with an encrypted scan of the signed form), and the scan download."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import OrganisationFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import ConsentPurpose, TeamRole
from homeward.cases.models import Consent
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n1 0 obj << /Title (Consent of Svetlana Ivanova) >> endobj\n%%EOF\n"


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"code": case.code, **kwargs})


def _data(**values):
    data = {
        "purpose": "Assistance", "organisation": "", "decision": "Given",
        "decided_on": timezone.localdate().isoformat(), "given_by": "Person",
        "given_by_name": "", "form": "Signed", "notes": "",
    }
    data.update(values)
    return data


def _scan(content=SCAN, name="consent.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _files_under_var_dir():
    root = settings.VAR_DIR
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# Who may


def test_outsider_gets_404(cast, login):
    case = open_case(cast)
    consent = give_consent(case, cast.user(Role.CASE_WORKER))
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(_url("cases:case-consents", case)).status_code == 404
    assert client.post(_url("cases:consent-create", case), _data()).status_code == 404
    assert client.get(_url("cases:consent-scan", case, pk=consent.pk)).status_code == 404
    assert Consent.objects.count() == 1


def test_team_member_sees_the_history_but_may_not_record_or_download(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    consent = services.consent_record(
        actor=worker, case=case, purpose=ConsentPurpose.ASSISTANCE, decision="Given",
        decided_on=timezone.localdate(), form="Signed", scan=_scan(),
    )
    staff = cast.user(Role.SHELTER_STAFF)
    services.case_assign(actor=worker, case=case, user=staff, role=TeamRole.SHELTER)
    client = login(staff)
    tab = client.get(_url("cases:case-consents", case))
    assert tab.status_code == 200
    assert _url("cases:consent-scan", case, pk=consent.pk) not in tab.content.decode()
    assert client.post(_url("cases:consent-create", case), _data()).status_code == 403
    assert client.get(_url("cases:consent-scan", case, pk=consent.pk)).status_code == 403
    assert Consent.objects.count() == 1


def test_consent_pages_answer_405_to_other_methods(cast, login):
    case = open_case(cast)
    consent = give_consent(case, cast.user(Role.CASE_WORKER))
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("cases:case-consents", case)).status_code == 405
    assert client.put(_url("cases:consent-create", case)).status_code == 405
    assert client.post(_url("cases:consent-scan", case, pk=consent.pk)).status_code == 405


# The history


def test_history_is_newest_first_per_purpose_with_the_one_in_force(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    today = timezone.localdate()
    give_consent(case, worker, ConsentPurpose.PHONE_CONTACT,
                 decided_on=today - datetime.timedelta(days=20), notes="first call")
    give_consent(case, worker, ConsentPurpose.PHONE_CONTACT, decision="Withdrawn",
                 decided_on=today - datetime.timedelta(days=2), notes="asked us to stop")
    page = login(worker).get(_url("cases:case-consents", case)).content.decode()
    start = page.index('id="history-PhoneContact"')
    section = page[start:page.index("</section>", start)]
    assert section.index("asked us to stop") < section.index("first call")
    # One marker, on the withdrawal (the newest row), not on the older consent.
    assert section.count('class="tag in-force"') == 1
    assert section.index('class="tag in-force"') < section.index("asked us to stop")
    assert [
        e for e in AuditEntry.objects.filter(action=Action.VIEW, target_type="cases.Case",
                                             target_id=str(case.pk))
        if e.detail.get("tab") == "consents"
    ]


# Recording


def test_purpose_is_preselected_from_the_address(cast, login):
    case = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:consent-create", case) + "?purpose=Medical"
    ).content.decode()
    assert '<option value="Medical" selected>' in page
    assert 'enctype="multipart/form-data"' in page


def test_data_sharing_names_a_coalition_organisation(cast, login):
    case = open_case(cast)
    OrganisationFactory(code="PARTNER", name_en="Outside partner", is_coalition_member=False)
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_url("cases:consent-create", case)).content.decode()
    assert "Away NGO" in page
    assert "Outside partner" not in page
    refused = client.post(_url("cases:consent-create", case),
                          _data(purpose="DataSharing", form="Oral"))
    assert refused.status_code == 200
    assert not Consent.objects.exists()
    response = client.post(_url("cases:consent-create", case),
                           _data(purpose="DataSharing", form="Oral",
                                 organisation=str(cast.away.pk)))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.organisation == cast.away


def test_minor_cannot_consent_to_medical_care_alone(cast, login):
    case = open_minor_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:consent-create", case), _data(purpose="Medical", form="Oral")
    )
    assert response.status_code == 200
    assert "consent to medical care must come from a parent" in response.content.decode()
    assert not Consent.objects.exists()


def test_guardian_medical_consent_leads_back_to_the_medical_tab(cast, login):
    case = open_minor_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:consent-create", case),
        _data(purpose="Medical", form="Oral", given_by="Guardian",
              given_by_name="Мария Петрова"),
    )
    assert response.status_code == 302
    assert response["Location"] == _url("cases:case-medical", case)
    assert services.medical_unlocked(case)


def test_scan_upload_then_download_gives_back_the_same_bytes_never_stored_plain(
    cast, login
):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("cases:consent-create", case), _data(scan=_scan()))
    assert response.status_code == 302
    consent = Consent.objects.get()
    download = client.get(_url("cases:consent-scan", case, pk=consent.pk))
    assert download.status_code == 200
    assert download.content == SCAN
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    assert download["X-Content-Type-Options"] == "nosniff"
    read = AuditEntry.objects.filter(action=Action.VIEW, target_type="cases.Consent",
                                     target_id=str(consent.pk))
    assert read.count() == 1
    # Neither a file under VAR_DIR nor a database row holds the plaintext.
    for path in _files_under_var_dir():
        assert b"Svetlana Ivanova" not in path.read_bytes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_consentscan")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert stored
    assert "Svetlana" not in stored
    assert "JVBERi0" not in stored  # the base64 of "%PDF-"


def test_a_scan_that_is_not_pdf_jpeg_or_png_is_refused(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:consent-create", case),
        _data(scan=_scan(b"<html>not a scan</html>", "consent.html", "text/html")),
    )
    assert response.status_code == 200
    assert "PDF, JPEG or PNG" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_consent_without_scan_has_no_download(cast, login):
    case = open_case(cast)
    consent = give_consent(case, cast.user(Role.CASE_WORKER))
    response = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:consent-scan", case, pk=consent.pk)
    )
    assert response.status_code == 404
