"""The shapes every report passes through.

A report counts (:class:`Counts`: raw integers, never shown); publication
turns the counts into a :class:`Table` whose cells and totals are
:class:`Cell` values — suppressed (``<k``) or, for a differentially private
release, noisy. Pages, downloads, the PDF, the CLI and the API only ever
see a ``Table``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from homeward.stats.filters import ReportFilter

# The full list of a dimension's keys under a filter, known before any record
# is read.
Categories = Callable[["ReportFilter"], Sequence[str]]


@dataclasses.dataclass(frozen=True)
class Dimension:
    """The rows or the columns of a report: a title and how a key reads.

    ``label(key)`` is called under the language being rendered; ``countries``
    marks ISO 3166-1 alpha-2 keys (downloads write the code unless names
    are asked for).

    ``categories`` makes the dimension *closed*: every key it can have,
    fixed before any record is read (a picklist, the age bands, the months of
    the period, the network's shelters, or for countries the public list of
    ``HOMEWARD_DP_COUNTRIES`` with the others folded together). A
    differentially private release shows exactly these keys, so that which
    rows and columns it has reveals nothing about who is in the records; a
    report with an open dimension (cities, free-text regions) has no noisy
    release.
    """

    title: Promise | str
    label: Callable[[str], str]
    countries: bool = False
    categories: Categories | None = None


@dataclasses.dataclass
class Counts:
    """Raw counts of one report: ``cells[(row, column)]`` (missing = 0).

    ``rows`` and ``columns`` are the keys in display order; totals are always
    the sums of the cells (a person counted in two categories counts twice
    in the totals, as in the seeds' Table 2).
    """

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int]
    # Distinct persons (contacts, stays …) behind the table, for the notes.
    units: int = 0

    def value(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def matrix(self) -> list[list[int]]:
        return [[self.value(row, column) for column in self.columns] for row in self.rows]


@dataclasses.dataclass(frozen=True)
class Cell:
    """One published figure: ``value`` is None when suppressed."""

    value: int | None
    k: int = 1

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        return f"<{self.k}" if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.display


def percent(part: Cell, whole: Cell) -> int | None:
    """``part`` in per cent of ``whole``, rounded; None when either is hidden
    or the whole is zero (a percentage never reveals a suppressed cell)."""
    if part.value is None or whole.value is None or whole.value == 0:
        return None
    return int(100 * part.value / whole.value + 0.5)


@dataclasses.dataclass(frozen=True)
class Table:
    """A report as it may be published.

    ``k`` is the suppression threshold used (1: none); ``epsilon`` is set
    for a differentially private release (then nothing is suppressed and
    every figure is noisy).
    """

    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    total: Cell
    k: int = 1
    epsilon: float | None = None
    release_id: int | None = None

    @property
    def noisy(self) -> bool:
        return self.epsilon is not None

    @property
    def suppressed(self) -> int:
        """How many figures (cells and totals) are hidden."""
        figures = [*self.cells.values(), *self.row_totals.values(),
                   *self.column_totals.values(), self.total]
        return sum(1 for cell in figures if cell.hidden)

    def cell(self, row: str, column: str) -> Cell:
        return self.cells[(row, column)]

    def row_percent(self, row: str) -> int | None:
        """The row's share of the whole (the seeds' "%" column)."""
        return percent(self.row_totals[row], self.total)

    def column_percent(self, column: str) -> int | None:
        """The column's share of the whole (the seeds' "Percent" row)."""
        return percent(self.column_totals[column], self.total)
