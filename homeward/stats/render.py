"""A published table as a file: the grid every format shares, CSV, JSON and
XLSX (the PDF is in :mod:`homeward.stats.pdf`).

Every format is written from a :class:`~homeward.stats.tables.Table` only —
published figures, suppressed (``<k``) or noisy — never from counts. Row and
column keys are written as codes (ISO 3166-1 alpha-2 countries, picklist
values) unless names are asked for; names (and the titles) are read under
the active language.

The CSV has one shape everywhere (the command line and the page's
download): a header ``[row title, *columns, "Total"]``, one line per row,
and a last ``Total`` line — no preamble. XLSX and PDF add a title, the
filter and the suppression note above the grid.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from homeward.stats.choices import Labels, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report
from homeward.stats.tables import Cell, Dimension, Table

Value = str | int | None
Grid = tuple[list[str], list[list[Value]]]

# The reports whose tables carry the seeds' Table 1 percentages: the row's
# share of the whole ("%" column) and the column's ("Percent" row).
CROSS_PERCENT_REPORTS = frozenset({"nationality-by-destination"})

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclasses.dataclass(frozen=True)
class Download:
    """A rendered file, ready to be sent."""

    content: bytes
    filename: str
    content_type: str


def value(cell: Cell) -> Value:
    """A figure as written in a file: the number, or ``<k`` when hidden."""
    return cell.display if cell.hidden else cell.value


def key_text(dimension: Dimension, key: str, labels: str) -> str:
    """How a row or column key is written: the key itself (codes) or its
    label in the active language (names)."""
    if labels == Labels.NAMES:
        return str(dimension.label(key))
    return key


def row_percentages(report: Report, table: Table) -> bool:
    """Whether the table shows each row's share of the whole: the seeds'
    Table 1 and every one-column table (the shares by category)."""
    return report.name in CROSS_PERCENT_REPORTS or len(table.columns) == 1


def column_percentages(report: Report, table: Table) -> bool:
    """Whether the table shows each column's share (Table 1's last row)."""
    return report.name in CROSS_PERCENT_REPORTS and len(table.columns) > 1


def table_grid(table: Table, report: Report, labels: str = Labels.CODES) -> Grid:
    """Headers and rows of ``table`` (the CSV shape): the row title, one
    column per column key, ``Total``; one line per row, then ``Total``."""
    headers = [str(report.rows.title)]
    headers += [key_text(report.columns, column, labels) for column in table.columns]
    headers.append(_("Total"))
    rows: list[list[Value]] = []
    for row in table.rows:
        line: list[Value] = [key_text(report.rows, row, labels)]
        line += [value(table.cell(row, column)) for column in table.columns]
        line.append(value(table.row_totals[row]))
        rows.append(line)
    total: list[Value] = [_("Total")]
    total += [value(table.column_totals[column]) for column in table.columns]
    total.append(value(table.total))
    rows.append(total)
    return headers, rows


def percent_grid(table: Table, report: Report, labels: str = Labels.CODES) -> Grid:
    """The grid with the percentages the report shows: a ``%`` column (the
    row's share) and, for Table 1, a ``Percent`` row (the column's share).
    A share is blank when its figure or the total is hidden."""
    headers, rows = table_grid(table, report, labels)
    if row_percentages(report, table):
        headers.append("%")
        for line, row in zip(rows, table.rows, strict=False):
            line.append(table.row_percent(row))
        rows[-1].append(100 if table.total.value else None)
    if column_percentages(report, table):
        shares: list[Value] = [pgettext("share of the total", "Percent")]
        shares += [table.column_percent(column) for column in table.columns]
        shares.append(100 if table.total.value else None)
        if row_percentages(report, table):
            shares.append(None)
        rows.append(shares)
    return headers, rows


def _safe(text: Value) -> Value:
    """Text a spreadsheet would run as a formula gets a leading apostrophe
    (``<11`` and ``>60`` are not formulas)."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def table_csv(table: Table, report: Report, *, labels: str = Labels.CODES) -> bytes:
    """The table as UTF-8 CSV in the one shape of every CSV download."""
    headers, rows = table_grid(table, report, labels)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_safe(header) for header in headers])
    for row in rows:
        writer.writerow(["" if cell is None else _safe(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _json_value(cell: Cell) -> int | str:
    return cell.display if cell.value is None else cell.value


def table_json(
    table: Table, report: Report, *, labels: str = Labels.CODES,
    filter: ReportFilter | None = None,
) -> bytes:
    """The table as JSON: keys with labels, cells (ints, or ``"<k"`` when
    hidden) row by row, totals, k and ε, and the filter it was counted with."""
    document: dict[str, Any] = {
        "report": report.name,
        "title": str(report.title),
        "unit": str(report.unit),
        "filter": filter.params() if filter is not None else None,
        "k": table.k,
        "noisy": table.noisy,
        "epsilon": table.epsilon,
        "release": table.release_id,
        "rows": [
            {"key": row, "label": key_text(report.rows, row, labels)} for row in table.rows
        ],
        "columns": [
            {"key": column, "label": key_text(report.columns, column, labels)}
            for column in table.columns
        ],
        "cells": [
            [_json_value(table.cell(row, column)) for column in table.columns]
            for row in table.rows
        ],
        "row_totals": [_json_value(table.row_totals[row]) for row in table.rows],
        "column_totals": [_json_value(table.column_totals[column]) for column in table.columns],
        "total": _json_value(table.total),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _organisation_codes(ids: Sequence[int]) -> str:
    from homeward.accounts.models import Organisation

    codes = Organisation.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
    return ", ".join(codes) or "—"


def period_text(filter: ReportFilter) -> str:
    """The period, e.g. "2026-01-01 – 2026-12-31" ("all dates" when open)."""
    if filter.date_from is None and filter.date_to is None:
        return _("all dates")
    start = filter.date_from.isoformat() if filter.date_from else "…"
    end = filter.date_to.isoformat() if filter.date_to else "…"
    return f"{start} – {end}"


def filter_lines(filter: ReportFilter, report: Report | None = None) -> list[str]:
    """The filter in words, one line per setting, in the active language."""
    from homeward.cases.choices import Gender
    from homeward.stats.choices import DateBasis, Family

    lines = [_("Period: %(period)s") % {"period": period_text(filter)}]
    if report is None or report.family == Family.CASES:
        basis = dict(DateBasis.choices).get(filter.basis, filter.basis)
        lines.append(_("Date: %(basis)s") % {"basis": basis})
    if report is None or report.family != Family.CTDC:
        lines.append(_("Organisations: %(codes)s") % {
            "codes": _organisation_codes(filter.organisations)
        })
    if filter.region:
        lines.append(_("Region: %(region)s") % {"region": filter.region})
    if filter.sex:
        sex = dict(Gender.choices).get(filter.sex, filter.sex)
        lines.append(_("Sex: %(sex)s") % {"sex": sex})
    if filter.age_band:
        lines.append(_("Age band: %(band)s") % {"band": filter.age_band})
    if filter.minority:
        minority = dict(Minority.choices).get(filter.minority, filter.minority)
        lines.append(_("Age group: %(group)s") % {"group": minority})
    if report is not None and report.family == Family.CTDC:
        from homeward.stats.reports.ctdc import dataset_of

        dataset = dataset_of(filter)
        lines.append(_("CTDC global reference data — not the coalition's cases: %(label)s") % {
            "label": dataset.label if dataset is not None else "—"
        })
    return lines


def protection_note(table: Table) -> str:
    """How the figures were protected, in one sentence."""
    if table.noisy:
        return _(
            "Differentially private — noisy figures, ε = %(epsilon)s. Totals are sums of "
            "the noisy cells."
        ) % {"epsilon": f"{table.epsilon:g}"}
    if table.k > 1:
        return _(
            "Figures below %(k)s are suppressed (shown as <%(k)s), and further figures where "
            "they would let a suppressed one be worked out from the totals."
        ) % {"k": table.k}
    return _("No figure is suppressed (k = 1): not for publication.")


def filename(report: Report, filter: ReportFilter | None, ext: str) -> str:
    """``<report>_<from>_<to>.<ext>`` (``all`` for an open end)."""
    if filter is None:
        return f"{report.name}.{ext}"
    start = filter.date_from.isoformat() if filter.date_from else "all"
    end = filter.date_to.isoformat() if filter.date_to else "all"
    return f"{report.name}_{start}_{end}.{ext}"


def table_xlsx(
    table: Table, report: Report, *, labels: str = Labels.CODES,
    filter: ReportFilter | None = None,
) -> bytes:
    """The table as a workbook: a title line, the filter, the protection
    note, a blank line, then the grid with its percentages."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = report.name[:31]
    sheet.append([_safe(str(report.title))])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    if filter is not None:
        sheet.append(["; ".join(filter_lines(filter, report))])
    sheet.append([protection_note(table)])
    sheet.append([_("Unit: %(unit)s") % {"unit": report.unit}])
    sheet.append([])
    headers, rows = percent_grid(table, report, labels)
    sheet.append([_safe(header) for header in headers])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    for cell in sheet[header_row + len(table.rows) + 1]:  # the Total line
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
