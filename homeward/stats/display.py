"""A published table as the pages show it: its lines and its chart.

Shared by the report pages and the release pages (the same table, the same
chart), from a :class:`~homeward.stats.tables.Table` only — published
figures, never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeward.stats.reports import Report
from homeward.stats.tables import Cell, Table


@dataclass(frozen=True)
class Line:
    """One row (or column) of the page's table: its key, label, cells,
    total and share of the whole (None when a figure is hidden)."""

    key: str
    label: str
    cells: list[Cell]
    total: Cell
    percent: int | None


def row_lines(table: Table, report: Report) -> list[Line]:
    """The table's rows with their cells, totals and shares."""
    return [
        Line(key=row, label=report.rows.label(row),
             cells=[table.cell(row, column) for column in table.columns],
             total=table.row_totals[row], percent=table.row_percent(row))
        for row in table.rows
    ]


def column_lines(table: Table, report: Report) -> list[Line]:
    """The table's columns with their totals and shares (no cells)."""
    return [
        Line(key=column, label=report.columns.label(column), cells=[],
             total=table.column_totals[column], percent=table.column_percent(column))
        for column in table.columns
    ]


def chart_data(table: Table, report: Report) -> dict[str, Any]:
    """What ``report-chart.js`` draws: a bar per row (the row totals) or, for
    a stacked chart, a segment per column. A hidden figure is null (no bar);
    the table under the chart shows it as "<k"."""
    labels = [report.rows.label(row) for row in table.rows]
    if report.chart == "stacked" and len(table.columns) > 1:
        series = [
            {"label": report.columns.label(column),
             "values": [table.cell(row, column).value for row in table.rows]}
            for column in table.columns
        ]
    else:
        series = [{"label": str(report.unit),
                   "values": [table.row_totals[row].value for row in table.rows]}]
    return {"kind": report.chart, "labels": labels, "series": series,
            "totals": [table.row_totals[row].value for row in table.rows]}
