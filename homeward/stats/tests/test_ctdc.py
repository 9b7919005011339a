"""Reading and importing CTDC files (``homeward.stats.ctdc``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.stats import ctdc
from homeward.stats.models import CtdcDataset, CtdcRecord

REAL_FILE = Path("/work/shared/data/ctdc/CTDC_VPsynthetic_condensed.csv")

CONDENSED_HEADER = (
    "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,"
    "UN_COE_Region,IP_Exploiter,IP_Gender\n"
)


def condensed(*rows: str) -> bytes:
    return (CONDENSED_HEADER + "".join(f"{row}\n" for row in rows)).encode()


GOOD = condensed(
    "2019,Female,Adult,1,,Europe,Asia,1,Male",
    "2014-2018,Male,Minor,,1,Africa,Europe,,",
    ",,,,,,,,",
)


def test_the_real_condensed_file_imports_every_data_row(db: None) -> None:
    if not REAL_FILE.exists():
        pytest.skip("the CTDC file is not available here")
    data = REAL_FILE.read_bytes()
    with REAL_FILE.open(newline="", encoding="utf-8-sig") as handle:
        expected = sum(1 for _row in csv.DictReader(handle))
    assert expected == 21195
    calls: list[tuple[int, int]] = []

    dataset = ctdc.ctdc_import(data=data, source_name=REAL_FILE.name, label="", actor=None,
                               progress=lambda done, total: calls.append((done, total)))

    assert dataset.row_count == expected
    assert CtdcRecord.objects.filter(dataset=dataset).count() == expected
    assert calls[0] == (0, expected)
    assert calls[-1] == (expected, expected)
    assert len(calls) > 2  # written in batches
    assert CtdcRecord.objects.filter(dataset=dataset, exploitation_region="Europe").count() == 6432
    assert CtdcRecord.objects.filter(dataset=dataset, citizenship_region="Asia").count() == 6139
    assert CtdcRecord.objects.filter(dataset=dataset, year_registered="2014-2018").count() == 6274
    assert CtdcRecord.objects.filter(dataset=dataset, majority="Minor").count() == 1212
    assert CtdcRecord.objects.filter(dataset=dataset, forced_labour=True).count() == 12248
    assert REAL_FILE.name in dataset.label


def test_rows_are_read_as_record_values() -> None:
    first, second, empty = ctdc.ctdc_read(GOOD)

    assert first == {
        "year_registered": "2019", "gender": "Female", "majority": "Adult", "age_band": "",
        "forced_labour": True, "sexual_exploitation": None, "citizenship": "",
        "citizenship_region": "Europe", "exploitation_country": "",
        "exploitation_region": "Asia",
    }
    assert second["year_registered"] == "2014-2018"
    assert second["sexual_exploitation"] is True
    assert second["majority"] == "Minor"
    assert empty["citizenship_region"] == ""
    assert empty["gender"] == ""


def test_import_is_audited_with_the_row_count(cast) -> None:
    actor = cast.user("coordinator")

    dataset = ctdc.ctdc_import(data=GOOD, source_name="small.csv", label="Small", actor=actor)

    assert (dataset.label, dataset.row_count, dataset.imported_by) == ("Small", 3, actor)
    entry = AuditEntry.objects.get(target_type="stats.CtdcDataset", target_id=str(dataset.pk))
    assert entry.action == Action.CREATE
    assert entry.actor_id == actor.pk
    assert entry.detail["rows"] == 3


def test_the_same_file_is_refused_the_second_time(db: None) -> None:
    ctdc.ctdc_import(data=GOOD, source_name="a.csv", label="A", actor=None)

    with pytest.raises(ctdc.CtdcFileError, match="already imported"):
        ctdc.ctdc_import(data=GOOD, source_name="b.csv", label="B", actor=None)

    assert CtdcDataset.objects.count() == 1
    assert CtdcRecord.objects.count() == 3


def test_bad_rows_are_named_and_nothing_is_written(db: None) -> None:
    data = condensed(
        "2019,Female,Adult,1,,Europe,Asia,,",
        "20X9,Female,Adult,1,,Europe,Asia,,",
        "2019,Alien,Adult,yes please,,Mars,Asia,,",
    )

    with pytest.raises(ctdc.CtdcFileError) as raised:
        ctdc.ctdc_import(data=data, source_name="bad.csv", label="", actor=None)

    text = " ".join(raised.value.messages)
    assert "2 rows have errors" in text
    assert "Row 3: yearRegister" in text
    assert "Row 4:" in text
    assert "gender" in text
    assert "isForcedLabour" in text
    assert "UN_COO_Region" in text
    assert "Row 2" not in text
    assert not CtdcDataset.objects.exists()
    assert not CtdcRecord.objects.exists()


def test_a_file_without_the_ctdc_columns_is_refused() -> None:
    with pytest.raises(ctdc.CtdcFileError, match=r"Missing columns: .*UN_COE_Region"):
        ctdc.ctdc_read(b"yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,"
                       b"UN_COO_Region\n2019,Female,Adult,1,,Europe\n")


def test_files_that_are_not_csv_text_are_refused() -> None:
    with pytest.raises(ctdc.CtdcFileError, match="UTF-8"):
        ctdc.ctdc_read(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ctdc.CtdcFileError, match="empty"):
        ctdc.ctdc_read(b"")
    with pytest.raises(ctdc.CtdcFileError, match="no rows"):
        ctdc.ctdc_read(CONDENSED_HEADER.encode())


def test_many_bad_rows_are_summarised() -> None:
    data = condensed(*["1800,Female,Adult,1,,Europe,Asia,," for _ in range(30)])

    with pytest.raises(ctdc.CtdcFileError) as raised:
        ctdc.ctdc_read(data)

    messages = raised.value.messages
    assert messages[0].startswith("30 rows have errors")
    assert len(messages) == 1 + ctdc.MAX_ERRORS_SHOWN + 1
    assert "10 more rows" in messages[-1]


def test_the_global_synthetic_layout_maps_countries_to_regions() -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["yearOfRegistration", "gender", "ageBroad", "citizenship",
                     "CountryOfExploitation", "traffickMonths", "isForcedLabour",
                     "isSexualExploit", "isOtherExploit"])
    writer.writerow(["2021", "Woman", "9--17", "UZB", "RUS", "", "1", "", ""])
    writer.writerow(["2016", "Man", "48+", "NGA", "ITA", "", "", "1", ""])
    writer.writerow(["", "Trans/ Transgender /NonConforming", "", "", "", "", "", "", ""])

    first, second, third = ctdc.ctdc_read(out.getvalue().encode())

    assert (first["citizenship"], first["citizenship_region"]) == ("UZ", "Asia")
    assert (first["exploitation_country"], first["exploitation_region"]) == ("RU", "Europe")
    assert (first["gender"], first["age_band"], first["majority"]) == ("Female", "9--17", "Minor")
    assert (second["citizenship_region"], second["exploitation_region"]) == ("Africa", "Europe")
    assert (second["age_band"], second["majority"]) == ("48+", "Adult")
    assert third["gender"] == ctdc.TRANS
    assert third["citizenship_region"] == ""


def test_an_unknown_country_code_is_an_error() -> None:
    data = (b"yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,"
            b"isForcedLabour,isSexualExploit\n2020,Woman,18--20,QQQ,RUS,1,\n")

    with pytest.raises(ctdc.CtdcFileError, match="Row 2: citizenship"):
        ctdc.ctdc_read(data)


def test_every_region_mapping_is_one_of_the_four_ctdc_regions() -> None:
    assert set(ctdc.COUNTRY_REGIONS.values()) == set(ctdc.REGIONS)
    assert ctdc.COUNTRY_REGIONS["RU"] == "Europe"
    assert ctdc.COUNTRY_REGIONS["KZ"] == "Asia"
    assert ctdc.COUNTRY_REGIONS["AU"] == "Americas/Oceania"
