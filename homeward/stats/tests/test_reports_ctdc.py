"""The CTDC report: region of citizenship by region of exploitation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from homeward.stats import reports
from homeward.stats.choices import UNKNOWN, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.models import CtdcDataset, CtdcRecord
from homeward.stats.reports.ctdc import region_label

NAME = "ctdc-citizenship-region-by-exploitation-region"


def make_dataset(label: str, rows: list[dict[str, Any]]) -> CtdcDataset:
    dataset = CtdcDataset.objects.create(label=label, source_name=f"{label}.csv",
                                         sha256=label.ljust(64, "0"), row_count=len(rows))
    CtdcRecord.objects.bulk_create([CtdcRecord(dataset=dataset, **row) for row in rows])
    return dataset


def record(exploited: str, citizen: str, **extra: Any) -> dict[str, Any]:
    return {"exploitation_region": exploited, "citizenship_region": citizen, **extra}


@pytest.fixture
def datasets(db: None) -> tuple[CtdcDataset, CtdcDataset]:
    old = make_dataset("old", [record("Asia", "Asia")] * 5)
    new = make_dataset("new", [
        record("Europe", "Asia", year_registered="2019", gender="Female", majority="Adult"),
        record("Europe", "Asia", year_registered="2020", gender="Male", majority="Adult"),
        record("Europe", "Europe", year_registered="2014-2018", gender="Female",
               majority="Minor"),
        record("Asia", "Africa", year_registered="2021-2022", gender="Female", majority="Adult"),
        record("", "Africa", year_registered="", gender="", majority=""),
        record("Europe", "", year_registered="2019", gender="Male", majority="Minor"),
    ])
    return old, new


def count(**filters: Any) -> dict[tuple[str, str], int]:
    filters.setdefault("organisations", ())
    return reports.get(NAME).count(ReportFilter(**filters)).cells


def test_the_report_is_registered_in_the_ctdc_family() -> None:
    spec = reports.get(NAME)
    assert spec.family == Family.CTDC
    assert spec.chart == "stacked"
    assert "not the coalition" in str(spec.method)


def test_the_latest_dataset_is_counted_by_default(datasets) -> None:
    counts = reports.get(NAME).count(ReportFilter(organisations=()))

    assert counts.rows == ["Asia", "Europe", UNKNOWN]
    assert counts.columns == ["Africa", "Asia", "Europe", UNKNOWN]
    assert counts.cells == {
        ("Europe", "Asia"): 2, ("Europe", "Europe"): 1, ("Asia", "Africa"): 1,
        (UNKNOWN, "Africa"): 1, ("Europe", UNKNOWN): 1,
    }
    assert counts.units == 6


def test_a_chosen_dataset_is_counted(datasets) -> None:
    old, _new = datasets
    assert count(dataset=old.pk) == {("Asia", "Asia"): 5}


def test_no_dataset_counts_nothing(db: None) -> None:
    counts = reports.get(NAME).count(ReportFilter(organisations=()))
    assert (counts.rows, counts.columns, counts.cells) == ([], [], {})


def test_a_period_keeps_records_whose_years_lie_wholly_inside(datasets) -> None:
    in_2019 = count(date_from=datetime.date(2019, 1, 1), date_to=datetime.date(2019, 12, 31))
    assert in_2019 == {("Europe", "Asia"): 1, ("Europe", UNKNOWN): 1}

    from_2014 = count(date_from=datetime.date(2014, 3, 1))
    assert sum(from_2014.values()) == 5  # every record with a year

    until_2018 = count(date_to=datetime.date(2018, 6, 30))
    assert until_2018 == {("Europe", "Europe"): 1}  # 2014-2018 ends in 2018
    assert count(date_to=datetime.date(2017, 12, 31)) == {}


def test_sex_and_minor_filters_read_ctdc_gender_and_majority(datasets) -> None:
    assert sum(count(sex="Feminine").values()) == 3
    assert count(sex="Masculine", minority=Minority.MINOR) == {("Europe", UNKNOWN): 1}
    assert sum(count(minority=Minority.ADULT).values()) == 3
    assert count(sex="NonSpecifiedUnknown") == {(UNKNOWN, "Africa"): 1}


def test_filters_that_do_not_apply_change_nothing(datasets) -> None:
    assert count(region="Moscow", age_band="20-24", organisations=(1, 2)) == count()


def test_regions_are_labelled_in_the_active_language() -> None:
    with translation.override("en"):
        assert region_label("Americas/Oceania") == "Americas and Oceania"
        assert region_label(UNKNOWN) == "Not recorded"
        assert region_label("Elsewhere") == "Elsewhere"
