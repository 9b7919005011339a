"""The files a published table is written as: CSV, JSON, XLSX."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook  # type: ignore[import-untyped]

from homeward.stats import render
from homeward.stats.choices import UNKNOWN, Family, Labels
from homeward.stats.filters import ReportFilter
from homeward.stats.publication import table_of
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension

COUNTRIES = {"RU": "Russia", "UA": "Ukraine", "TR": "Turkey", "GR": "Greece"}


def country(key: str) -> str:
    return COUNTRIES.get(key, "Not recorded" if key == UNKNOWN else key)


def cross_report(name: str = "nationality-by-destination") -> Report:
    return Report(
        name=name, title="Victims by destination and citizenship", family=Family.CASES,
        rows=Dimension("Country of destination", country, countries=True),
        columns=Dimension("Citizenship", country, countries=True),
        count=lambda _filter: COUNTS, unit="persons", method="Each citizenship counts.",
        chart="stacked",
    )


def single_report() -> Report:
    return Report(
        name="exploitation-type", title="Forms of exploitation", family=Family.CASES,
        rows=Dimension("Form of exploitation", lambda key: f"form {key}"),
        columns=Dimension("", lambda key: key), count=lambda _filter: SINGLE,
        unit="persons", method="One row per form.",
    )


COUNTS = Counts(
    rows=["TR", "GR", UNKNOWN], columns=["RU", "UA"],
    cells={("TR", "RU"): 30, ("TR", "UA"): 12, ("GR", "RU"): 20, ("GR", "UA"): 15,
           (UNKNOWN, "RU"): 3},
)
SINGLE = Counts(rows=["Sexual", "Labour"], columns=["Persons"],
                cells={("Sexual", "Persons"): 60, ("Labour", "Persons"): 40})


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_csv_has_the_row_label_the_column_codes_a_total_column_and_a_total_row() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=1)

    assert rows_of(render.table_csv(table, cross_report(), labels=Labels.CODES)) == [
        ["Country of destination", "RU", "UA", "Total"],
        ["TR", "30", "12", "42"],
        ["GR", "20", "15", "35"],
        ["Unknown", "3", "0", "3"],
        ["Total", "53", "27", "80"],
    ]


def test_csv_prints_suppressed_figures_as_less_than_k() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=11)

    lines = rows_of(render.table_csv(table, cross_report(), labels=Labels.CODES))

    assert lines[3][:3] == ["Unknown", "<11", "0"]
    flat = [value for line in lines[1:] for value in line[1:]]
    assert "3" not in flat
    # Every hidden figure reads "<11", every other one is a whole number.
    assert all(value == "<11" or value.isdigit() for value in flat)


def test_csv_writes_names_in_the_active_language_when_asked() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=1)

    lines = rows_of(render.table_csv(table, cross_report(), labels=Labels.NAMES))

    assert lines[0] == ["Country of destination", "Russia", "Ukraine", "Total"]
    assert [line[0] for line in lines[1:]] == ["Turkey", "Greece", "Not recorded", "Total"]


def test_csv_keeps_the_one_column_shape_of_one_dimensional_reports() -> None:
    table = table_of(name="exploitation-type", counts=SINGLE, k=1)

    assert rows_of(render.table_csv(table, single_report(), labels=Labels.CODES)) == [
        ["Form of exploitation", "Persons", "Total"],
        ["Sexual", "60", "60"],
        ["Labour", "40", "40"],
        ["Total", "100", "100"],
    ]


def test_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula() -> None:
    counts = Counts(rows=["=cmd"], columns=["Persons"], cells={("=cmd", "Persons"): 1})
    table = table_of(name="origin-city", counts=counts, k=1)

    assert rows_of(render.table_csv(table, single_report()))[1][0] == "'=cmd"


def test_percent_grid_adds_table_1_shares_of_rows_and_columns() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=1)

    headers, rows = render.percent_grid(table, cross_report(), Labels.CODES)

    assert headers[-1] == "%"
    assert [row[-1] for row in rows] == [53, 44, 4, 100, None]  # 42/80, 35/80, 3/80
    assert rows[-1][:4] == ["Percent", 66, 34, 100]  # 53/80, 27/80


def test_percentages_never_reveal_a_hidden_figure() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=11)

    _headers, rows = render.percent_grid(table, cross_report(), Labels.CODES)

    for line, row in zip(rows, table.rows, strict=False):
        if table.row_totals[row].hidden:
            assert line[-1] is None


def test_json_holds_keys_labels_cells_totals_k_and_the_filter() -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=11)
    report_filter = ReportFilter(organisations=(3, 1), date_from=datetime.date(2026, 1, 1))

    document = json.loads(render.table_json(table, cross_report(), labels=Labels.NAMES,
                                            filter=report_filter))

    assert document["report"] == "nationality-by-destination"
    assert document["k"] == 11
    assert document["noisy"] is False
    assert document["rows"][0] == {"key": "TR", "label": "Turkey"}
    assert [column["key"] for column in document["columns"]] == ["RU", "UA"]
    assert document["cells"][2][0] == "<11"
    assert document["filter"]["organisations"] == [3, 1]
    assert document["filter"]["date_from"] == "2026-01-01"
    assert isinstance(document["total"], int | str)


@pytest.mark.django_db
def test_xlsx_has_title_filter_note_and_the_grid_with_percentages(cast) -> None:
    table = table_of(name="nationality-by-destination", counts=COUNTS, k=1)
    report_filter = ReportFilter(organisations=(cast.home.pk,),
                                 date_from=datetime.date(2026, 1, 1),
                                 date_to=datetime.date(2026, 12, 31))

    with translation.override("en"):
        content = render.table_xlsx(table, cross_report(), labels=Labels.CODES,
                                    filter=report_filter)

    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Victims by destination and citizenship"
    assert "2026-01-01 – 2026-12-31" in values[1][0]
    assert "HOME" in values[1][0]
    assert "k = 1" in values[2][0]
    header = values.index(["Country of destination", "RU", "UA", "Total", "%"])
    assert values[header + 1] == ["TR", 30, 12, 42, 53]
    assert values[header + 4] == ["Total", 53, 27, 80, 100]
    assert values[header + 5] == ["Percent", 66, 34, 100, None]


def test_xlsx_notes_a_noisy_release() -> None:
    table = table_of(name="exploitation-type", counts=SINGLE, k=1)
    noisy = type(table)(**{**table.__dict__, "epsilon": 0.5})

    content = render.table_xlsx(noisy, single_report())

    sheet = load_workbook(io.BytesIO(content)).active
    assert "ε = 0.5" in sheet["A2"].value


def test_filename_names_the_report_and_the_period() -> None:
    report_filter = ReportFilter(organisations=(), date_from=datetime.date(2026, 1, 1))

    assert render.filename(cross_report(), report_filter, "csv") == (
        "nationality-by-destination_2026-01-01_all.csv"
    )
