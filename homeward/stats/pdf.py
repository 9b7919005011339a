"""Published tables as PDF: one report, or the statistical abstract.

Drawn with reportlab alone (no network, no matplotlib): the vendored DejaVu
fonts carry Cyrillic, charts are ``reportlab.graphics`` bar charts, and
wide tables get a landscape page. A chart keeps the largest categories and
gathers the rest under "Other" — only in the chart: the table below it
always lists every row. Suppressed figures are drawn as zero.

Everything is rendered from :class:`~homeward.stats.tables.Table` values
(published figures) under ``translation.override(language)``.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import (  # type: ignore[import-untyped]
    BarChart,
    HorizontalBarChart,
    VerticalBarChart,
)
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from homeward.stats.choices import DateBasis, Labels
from homeward.stats.filters import ReportFilter
from homeward.stats.render import (
    column_percentages,
    filter_lines,
    percent_grid,
    period_text,
    protection_note,
    row_percentages,
)
from homeward.stats.reports import Report
from homeward.stats.tables import Table

Progress = Callable[[int, int], None]

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent / "fonts"

MARGIN = 15 * mm
# The bars a chart draws before gathering the rest under "Other", and the
# stacked segments (columns) it tells apart in its legend.
CHART_BARS = 15
CHART_SEGMENTS = 8
# A table with more columns than this (the label, the figures, the total and
# the share) is set on a landscape page.
PORTRAIT_COLUMNS = 9
# The narrowest figure column; wider tables are split into column blocks.
MIN_COLUMN_WIDTH = 11 * mm
CELL_PADDING = 3
PALETTE = [
    colors.HexColor(code) for code in (
        "#1f5f8b", "#e07b39", "#3a9d5d", "#c0392b", "#7d5ba6", "#8c6d46", "#d17fb5",
        "#6b7b8c", "#b5a82f", "#2fa7b5",
    )
]
OTHER_COLOUR = colors.HexColor("#bbbbbb")
HIDDEN_COLOUR = colors.HexColor("#777777")
HIDDEN_SEGMENT_COLOUR = colors.HexColor("#d5dae0")


@functools.cache
def register_fonts() -> None:
    """Register the vendored DejaVu fonts with reportlab (once per process)."""
    from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]

    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10,
                                textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=22,
                                leading=28, spaceAfter=14, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16,
                                   alignment=TA_CENTER, spaceAfter=6),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18,
                             spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", parent=base, fontSize=6.5, leading=8),
        "head_figure": ParagraphStyle("head_figure", parent=base, fontSize=6.5, leading=8,
                                      alignment=TA_RIGHT),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), _styles()[style])


# --- charts -----------------------------------------------------------------------------


def _shorten(text: str, length: int = 28) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _nice_step(top: int) -> int:
    """A round step giving at most eight ticks up to ``top``."""
    step = 1
    while top / step > 8:
        for factor in (2, 5, 10):
            if top / (step * factor) <= 8:
                return step * factor
        step *= 10
    return step


@dataclasses.dataclass(frozen=True)
class ChartData:
    names: list[str]  # the bars (rows)
    series: list[str]  # the segments (columns), or the unit for a plain bar chart
    values: list[list[int]]  # values[series][bar]
    # Whether the last series gathers the smaller columns ("Other").
    other_series: bool = False
    # Whether the very last series is the hidden part of shown row totals.
    hidden_series: bool = False
    # How many rows are left out because their figures are hidden.
    left_out: int = 0


def chart_series(
    table: Table, report: Report, *, bars: int = CHART_BARS, segments: int = CHART_SEGMENTS
) -> ChartData:
    """What the chart draws: category names (rows), series names (columns,
    or one series of row totals for a plain bar chart) and the values
    (``values[series][category]``), with the rows beyond the ``bars``
    largest and the columns beyond the ``segments`` largest gathered under
    "Other". The order of the table is kept.

    Only published figures are drawn: a row with a hidden figure and nothing
    else to draw is left out (a row of true zeros stays); in a stacked
    chart, the part of a shown row total that lies in hidden cells (the
    total minus the shown cells — itself worked out from published figures)
    is one grey "hidden" segment."""

    def shown(cell_value: int | None) -> int:
        return cell_value or 0

    stacked = report.chart == "stacked" and len(table.columns) > 1
    if stacked:
        by_size = sorted(table.columns, key=lambda c: -shown(table.column_totals[c].value))
        kept_columns = set(by_size[:segments]) if len(table.columns) > segments + 1 else set(
            table.columns)
        columns = [column for column in table.columns if column in kept_columns]
        rest_columns = [column for column in table.columns if column not in kept_columns]
    else:
        columns, rest_columns = [], []

    def hidden_part(row: str) -> int:
        total = table.row_totals[row].value
        if not stacked or total is None:
            return 0
        return max(0, total - sum(shown(table.cell(row, column).value)
                                  for column in table.columns))

    def row_values(row: str) -> list[int]:
        if not stacked:
            return [shown(table.row_totals[row].value)]
        values = [shown(table.cell(row, column).value) for column in columns]
        if rest_columns:
            values.append(sum(shown(table.cell(row, column).value) for column in rest_columns))
        return [*values, hidden_part(row)]

    def has_hidden(row: str) -> bool:
        return table.row_totals[row].hidden or any(
            table.cell(row, column).hidden for column in table.columns)

    drawn = [row for row in table.rows if sum(row_values(row)) or not has_hidden(row)]
    left_out = len(table.rows) - len(drawn)
    if len(drawn) > bars + 1:
        by_size = sorted(drawn, key=lambda r: -sum(row_values(r)))
        kept = set(by_size[:bars])
        rows = [row for row in drawn if row in kept]
        rest = [row for row in drawn if row not in kept]
    else:
        rows, rest = drawn, []
    names = [str(report.rows.label(row)) for row in rows]
    per_row = [row_values(row) for row in rows]
    if rest:
        names.append(_("Other (%(count)s)") % {"count": len(rest)})
        gathered = [row_values(row) for row in rest]
        per_row.append([sum(values) for values in zip(*gathered, strict=True)])
    if stacked:
        series = [str(report.columns.label(column)) for column in columns]
        if rest_columns:
            series.append(_("Other (%(count)s)") % {"count": len(rest_columns)})
        series.append(_("Hidden counts, together"))
    else:
        series = [str(report.unit)]
    values = [[line[index] for line in per_row] for index in range(len(series))]
    hidden_series = stacked and any(values[-1])
    other_series = bool(rest_columns)
    if stacked:
        # A segment with nothing to draw has no place in the legend. The
        # "Other" segment comes just before the hidden one (always last).
        other_index = len(series) - 2 if rest_columns else -1
        keep = [index for index in range(len(series)) if any(values[index])] or [0]
        other_series = other_index in keep
        series = [series[index] for index in keep]
        values = [values[index] for index in keep]
    return ChartData(names, series, values, other_series, hidden_series, left_out)


def chart_drawing(table: Table, report: Report, width: float) -> Drawing | None:
    """A bar chart of ``table`` (stacked when the report says so), with a
    legend for stacked charts; None for an empty table."""
    if not table.rows:
        return None
    data = chart_series(table, report)
    names, series, values = data.names, data.series, data.values
    if not names or not any(map(any, values)):
        return None
    stacked = len(series) > 1 or data.hidden_series
    legend_width = 130 if stacked else 0
    horizontal = len(names) > 12 or max(len(name) for name in names) > 10
    top = max((sum(column) for column in zip(*values, strict=True)), default=0)
    step = _nice_step(max(top, 1))
    chart: BarChart
    if horizontal:
        height = max(70, 15 * len(names) + 40, 10 * len(series) + 25 if stacked else 0)
        label_width = min(190, max(pdfmetrics.stringWidth(_shorten(name, 40), FONT, 7)
                                   for name in names) + 8)
        chart = HorizontalBarChart()
        chart.x, chart.y = label_width, 25
        chart.width = width - label_width - legend_width - 20
        chart.height = height - 35
        chart.categoryAxis.reverseDirection = 1
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
    else:
        height = 190
        chart = VerticalBarChart()
        chart.x, chart.y = 35, 45
        chart.width = width - 45 - legend_width - 10
        chart.height = height - 60
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.dx = 4
        chart.categoryAxis.labels.dy = -4
    drawing = Drawing(width, height)
    chart.data = values
    chart.categoryAxis.categoryNames = [_shorten(name, 40 if horizontal else 28)
                                        for name in names]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step, -(-top // step) * step)
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.strokeColor = None
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing = 1
    chart.groupSpacing = 4
    last = len(series) - 1
    for index in range(len(series)):
        hidden = data.hidden_series and index == last
        other = data.other_series and index == last - int(data.hidden_series)
        chart.bars[index].fillColor = (
            HIDDEN_SEGMENT_COLOUR if hidden
            else OTHER_COLOUR if other else PALETTE[index % len(PALETTE)]
        )
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if stacked:
        legend = Legend()
        legend.fontName, legend.fontSize = FONT, 7
        legend.x, legend.y = width - legend_width + 5, height - 5
        legend.boxAnchor = "nw"
        legend.alignment = "right"
        legend.columnMaximum = 20
        legend.dx = legend.dy = 7
        legend.deltay = 10
        legend.colorNamePairs = [
            (chart.bars[index].fillColor, _shorten(name, 30)) for index, name in enumerate(series)
        ]
        drawing.add(legend)
    else:
        drawing.add(String(width - 5, height - 10, str(report.unit), fontName=FONT,
                           fontSize=7, textAnchor="end", fillColor=HIDDEN_COLOUR))
    return drawing


# --- tables -----------------------------------------------------------------------------


def table_is_wide(table: Table, report: Report) -> bool:
    """Whether the table needs a landscape page (an empty one never does)."""
    if not table.rows:
        return False
    extra = 2 + int(row_percentages(report, table))
    return len(table.columns) + extra > PORTRAIT_COLUMNS


def table_flowables(table: Table, report: Report, width: float) -> list[Flowable]:
    """The table (names, not codes) with its percentages, split into blocks
    of columns when it is wider than the page (each block repeats the row
    names); long tables continue on the next page under their header."""
    if not table.rows:
        return [_p(_("No records match this filter."), "small")]
    headers, rows = percent_grid(table, report, Labels.NAMES)
    if len(table.columns) == 1:
        # One column (the unit): its "Total" column would only repeat it.
        headers = headers[:2] + headers[3:]
        rows = [line[:2] + line[3:] for line in rows]
    styles = _styles()
    ncols = len(headers)
    label_width = min(width * (0.55 if ncols <= 3 else 0.3), max(
        [pdfmetrics.stringWidth(str(line[0]), FONT, 7.5) for line in rows]
        + [pdfmetrics.stringWidth(headers[0], FONT_BOLD, 7)]
    ) + 2 * CELL_PADDING + 2)
    label_width = max(label_width, 22 * mm)
    room = width - label_width
    # A column is as wide as its longest header word (never broken) needs.
    head = styles["head"]
    longest_word = max(
        (pdfmetrics.stringWidth(word, head.fontName, head.fontSize)
         for header in headers[1:] for word in header.split()),
        default=0.0,
    )
    narrowest = min(max(MIN_COLUMN_WIDTH, longest_word + 2 * CELL_PADDING + 1), 22 * mm)
    per_block = max(1, int(room // narrowest))
    figure_columns = list(range(1, ncols))
    blocks = [figure_columns[start:start + per_block]
              for start in range(0, len(figure_columns), per_block)]
    flowables: list[Flowable] = []
    total_row = len(table.rows) + 1  # header is row 0
    shares_row = column_percentages(report, table) and row_percentages(report, table)
    for number, block in enumerate(blocks):
        column_width = min(room / len(block), 22 * mm)
        data: list[list[Any]] = [[Paragraph(escape(headers[0]), styles["head"])] + [
            Paragraph(escape(headers[index]), styles["head_figure"]) for index in block
        ]]
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEABOVE", (0, total_row), (-1, total_row), 0.8, colors.black),
            ("FONT", (0, total_row), (-1, total_row), FONT_BOLD, 7.5),
            ("ROWBACKGROUNDS", (0, 1), (-1, total_row - 1),
             [colors.white, colors.HexColor("#f3f5f7")]),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for line_number, line in enumerate(rows, start=1):
            cells: list[Any] = [Paragraph(escape(str(line[0])), styles["cell"])]
            for position, index in enumerate(block, start=1):
                figure = line[index]
                # A share not shown is "–", as on the page; the Percent row
                # has no share of its own (blank).
                corner = shares_row and line_number == len(rows) and index == ncols - 1
                cells.append(str(figure) if figure is not None else "" if corner else "–")
                if isinstance(figure, str) and figure.startswith("<"):
                    commands.append(("TEXTCOLOR", (position, line_number),
                                     (position, line_number), HIDDEN_COLOUR))
            data.append(cells)
        if column_percentages(report, table):
            commands.append(("FONT", (0, len(rows)), (-1, len(rows)), FONT, 7))
            commands.append(("TEXTCOLOR", (0, len(rows)), (-1, len(rows)), HIDDEN_COLOUR))
        grid = PdfTable(data, colWidths=[label_width] + [column_width] * len(block),
                        repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle(commands))
        if number:
            flowables.append(Spacer(1, 4 * mm))
        flowables.append(grid)
    return flowables


def report_flowables(table: Table, report: Report, width: float) -> list[Flowable]:
    """One report's section: title, unit and protection, chart, table,
    method note."""
    flowables: list[Flowable] = [
        _p(str(report.title), "h1"),
        _p(_("Unit: %(unit)s") % {"unit": report.unit}, "small"),
        _p(protection_note(table), "small"),
        Spacer(1, 3 * mm),
    ]
    drawing = chart_drawing(table, report, width)
    if drawing is not None:
        flowables.append(drawing)
        note = _("Chart: the largest categories; the others are gathered as “Other” "
                 "(the table lists every one).")
        if table.suppressed:
            note += " " + _("Only published figures are drawn: rows whose figures are hidden "
                            "are left out, and the hidden part of a shown total is drawn in "
                            "grey.")
        flowables += [_p(note, "small"), Spacer(1, 3 * mm)]
    elif table.rows and table.suppressed:
        flowables += [_p(_("No chart: every figure large enough to draw is hidden; the table "
                           "shows them as “<%(k)s”.") % {"k": table.k}, "small"),
                      Spacer(1, 3 * mm)]
    flowables += table_flowables(table, report, width)
    flowables += [
        _p(_("Method"), "h2"),
        _p(str(report.method), "small"),
    ]
    return flowables


# --- documents --------------------------------------------------------------------------


def _width(orientation: str) -> float:
    size = landscape(A4) if orientation == "landscape" else A4
    return float(size[0] - 2 * MARGIN)


def _document(out: io.BytesIO, *, title: str, first: str, compress: bool) -> BaseDocTemplate:
    footer = _("Homeward — %(title)s") % {"title": title}

    def on_page(canvas: Any, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(HIDDEN_COLOUR)
        canvas.drawString(MARGIN, 8 * mm, _shorten(footer, 110))
        canvas.drawRightString(canvas._pagesize[0] - MARGIN, 8 * mm, str(doc.page))
        canvas.restoreState()

    templates = []
    for orientation in ("portrait", "landscape"):
        size = landscape(A4) if orientation == "landscape" else A4
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN,
                      id=orientation, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        templates.append(PageTemplate(id=orientation, frames=[frame], pagesize=size,
                                      onPage=on_page))
    templates.sort(key=lambda template: template.id != first)
    return BaseDocTemplate(
        out, pagesize=A4, pageTemplates=templates, title=title, author="Homeward",
        creator="Homeward", lang=translation.get_language() or "en",
        pageCompression=int(compress), invariant=1,
    )


def _made_line(made: datetime.datetime | None) -> str:
    made = made or timezone.now()
    return _("Made on %(date)s") % {"date": timezone.localtime(made).strftime("%Y-%m-%d %H:%M")}


def report_story(table: Table, report: Report, filter: ReportFilter) -> tuple[str, list[Flowable]]:
    """The page template the report starts on and its flowables (under the
    active language)."""
    orientation = "landscape" if table_is_wide(table, report) else "portrait"
    width = _width(orientation)
    story: list[Flowable] = [_p(line, "small") for line in filter_lines(filter, report)]
    story += [_p(_made_line(None), "small"), Spacer(1, 3 * mm)]
    story += report_flowables(table, report, width)
    return orientation, story


def report_pdf(
    table: Table, report: Report, filter: ReportFilter, language: str,
    *, compress: bool = True,
) -> bytes:
    """One report as a PDF: the filter, the chart, the table (with its
    percentages) and the method note, in ``language``."""
    register_fonts()
    with translation.override(language):
        orientation, story = report_story(table, report, filter)
        out = io.BytesIO()
        document = _document(out, title=str(report.title), first=orientation, compress=compress)
        document.build(story)
    return out.getvalue()


def method_flowables(k: int, filter: ReportFilter) -> list[Flowable]:
    """The abstract's closing "Method" section."""
    basis = dict(DateBasis.choices).get(filter.basis, filter.basis)
    paragraphs = [
        _("Small-cell suppression: every figure — cells and totals — below k = %(k)s is "
          "suppressed and shown as “<%(k)s”; zeros are shown.") % {"k": k},
        _("Complementary suppression: further figures are hidden in each row, each column "
          "and among the totals, so that no suppressed figure can be worked out from the "
          "published ones by subtraction; where a line's total is shown, its hidden figures "
          "add up to zero or to at least k."),
        _("Consent: a case whose person refused or withdrew consent to the use of their data "
          "for statistics is never counted. A case with no recorded decision is counted: the "
          "figures are aggregated and suppressed and identify nobody."),
        _("Cases: only victims' cases are counted (missing-person cases are not). Cases are "
          "placed in the period by their %(basis)s — registration: the date the case was "
          "opened; identification: its earliest identification step, else the registration "
          "date. Ages are counted at that date from the year of birth; minors are under 18.")
        % {"basis": str(basis).lower()},
        _("Several categories: a person recorded in several categories (for example two "
          "citizenships or two forms of exploitation) is counted in each, so totals — always "
          "the sums of the cells — may exceed the number of persons."),
        _("Differentially private (noisy) releases are not included in this abstract: its "
          "figures are exact counts with suppression. CTDC global reference data is not "
          "included either: it is never mixed with the coalition's own cases."),
    ]
    flowables: list[Flowable] = [_p(_("Method"), "h1")]
    flowables += [item for text in paragraphs for item in (_p(text), Spacer(1, 2 * mm))]
    return flowables


