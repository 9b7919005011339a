"""From counts to a publishable :class:`~homeward.stats.tables.Table`.

Every page, download, PDF, API answer and command-line table goes through
here (via ``services.figures``): the counts of a report are suppressed with
threshold ``k`` (small cells and totals, plus complementary suppression, see
``suppression``), or — for a differentially private release — read back as
the noisy table recorded with the release. Nothing here audits: the callers
record who saw or exported what.
"""

from __future__ import annotations

from homeward.stats.filters import ReportFilter
from homeward.stats.models import Release
from homeward.stats.reports import Report
from homeward.stats.suppression import Mask, suppress_grid
from homeward.stats.tables import Cell, Counts, Table


def publish(*, report: Report, filter: ReportFilter, k: int) -> Table:
    """``report`` counted under ``filter``, suppressed with threshold ``k``
    (1: nothing hidden). No audit, no access check: see ``services.figures``."""
    return table_of(name=report.name, counts=report.count(filter), k=k)


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
