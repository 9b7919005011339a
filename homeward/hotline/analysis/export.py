"""Any analysis table as CSV or XLSX: suppressed values only, with header
lines naming the period, the organisations and k."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook  # type: ignore[import-untyped]

from homeward.hotline.analysis.campaigns import CampaignAnalysis
from homeward.hotline.analysis.regions import Ranking
from homeward.hotline.analysis.suppression import Cell
from homeward.hotline.analysis.tables import Table

Value = str | int | float | None
Grid = tuple[list[str], list[list[Value]]]


def _cell(cell: Cell) -> Value:
    return cell.display if cell.hidden else cell.value


def table_grid(table: Table) -> Grid:
    rows: list[list[Value]] = [[row.label, _cell(row.count)] for row in table.rows]
    rows.append([_("Total"), _cell(table.total)])
    return [table.column, _("Contacts")], rows


def ranking_grid(ranking: Ranking) -> Grid:
    headers = [ranking.column, _("Contacts"), _("Previous period"),
               pgettext("analysis: difference to the previous period", "Change"),
               pgettext("analysis: difference to the previous period", "Change (%)")]
    rows: list[list[Value]] = [
        [row.label, _cell(row.count), _cell(row.previous), row.change, row.change_percent]
        for row in ranking.rows
    ]
    rows.append([_("Total"), _cell(ranking.total), _cell(ranking.previous_total), None, None])
    return headers, rows


def campaigns_grid(analyses: Sequence[CampaignAnalysis]) -> Grid:
    headers = [_("Campaign"), _("Phase"), _("From"), _("To"), _("Days"), _("Contacts"),
               _("Per day")]
    rows: list[list[Value]] = []
    for analysis in analyses:
        for phase in analysis.phases:
            rows.append([
                analysis.campaign.name, phase.label, phase.starts_on.isoformat(),
                phase.ends_on.isoformat(), phase.days, _cell(phase.total), phase.daily_average,
            ])
    return headers, rows


def _safe(value: Value) -> Value:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(preamble: Sequence[Sequence[str]], grid: Grid) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow([_safe(value) for value in line])
    writer.writerow([])
    headers, rows = grid
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else _safe(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(preamble: Sequence[Sequence[str]], grid: Grid, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = title[:31]
    for line in preamble:
        sheet.append([_safe(value) for value in line])
    sheet.append([])
    headers, rows = grid
    sheet.append(headers)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