def abstract_story(
    tables: Sequence[tuple[Report, Table]], filter: ReportFilter,
    *, k: int, made: datetime.datetime | None = None, progress: Progress | None = None,
) -> list[Flowable]:
    """The abstract's flowables (under the active language): title page,
    one section per report, the method section."""
    story: list[Flowable] = [
        Spacer(1, 50 * mm),
        _p(_("Statistical abstract"), "title"),
        _p(period_text(filter), "subtitle"),
        Spacer(1, 10 * mm),
    ]
    story += [_p(line) for line in filter_lines(filter)]
    story += [
        _p(_("Figures below %(k)s are suppressed.") % {"k": k} if k > 1
           else _("No figure is suppressed (k = 1): not for publication.")),
        _p(_made_line(made)),
        Spacer(1, 10 * mm),
        _p(_("Contents"), "h2"),
    ]
    story += [_p(f"{number}. {report.title}", "small")
              for number, (report, _table) in enumerate(tables, start=1)]
    total = len(tables)
    for number, (report, table) in enumerate(tables, start=1):
        orientation = "landscape" if table_is_wide(table, report) else "portrait"
        story += [NextPageTemplate(orientation), PageBreak()]
        section = report_flowables(table, report, _width(orientation))
        story.append(KeepTogether(section[:4]))
        story += section[4:]
        if progress is not None:
            progress(number, total + 1)
    story += [NextPageTemplate("portrait"), PageBreak()]
    story += method_flowables(k, filter)
    return story


def abstract_pdf(
    tables: Sequence[tuple[Report, Table]], filter: ReportFilter, language: str,
    progress: Progress | None = None, *, k: int | None = None,
    made: datetime.datetime | None = None, compress: bool = True,
) -> bytes:
    """The statistical abstract: a title page (period, organisations, k,
    date made), each report (title, chart, table, method note) and the
    method section, in ``language``. ``progress(done, total)`` is called
    after each report and once the document is built."""
    register_fonts()
    if k is None:
        k = tables[0][1].k if tables else 1
    total = len(tables) + 1
    with translation.override(language):
        story = abstract_story(tables, filter, k=k, made=made, progress=progress)
        out = io.BytesIO()
        document = _document(out, title=_("Statistical abstract"), first="portrait",
                             compress=compress)
        document.build(story)
    if progress is not None:
        progress(total, total)
    return out.getvalue()


