"""HTCDS export: de-identified by default, who is written, identifying rows, audit."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import ValidationError

from homeward.audit.models import AuditEntry
from homeward.cases.choices import CaseKind, ConsentDecision, ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.stats.htcds import profile
from homeward.stats.htcds.export import EXTERNAL_ID_PREFIX, external_id, htcds_export_file
from homeward.stats.htcds.importer import htcds_import
from homeward.stats.tests.htcds_files import csv_file, read_csv, row

IDENTIFYING = {"prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Birthdate",
               "prs_Email", "prs_MobilePhone", "prs_IdentityNumber"}


def _rows(result: Any) -> list[dict[str, str]]:
    return read_csv(result.content)


@pytest.mark.django_db
def test_deidentified_export_has_no_names_contacts_documents_or_exact_dates(cast: Any) -> None:
    coordinator = cast.user("coordinator", "home")
    case = open_case(
        cast, birth_date=datetime.date(1991, 7, 14), phones=["+7 912 345-67-89"],
        email="olga@example.org", identity_documents=[{"kind": "Passport", "number": "75123"}],
        destination_country="TR", destination_city="Istanbul",
        incoming_referral_date=datetime.date(2026, 1, 5),
    )
    result = htcds_export_file(actor=coordinator, fmt="csv")
    text = result.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert not IDENTIFYING & set(header)
    assert header == list(profile.DEIDENTIFIED_COLUMNS)
    for secret in ("Тест", "Test", case.person.last_name, "olga@", "75123", "912",
                   "1991-07-14", case.opened_on.isoformat(), "2026-01-05", case.code):
        assert secret not in text
    [written] = _rows(result)
    assert written["x_BirthYear"] == "1991"
    assert written["x_AgeBand"] == f"{_band(case.opened_on.year - 1991)}"
    assert written["x_RegistrationDate"] == str(case.opened_on.year)
    assert written["cas_IncomingReferralDate"] == "2026"
    assert written["vic_LocationOfExploitation"] == "TR / Istanbul"
    assert written["x_ExternalId"] == external_id(case)
    assert written["x_ExternalId"].startswith(EXTERNAL_ID_PREFIX)


def _band(age: int) -> str:
    from homeward.stats.cohort import age_band_of

    return age_band_of(age)


@pytest.mark.django_db
def test_writes_only_victim_cases_the_statistics_consent_allows(cast: Any) -> None:
    coordinator = cast.user("coordinator", "home")
    kept = open_case(cast)
    refused = open_case(cast)
    give_consent(refused, coordinator, ConsentPurpose.STATISTICS,
                 decision=ConsentDecision.REFUSED)
    withdrawn = open_case(cast)
    give_consent(withdrawn, coordinator, ConsentPurpose.STATISTICS)
    give_consent(withdrawn, coordinator, ConsentPurpose.STATISTICS,
                 decision=ConsentDecision.WITHDRAWN,
                 decided_on=withdrawn.opened_on + datetime.timedelta(days=1))
    given = open_case(cast)
    give_consent(given, coordinator, ConsentPurpose.STATISTICS)
    open_case(cast, kind=CaseKind.MISSING_PERSON,
              missing_report={"reporter_name": "Мать", "reporter_relationship": "Parent"})
    ids = {r["x_ExternalId"] for r in _rows(htcds_export_file(actor=coordinator, fmt="csv"))}
    assert ids == {external_id(kept), external_id(given)}


@pytest.mark.django_db
def test_exports_only_cases_of_organisations_where_the_user_publishes(cast: Any) -> None:
    open_case(cast)
    open_case(cast.away)
    home = _rows(htcds_export_file(actor=cast.user("coordinator", "home"), fmt="csv"))
    assert len(home) == 1
    assert _rows(htcds_export_file(actor=cast.user("case_worker", "home"), fmt="csv")) == []
    assert len(_rows(htcds_export_file(actor=None, fmt="csv"))) == 2


@pytest.mark.django_db
def test_identifying_export_needs_a_recipient_and_fills_only_consented_rows(cast: Any) -> None:
    coordinator = cast.user("coordinator", "home")
    with pytest.raises(ValidationError):
        htcds_export_file(actor=coordinator, fmt="csv", identifying=True)
    shared = open_case(cast, email="anna@example.org")
    give_consent(shared, coordinator, ConsentPurpose.DATA_SHARING, organisation=cast.away)
    # Refused statistics, but consented to the transfer: written, identifying.
    give_consent(shared, coordinator, ConsentPurpose.STATISTICS,
                 decision=ConsentDecision.REFUSED)
    not_shared = open_case(cast, email="vera@example.org")
    result = htcds_export_file(actor=coordinator, fmt="csv", identifying=True,
                               recipient=cast.away)
    assert result.identifying_rows == 1
    rows = {r["x_ExternalId"]: r for r in _rows(result)}
    assert rows[external_id(shared)]["prs_Email"] == "anna@example.org"
    assert rows[external_id(shared)]["prs_SecondName"] == shared.person.last_name
    assert rows[external_id(shared)]["x_RegistrationDate"] == shared.opened_on.isoformat()
    assert rows[external_id(not_shared)]["prs_Email"] == ""
    assert rows[external_id(not_shared)]["x_RegistrationDate"] == str(
        not_shared.opened_on.year)
    assert "vera@" not in result.content.decode()


@pytest.mark.django_db
def test_every_export_is_audited_with_its_parameters(cast: Any) -> None:
    coordinator = cast.user("coordinator", "home")
    open_case(cast)
    htcds_export_file(actor=coordinator, fmt="xlsx", identifying=True, recipient=cast.home)
    entry = AuditEntry.objects.filter(action="record.export", target_type="stats.htcds").get()
    assert entry.actor_id == coordinator.pk
    assert entry.detail["format"] == "xlsx"
    assert entry.detail["rows"] == 1
    assert entry.detail["identifying"] is True
    assert entry.detail["identifying_rows"] == 1
    assert entry.detail["recipient"] == "HOME"


@pytest.mark.django_db
def test_xlsx_export_is_text_cells_with_the_profile_header(cast: Any) -> None:
    open_case(cast, citizenships=["RU", "UA"])
    result = htcds_export_file(actor=None, fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(result.content)).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == list(profile.DEIDENTIFIED_COLUMNS)
    assert dict(zip(lines[0], lines[1], strict=True))["prs_Citizenship"] == "RU;UA"


@pytest.mark.django_db
def test_an_imported_case_keeps_the_senders_external_id(cast: Any) -> None:
    htcds_import(organisation=cast.home, actor=None, data=csv_file([row("SENDER-42")]))
    [written] = _rows(htcds_export_file(actor=None, fmt="csv"))
    assert written["x_ExternalId"] == "SENDER-42"


@pytest.mark.django_db
def test_free_text_that_looks_like_a_formula_is_escaped(cast: Any) -> None:
    open_case(cast, origin_city="=HYPERLINK(1)")
    [written] = _rows(htcds_export_file(actor=None, fmt="csv"))
    assert written["x_OriginCity"] == "'=HYPERLINK(1)"


@pytest.mark.django_db
def test_a_deidentified_export_never_decrypts_a_field(cast: Any, monkeypatch: Any) -> None:
    from homeward.core import fields

    open_case(cast, email="x@example.org", referral_details="long story")

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("an encrypted field was read")

    monkeypatch.setattr(fields, "decrypt", refuse)
    assert len(_rows(htcds_export_file(actor=None, fmt="csv"))) == 1
