"""From counts to a publishable table (``publication``)."""

from __future__ import annotations

import dataclasses

import pytest

from homeward.stats.categories import fixed
from homeward.stats.choices import OTHERS, UNKNOWN, Family, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.models import Release
from homeward.stats.publication import publish, release_table, table_of
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension


def sample_counts() -> Counts:
    return Counts(
        rows=["RU", "TR", "AE"],
        columns=["KZ", "UZ", "TJ"],
        cells={("RU", "KZ"): 3, ("RU", "UZ"): 40, ("RU", "TJ"): 50,
               ("TR", "KZ"): 20, ("TR", "UZ"): 30, ("TR", "TJ"): 60,
               ("AE", "KZ"): 25, ("AE", "UZ"): 35, ("AE", "TJ"): 0},
    )


def test_small_cells_show_as_less_than_k_with_complementary_cells() -> None:
    table = table_of(name="x", counts=sample_counts(), k=11)
    assert table.cell("RU", "KZ").display == "<11"
    assert table.cell("TR", "KZ").hidden  # the column's complement
    assert table.cell("RU", "UZ").hidden  # the row's complement
    assert table.cell("AE", "TJ").display == "0"
    assert table.suppressed == 4
    assert table.k == 11
    assert not table.noisy


def test_totals_are_sums_of_the_raw_cells() -> None:
    table = table_of(name="x", counts=sample_counts(), k=11)
    assert table.row_totals["RU"].value == 93
    assert table.column_totals["KZ"].value == 48
    assert table.total.value == 263


def test_k_one_shows_everything() -> None:
    table = table_of(name="x", counts=sample_counts(), k=1)
    assert table.suppressed == 0
    assert table.cell("RU", "KZ").value == 3


def test_empty_counts_give_an_empty_table_with_zero_total() -> None:
    table = table_of(name="x", counts=Counts(rows=[], columns=["Persons"], cells={}), k=11)
    assert table.rows == ()
    assert table.column_totals["Persons"].value == 0
    assert table.total.display == "0"


def test_refuses_k_below_one() -> None:
    with pytest.raises(ValueError, match="k must"):
        table_of(name="x", counts=sample_counts(), k=0)


def test_publish_counts_the_report_under_the_filter() -> None:
    seen: list[ReportFilter] = []

    def count(report_filter: ReportFilter) -> Counts:
        seen.append(report_filter)
        return sample_counts()

    spec = Report(
        name="sample", title="Sample", family=Family.CASES,
        rows=Dimension("Destination", str, countries=True),
        columns=Dimension("Citizenship", str, countries=True),
        count=count, unit="persons", method="",
    )
    report_filter = ReportFilter(organisations=(1,))
    table = publish(report=spec, filter=report_filter, k=11)
    assert seen == [report_filter]
    assert table.name == "sample"
    assert table.cell("RU", "KZ").hidden


def test_release_table_reads_the_recorded_noisy_figures() -> None:
    release = Release(
        pk=7, report="sample", mechanism=Mechanism.GEOMETRIC, epsilon_milli=500,
        table={"rows": ["RU", "TR"], "columns": ["KZ"], "cells": [[4], [0]]},
    )
    table = release_table(release)
    assert table.noisy
    assert table.epsilon == 0.5
    assert table.release_id == 7
    assert table.cell("RU", "KZ").display == "4"  # small, but not suppressed
    assert table.total.value == 4
    assert table.suppressed == 0


def _cities(report_filter: ReportFilter) -> Counts:
    return Counts(
        rows=["Makhachkala", "Ufa", "Tver", "Kem", UNKNOWN], columns=["Persons"],
        cells={("Makhachkala", "Persons"): 18, ("Ufa", "Persons"): 12,
               ("Tver", "Persons"): 1, ("Kem", "Persons"): 3, (UNKNOWN, "Persons"): 40},
    )


CITIES = Report(
    name="cities", title="Cities", family=Family.CASES,
    rows=Dimension("City", str), columns=Dimension("Persons", str, categories=fixed(["Persons"])),
    count=_cities, unit="persons", method="",
)


def test_small_places_of_an_open_dimension_are_never_named() -> None:
    """"Kem: <11" would say someone from Kem is counted: the places below k are
    counted together as one row, last before the unknowns."""
    table = publish(report=CITIES, filter=ReportFilter(organisations=(1,)), k=11)
    assert table.rows == ("Makhachkala", "Ufa", OTHERS, UNKNOWN)
    assert table.cell(OTHERS, "Persons").hidden  # 4 persons, still below k
    assert table.total.value == 74


def test_every_place_is_named_without_suppression() -> None:
    table = publish(report=CITIES, filter=ReportFilter(organisations=(1,)), k=1)
    assert table.rows == ("Makhachkala", "Ufa", "Tver", "Kem", UNKNOWN)
    assert table.cell("Kem", "Persons").value == 3


def test_closed_dimensions_keep_their_small_rows() -> None:
    closed = dataclasses.replace(CITIES, rows=Dimension(
        "City", str, categories=fixed(["Makhachkala", "Ufa", "Tver", "Kem"])))
    table = publish(report=closed, filter=ReportFilter(organisations=(1,)), k=11)
    assert "Kem" in table.rows
    assert table.cell("Kem", "Persons").hidden
