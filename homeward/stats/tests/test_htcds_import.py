"""HTCDS import: checking, all-or-nothing writing, idempotence, round trip."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from homeward.audit.models import AuditEntry
from homeward.cases.choices import CaseStatus, ReferralSource, Step, TraffickingStatus
from homeward.cases.models import Case, CaseStep, Person, TraffickingEvent
from homeward.cases.tests.factories import open_case
from homeward.stats.htcds import profile
from homeward.stats.htcds.export import htcds_export_file
from homeward.stats.htcds.importer import (
    CREATE,
    UNCHANGED,
    UPDATE,
    HtcdsFileError,
    htcds_check,
    htcds_import,
)
from homeward.stats.models import ImportedCase
from homeward.stats.tests.htcds_files import csv_file, read_csv, row


def _import(cast: Any, data: bytes, org: Any = None) -> dict[str, int]:
    return htcds_import(organisation=org or cast.home, actor=None, data=data,
                        filename="cases.csv")


def test_profile_picklists_are_the_standards_values() -> None:
    fields = profile.standard_fields()
    assert len(fields) == 83
    for column in profile.COLUMNS:
        if column.is_standard:
            assert column.name in fields, column.name
            if column.choices is not None:
                assert set(column.allowed) <= set(fields[column.name].values), column.name
        else:
            assert column.name.startswith("x_")


@pytest.mark.django_db
def test_imports_rows_as_cases_of_the_organisation(cast: Any) -> None:
    data = csv_file([
        row("A-1", **{
            "vic_TypeOfExploitation": "SexualExploitation;ForcedLabour",
            "x_TransportModes": "Bus;Plane", "x_ReferralSource": "Hotline",
            "x_IdentificationDate": "2026-03-04", "vic_TraffickingStatus":
            "ActualVictimOfTrafficking", "prs_Citizenship": "RU;KZ",
            "x_OriginRegion": "Дагестан", "x_OriginCity": "Махачкала",
        }),
        row("A-2", x_RegistrationDate="", x_ReferralSource="", cas_Status="Closed",
            cas_IncomingReferralDate="2025", x_ClosedDate="2025-12"),
    ])
    counts = _import(cast, data)
    assert counts == {CREATE: 2, UPDATE: 0, UNCHANGED: 0}
    first = ImportedCase.objects.get(organisation=cast.home, external_id="A-1").case
    assert first.organisation == cast.home
    assert first.opened_on == datetime.date(2026, 3, 1)
    assert first.exploitation_types == ["ForcedLabour", "SexualExploitation"]
    assert first.destination_country.code == "TR"
    assert first.destination_city == "Istanbul"
    assert first.referral_source == ReferralSource.HOTLINE
    assert first.trafficking_status == TraffickingStatus.ACTUAL
    assert first.person.citizenships == ",RU,KZ,"
    assert first.person.birth_year == 1990
    assert first.person.origin_city == "Махачкала"
    assert first.step == Step.IDENTIFICATION
    assert CaseStep.objects.get(case=first).happened_on == datetime.date(2026, 3, 4)
    assert TraffickingEvent.objects.get(case=first).transport_modes == ["Plane", "Bus"]
    second = ImportedCase.objects.get(organisation=cast.home, external_id="A-2").case
    assert second.referral_source == ReferralSource.OTHER
    assert second.opened_on == datetime.date(2025, 1, 1)  # from the referral year
    assert second.status == CaseStatus.CLOSED
    assert second.step == Step.CLOSED
    assert second.closed_on == datetime.date(2025, 12, 1)
    assert AuditEntry.objects.filter(target_type="cases.Case", action="record.create").count() \
        == 2
    assert AuditEntry.objects.filter(target_type="stats.htcds", target_id="import").exists()


@pytest.mark.django_db
def test_bad_rows_change_nothing_and_each_is_named_with_its_column(cast: Any) -> None:
    data = csv_file([
        row("B-1"),
        row("B-2", prs_Gender="Female"),
        row("B-3", vic_TypeOfExploitation="ForcedLabour;Slavery"),
        row("B-4", prs_Citizenship="RU;XX", x_RegistrationDate="2026-13-01"),
        row("", x_BirthYear="nineteen"),
        row("B-1"),
    ])
    cases_before, persons_before = Case.objects.count(), Person.objects.count()
    plan = htcds_check(data=data, filename="bad.csv", organisation=cast.home)
    assert plan.has_errors
    errors = {r.number: r.errors for r in plan.rows}
    assert errors[2] == []
    assert [e.split(":")[0] for e in errors[3]] == ["prs_Gender"]
    assert [e.split(":")[0] for e in errors[4]] == ["vic_TypeOfExploitation"]
    assert "Slavery" in errors[4][0]
    assert sorted(e.split(":")[0] for e in errors[5]) == ["prs_Citizenship",
                                                           "x_RegistrationDate"]
    assert sorted(e.split(":")[0] for e in errors[6]) == ["x_BirthYear", "x_ExternalId"]
    assert [e.split(":")[0] for e in errors[7]] == ["x_ExternalId"]  # twice in the file
    with pytest.raises(ValidationError):
        htcds_import(organisation=cast.home, actor=None, plan=plan)
    assert (Case.objects.count(), Person.objects.count()) == (cases_before, persons_before)
    assert not ImportedCase.objects.exists()


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_every_row(cast: Any, monkeypatch: Any) -> None:
    from homeward.stats.htcds import importer

    real = importer._create
    calls = {"n": 0}

    def failing(**kwargs: Any) -> Case:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(importer, "_create", failing)
    data = csv_file([row(f"C-{n}") for n in range(5)])
    with pytest.raises(RuntimeError):
        _import(cast, data)
    assert not Case.objects.exists()
    assert not ImportedCase.objects.exists()


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(cast: Any) -> None:
    data = csv_file([row("D-1"), row("D-2", x_TransportModes="Car", prs_Citizenship="UA")])
    _import(cast, data)
    cases = set(Case.objects.values_list("pk", "version"))
    plan = htcds_check(data=data, filename="again.csv", organisation=cast.home)
    assert plan.counts == {CREATE: 0, UPDATE: 0, UNCHANGED: 2}
    assert _import(cast, data) == {CREATE: 0, UPDATE: 0, UNCHANGED: 2}
    assert set(Case.objects.values_list("pk", "version")) == cases


@pytest.mark.django_db
def test_a_changed_row_updates_its_case_and_the_same_id_elsewhere_is_another_case(
    cast: Any,
) -> None:
    _import(cast, csv_file([row("E-1")]))
    case = ImportedCase.objects.get(external_id="E-1").case
    changed = csv_file([row("E-1", vic_TypeOfExploitation="ForcedLabour",
                            x_RegistrationDate="2026", x_TransportModes="Train")])
    plan = htcds_check(data=changed, filename="e.csv", organisation=cast.home)
    assert plan.rows[0].action == UPDATE
    assert sorted(plan.rows[0].changes) == ["exploitation_types", "transport_modes"]
    assert _import(cast, changed) == {CREATE: 0, UPDATE: 1, UNCHANGED: 0}
    case.refresh_from_db()
    assert case.exploitation_types == ["ForcedLabour"]
    assert case.opened_on == datetime.date(2026, 3, 1)  # the year agrees: kept
    assert _import(cast, csv_file([row("E-1")]), org=cast.away)[CREATE] == 1
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_an_age_band_alone_estimates_the_year_of_birth(cast: Any) -> None:
    _import(cast, csv_file([row("F-1", x_BirthYear="", x_AgeBand="20-24")]))
    person = ImportedCase.objects.get(external_id="F-1").case.person
    assert person.birth_year == 2026 - 22
    assert person.birth_year_estimated


@pytest.mark.django_db
def test_unknown_columns_are_refused_and_unstored_standard_columns_ignored(cast: Any) -> None:
    with pytest.raises(HtcdsFileError):
        htcds_check(data=csv_file([{**row("G-1"), "nickname": "x"}]), filename="g.csv",
                    organisation=cast.home)
    with pytest.raises(HtcdsFileError):
        htcds_check(data=csv_file([{"prs_Gender": "Feminine"}]), filename="g.csv",
                    organisation=cast.home)
    plan = htcds_check(data=csv_file([{**row("G-1"), "cco_CaseComment": "x", "x_Shoe": "42"}]),
                       filename="g.csv", organisation=cast.home)
    assert plan.ignored_columns == ["cco_CaseComment", "x_Shoe"]
    assert not plan.has_errors


@pytest.mark.django_db
def test_reads_xlsx_and_semicolon_separated_csv(cast: Any) -> None:
    import io

    import openpyxl  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["x_ExternalId", "prs_Gender", "x_BirthYear", "x_RegistrationDate"])
    sheet.append(["H-1", "Masculine", 1980, datetime.date(2026, 2, 3)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _import(cast, buffer.getvalue())[CREATE] == 1
    case = ImportedCase.objects.get(external_id="H-1").case
    assert case.opened_on == datetime.date(2026, 2, 3)
    assert case.person.birth_year == 1980
    semicolons = (
        "x_ExternalId;prs_Gender;vic_TypeOfExploitation\n"
        'H-2;Feminine;"ForcedLabour;ForcedBegging"\n'
    )
    assert _import(cast, semicolons.encode())[CREATE] == 1
    assert ImportedCase.objects.get(external_id="H-2").case.exploitation_types == [
        "ForcedLabour", "ForcedBegging"]


@pytest.mark.django_db
def test_round_trip_export_import_export_is_lossless_on_deidentified_fields(cast: Any) -> None:
    coordinator = cast.user("coordinator", "home")
    open_case(cast, exploitation_types=["SexualExploitation", "ForcedBegging"],
              destination_country="GR", destination_city="Athens",
              recruitment_channels=["Internet"], recruitment_methods=["AtWork"],
              methods_of_control=["DebtBondage"], citizenships=["RU", "KZ"],
              origin_region="Bashkortostan", origin_city="Ufa", marital_status="Single",
              education="PrimaryEducation", number_of_children=2, primary_language="ru",
              trafficking_status_decided_by="Police", relationship_to_trafficker="Acquainted",
              age_when_trafficked=19, forced_labour_industry="F_Construction",
              sex_exploitation_types=["Prostitution"], origin_country="RU",
              incoming_referral_date=datetime.date(2026, 1, 5))
    open_case(cast, gender="Masculine", birth_year=None, referral_source="Embassy")
    first = htcds_export_file(actor=coordinator, fmt="csv").content
    _import(cast, first, org=cast.away)
    away_cases = Case.objects.filter(organisation=cast.away)
    second = htcds_export_file(actor=None, fmt="csv", cases=away_cases).content
    before = sorted(read_csv(first), key=lambda r: r["x_ExternalId"])
    after = sorted(read_csv(second), key=lambda r: r["x_ExternalId"])
    assert len(before) == 2
    assert before == after


@pytest.mark.django_db
def test_an_identifying_file_brings_names_and_contacts_to_the_recipient(cast: Any) -> None:
    from homeward.cases.choices import ConsentPurpose
    from homeward.cases.models import PersonMatchKey
    from homeward.cases.tests.factories import give_consent

    coordinator = cast.user("coordinator", "home")
    case = open_case(cast, birth_date=datetime.date(1994, 5, 6), email="lena@example.org",
                     phones=["+7 912 345-67-89"])
    give_consent(case, coordinator, ConsentPurpose.DATA_SHARING, organisation=cast.away)
    sent = htcds_export_file(actor=coordinator, fmt="xlsx", identifying=True,
                             recipient=cast.away).content
    assert _import(cast, sent, org=cast.away)[CREATE] == 1
    received = Case.objects.get(organisation=cast.away)
    person = received.person
    assert person.last_name == case.person.last_name
    assert person.birth_date == datetime.date(1994, 5, 6)
    assert person.email == "lena@example.org"
    assert person.phones == ["+79123456789"]
    assert received.opened_on == case.opened_on  # exact dates in an identifying file
    assert PersonMatchKey.objects.filter(person=person).exists()
    assert _import(cast, sent, org=cast.away)[UNCHANGED] == 1


@pytest.mark.django_db
def test_a_bad_email_or_phone_is_a_row_error(cast: Any) -> None:
    plan = htcds_check(
        data=csv_file([row("P-1", prs_Email="nobody", prs_MobilePhone="call me")]),
        filename="p.csv", organisation=cast.home,
    )
    assert sorted(e.split(":")[0] for e in plan.rows[0].errors) == ["prs_Email",
                                                                     "prs_MobilePhone"]


@pytest.mark.django_db
def test_checking_a_file_of_known_cases_reads_a_fixed_number_of_queries(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    def file(rows: int) -> bytes:
        return csv_file([row(f"Q-{n}", x_TransportModes="Bus", x_IdentificationDate="2026-03-04")
                         for n in range(rows)])

    _import(cast, file(8))
    htcds_check(data=file(2), filename="cases.csv", organisation=cast.home)
    with django_assert_max_num_queries(20) as few:
        plan = htcds_check(data=file(2), filename="cases.csv", organisation=cast.home)
    assert {row.action for row in plan.rows} == {UNCHANGED}
    with django_assert_max_num_queries(len(few.captured_queries)):
        plan = htcds_check(data=file(8), filename="cases.csv", organisation=cast.home)
    assert {row.action for row in plan.rows} == {UNCHANGED}


@pytest.mark.django_db
def test_a_file_without_its_header_line_is_refused_without_quoting_its_first_row(
    cast: Any,
) -> None:
    data = b"HW-1,Ivanova,Maria,+79001234567\r\nHW-2,Petrova,Anna,\r\n"
    with pytest.raises(HtcdsFileError) as refused:
        htcds_check(data=data, filename="cases.csv", organisation=cast.home)
    message = str(refused.value)
    assert "x_ExternalId" in message
    for value in ("Ivanova", "Maria", "79001234567"):
        assert value not in message
