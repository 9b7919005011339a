"""Reports and the statistical abstract as PDF (reportlab, DejaVu fonts).

The text of a PDF is checked with ``pdftotext`` where poppler is installed;
everywhere, the flowables the PDF is built from are checked directly."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from collections.abc import Iterable

import pytest
from django.utils import translation
from django_countries import countries
from reportlab.platypus import Paragraph  # type: ignore[import-untyped]
from reportlab.platypus import Table as PdfTable

from homeward.stats import pdf
from homeward.stats.choices import UNKNOWN, Family
from homeward.stats.filters import ReportFilter
from homeward.stats.publication import table_of
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension, Table

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.django_db

FILTER = ReportFilter(organisations=(), date_from=datetime.date(2026, 1, 1),
                      date_to=datetime.date(2026, 12, 31))


def country(key: str) -> str:
    return str(countries.name(key)) if key != UNKNOWN else "?"


def cross(columns: Iterable[str] = ("RU", "UA")) -> tuple[Report, Table]:
    columns = list(columns)
    rows = ["TR", "GR", "RU"]
    counts = Counts(rows=rows, columns=columns,
                    cells={(row, column): 5 + 3 * i + j for i, row in enumerate(rows)
                           for j, column in enumerate(columns)})
    report = Report(
        name="nationality-by-destination", title="Жертвы по стране назначения",
        family=Family.CASES, rows=Dimension("Страна назначения", country, countries=True),
        columns=Dimension("Гражданство", country, countries=True),
        count=lambda _filter: counts, unit="лица", method="Каждое гражданство.",
        chart="stacked",
    )
    return report, table_of(name=report.name, counts=counts, k=1)


def single(rows: int = 3) -> tuple[Report, Table]:
    keys = [f"city{n:02}" for n in range(rows)]
    counts = Counts(rows=keys, columns=["Persons"],
                    cells={(key, "Persons"): 100 - n for n, key in enumerate(keys)})
    report = Report(
        name="origin-city", title="Cities of origin", family=Family.CASES,
        rows=Dimension("City", lambda key: key.title()), columns=Dimension("", str),
        count=lambda _filter: counts, unit="persons", method="One row per city.",
    )
    return report, table_of(name=report.name, counts=counts, k=1)


def texts(flowables: Iterable[object]) -> list[str]:
    """The text of every paragraph, also inside tables."""
    found: list[str] = []
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            found.append(flowable.getPlainText())
        elif isinstance(flowable, PdfTable):
            for line in flowable._cellvalues:
                found += texts(cell for cell in line if isinstance(cell, Paragraph))
                found += [cell for cell in line if isinstance(cell, str)]
        elif hasattr(flowable, "_content"):  # KeepTogether
            found += texts(flowable._content)
    return found


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    assert PDFTOTEXT is not None
    return subprocess.run(  # noqa: S603 - a fixed local tool on a file we wrote
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_report_pdf_is_a_pdf_with_the_dejavu_font_embedded() -> None:
    report, table = cross()

    content = pdf.report_pdf(table, report, FILTER, "ru")

    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert b"DejaVuSans" in content


def test_russian_report_holds_the_cyrillic_title_and_country_names() -> None:
    report, table = cross()

    with translation.override("ru"):
        _orientation, story = pdf.report_story(table, report, FILTER)

    found = texts(story)
    assert "Жертвы по стране назначения" in found
    assert {"Турция", "Греция", "Россия"} <= set(found)


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext is not installed")
def test_russian_report_text_extracts_as_cyrillic(tmp_path) -> None:
    report, table = cross()

    text = pdf_text(pdf.report_pdf(table, report, FILTER, "ru"), tmp_path)

    assert "Жертвы по стране назначения" in text
    assert "Турция" in text
    assert "Украина" in text
    assert "2026-01-01 – 2026-12-31" in text


def test_a_wide_table_is_set_on_a_landscape_page() -> None:
    report, table = cross(["RU", "UA", "MD", "KG", "KZ", "UZ", "GH", "BY", "TJ"])

    content = pdf.report_pdf(table, report, FILTER, "en", compress=False)

    assert pdf.table_is_wide(table, report)
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content


def test_a_narrow_table_stays_portrait() -> None:
    report, table = single()

    content = pdf.report_pdf(table, report, FILTER, "en", compress=False)

    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in content


def test_a_table_too_wide_for_the_page_is_split_into_column_blocks() -> None:
    codes = [code for code, _name in list(countries)[:40]]
    report, table = cross(codes)

    grids = [item for item in pdf.table_flowables(table, report, 700) if isinstance(item, PdfTable)]

    assert len(grids) > 1
    # Each block repeats the row names; together they hold every column.
    assert all(grid._cellvalues[1][0].getPlainText() == country("TR") for grid in grids)
    # Every citizenship, the total and the share.
    assert sum(len(grid._cellvalues[0]) - 1 for grid in grids) == len(codes) + 2


def test_the_chart_gathers_small_rows_as_other_but_the_table_keeps_every_row() -> None:
    report, table = single(rows=30)

    data = pdf.chart_series(table, report)
    with translation.override("en"):
        found = texts(pdf.table_flowables(table, report, 500))

    assert len(data.names) == pdf.CHART_BARS + 1
    assert data.names[-1] == "Other (15)"
    assert sum(data.values[0]) == table.total.value
    assert "City29" in found


def test_a_stacked_chart_gathers_small_columns_in_its_legend_as_other() -> None:
    codes = [code for code, _name in list(countries)[:12]]
    report, table = cross(codes)

    data = pdf.chart_series(table, report)

    assert len(data.series) == pdf.CHART_SEGMENTS + 1
    assert data.other_series
    assert sum(map(sum, data.values)) == table.total.value


def test_rows_with_hidden_figures_are_left_out_of_the_chart() -> None:
    report, _table = single()
    counts = Counts(rows=["a", "b", "c"], columns=["Persons"],
                    cells={("a", "Persons"): 40, ("b", "Persons"): 2, ("c", "Persons"): 30})
    table = table_of(name=report.name, counts=counts, k=11)

    data = pdf.chart_series(table, report)

    assert table.row_totals["b"].hidden
    drawn = [row for row in table.rows if not table.row_totals[row].hidden]
    assert data.names == [report.rows.label(row) for row in drawn]
    assert data.values == [[table.row_totals[row].value for row in drawn]]
    assert data.left_out == len(table.rows) - len(drawn)


def test_the_hidden_part_of_a_shown_row_total_is_one_grey_segment() -> None:
    report, _table = cross()
    figures = {"TR": (30, 5, 6), "GR": (20, 15, 12), "AE": (25, 14, 13)}
    counts = Counts(rows=list(figures), columns=["RU", "UA", "KZ"],
                    cells={(row, column): figures[row][j] for row in figures
                           for j, column in enumerate(["RU", "UA", "KZ"])})
    table = table_of(name=report.name, counts=counts, k=11)

    data = pdf.chart_series(table, report)

    # The hidden cells of a shown total are one segment: total minus shown cells.
    assert data.hidden_series
    assert table.cell("TR", "UA").hidden
    assert table.row_totals["TR"].value == 41
    tr = data.names.index(report.rows.label("TR"))
    assert [series[tr] for series in data.values] == [30, 11]
    # Columns with nothing drawn (all hidden) are not in the legend.
    assert data.series == [report.columns.label("RU"), "Hidden counts, together"]


def test_an_empty_table_renders_with_a_note_and_no_chart() -> None:
    report, _table = single()
    table = table_of(name=report.name, counts=Counts(rows=[], columns=["Persons"], cells={}),
                     k=11)

    assert pdf.chart_drawing(table, report, 400) is None
    assert pdf.report_pdf(table, report, FILTER, "en").startswith(b"%PDF")


def test_abstract_has_a_title_page_every_report_and_the_method_section() -> None:
    sections = [cross(), single(20)]
    calls: list[tuple[int, int]] = []

    content = pdf.abstract_pdf(sections, FILTER, "en", lambda done, total: calls.append(
        (done, total)), k=11)
    with translation.override("en"):
        story = pdf.abstract_story(sections, FILTER, k=11)

    assert content.startswith(b"%PDF")
    assert calls[-1] == (3, 3)
    found = texts(story)
    assert "Statistical abstract" in found
    assert "Жертвы по стране назначения" in found
    assert "Cities of origin" in found
    assert any("k = 11" in text for text in found)
    assert any(text.startswith("Consent:") for text in found)
    assert any(text.startswith("Complementary suppression") for text in found)


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext is not installed")
def test_russian_abstract_text_extracts(tmp_path) -> None:
    text = pdf_text(pdf.abstract_pdf([cross()], FILTER, "ru", k=11), tmp_path)

    assert "Жертвы по стране назначения" in text
    assert "Турция" in text
