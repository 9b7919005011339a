"""From counts to a publishable :class:`~homeward.stats.tables.Table`.

Every page, download, PDF, API answer and command-line table goes through
here (via ``services.figures``): the counts of a report are suppressed with
threshold ``k`` (small cells and totals, plus complementary suppression, see
``suppression``), or — for a differentially private release — read back as
the noisy table recorded with the release. Nothing here audits: the callers
record who saw or exported what.
"""

from __future__ import annotations

from homeward.stats.choices import OTHERS, UNKNOWN
from homeward.stats.filters import ReportFilter
from homeward.stats.models import Release
from homeward.stats.reports import Report
from homeward.stats.suppression import Mask, suppress_grid
from homeward.stats.tables import Cell, Counts, Table


def publish(*, report: Report, filter: ReportFilter, k: int) -> Table:
    """``report`` counted under ``filter``, suppressed with threshold ``k``
    (1: nothing hidden). No audit, no access check: see ``services.figures``.

    In an open dimension (cities, regions as recorded: no ``categories``) a
    row or column is itself a clue — "Small town: <11" says someone from
    there is counted — so with k > 1 the rows (columns) whose total is below
    k are folded into one ``OTHERS`` row (column) before suppression."""
    counts = report.count(filter)
    if k > 1:
        counts = fold_small(counts, k, rows=report.rows.categories is None,
                            columns=report.columns.categories is None)
    return table_of(name=report.name, counts=counts, k=k)


def fold_small(counts: Counts, k: int, *, rows: bool, columns: bool) -> Counts:
    """``counts`` with the rows (when ``rows``) and columns (when ``columns``)
    whose total is from 1 to k-1 merged into ``OTHERS``, kept last (before
    ``UNKNOWN``). Totals are unchanged."""

    def merged(keys: list[str], total_of: dict[str, int]) -> dict[str, str]:
        small = [key for key in keys if key not in (UNKNOWN, OTHERS) and 0 < total_of[key] < k]
        return dict.fromkeys(small, OTHERS)

    row_totals = {row: sum(counts.value(row, column) for column in counts.columns)
                  for row in counts.rows}
    column_totals = {column: sum(counts.value(row, column) for row in counts.rows)
                     for column in counts.columns}
    row_map = merged(counts.rows, row_totals) if rows else {}
    column_map = merged(counts.columns, column_totals) if columns else {}
    if not row_map and not column_map:
        return counts

    def order(keys: list[str], mapping: dict[str, str]) -> list[str]:
        kept = [key for key in keys if key not in mapping and key not in (OTHERS, UNKNOWN)]
        tail = [OTHERS] if mapping or OTHERS in keys else []
        return kept + tail + ([UNKNOWN] if UNKNOWN in keys else [])

    cells: dict[tuple[str, str], int] = {}
    for (row, column), value in counts.cells.items():
        key = (row_map.get(row, row), column_map.get(column, column))
        cells[key] = cells.get(key, 0) + value
    return Counts(rows=order(counts.rows, row_map), columns=order(counts.columns, column_map),
                  cells=cells, units=counts.units)


def table_of(*, name: str, counts: Counts, k: int) -> Table:
    """The table of ``counts`` with every figure below ``k`` hidden and the
    complementary figures needed so that none can be worked out from the
    others. Totals are the sums of the raw cells."""
    if k < 1:
        raise ValueError("k must be at least 1")
    rows, columns = list(counts.rows), list(counts.columns)
    matrix = counts.matrix()
    if rows and columns:
        mask = suppress_grid(matrix, k)
    else:
        # No cell at all: every total is zero, and zeros are shown.
        mask = Mask(cells=tuple(() for _ in rows), rows=(False,) * len(rows),
                    columns=(False,) * len(columns), total=False)

    def cell(value: int, hidden: bool) -> Cell:
        return Cell(None if hidden else value, k)

    return Table(
        name=name,
        rows=tuple(rows),
        columns=tuple(columns),
        cells={
            (row, column): cell(matrix[i][j], mask.cells[i][j])
            for i, row in enumerate(rows)
            for j, column in enumerate(columns)
        },
        row_totals={row: cell(sum(matrix[i]), mask.rows[i]) for i, row in enumerate(rows)},
        column_totals={
            column: cell(sum(line[j] for line in matrix), mask.columns[j])
            for j, column in enumerate(columns)
        },
        total=cell(sum(map(sum, matrix)), mask.total),
        k=k,
    )


def noisy_table(*, name: str, counts: Counts, epsilon: float,
                release_id: int | None = None) -> Table:
    """The table of already noisy ``counts`` (nothing hidden, totals summed
    from the noisy cells, labelled with ``epsilon``)."""
    table = table_of(name=name, counts=counts, k=1)
    return Table(
        name=table.name, rows=table.rows, columns=table.columns, cells=table.cells,
        row_totals=table.row_totals, column_totals=table.column_totals, total=table.total,
        k=1, epsilon=epsilon, release_id=release_id,
    )


def release_counts(release: Release) -> Counts:
    """The noisy counts recorded with ``release``."""
    rows = [str(row) for row in release.table.get("rows", [])]
    columns = [str(column) for column in release.table.get("columns", [])]
    grid = release.table.get("cells", [])
    return Counts(
        rows=rows,
        columns=columns,
        cells={
            (row, column): int(grid[i][j])
            for i, row in enumerate(rows)
            for j, column in enumerate(columns)
        },
    )


def release_table(release: Release) -> Table:
    """The table ``release`` published: the same noisy figures every time,
    ``epsilon`` set, nothing suppressed (k = 1)."""
    return noisy_table(name=release.report, counts=release_counts(release),
                       epsilon=release.epsilon, release_id=release.pk)
