"""Small-cell and complementary suppression (``suppression.suppress_grid``).

The property tests check the published table with an independent exact
solver: for each hidden figure, whether the published line equations (each
row, column and total line sums to its total) fix its value — its unit
vector lies in the row space of the constraint matrix restricted to the
hidden unknowns — by Gaussian elimination over ``Fraction``.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.stats.suppression import Mask, suppress_grid

Figure = tuple[str, int, int]


def figures(cells: list[list[int]]) -> dict[Figure, int]:
    """Every figure of the table with its totals: cells, row totals, column
    totals and the grand total."""
    m, n = len(cells), len(cells[0])
    values: dict[Figure, int] = {}
    for i in range(m):
        for j in range(n):
            values[("cell", i, j)] = cells[i][j]
        values[("row", i, 0)] = sum(cells[i])
    for j in range(n):
        values[("column", j, 0)] = sum(cells[i][j] for i in range(m))
    values[("total", 0, 0)] = sum(map(sum, cells))
    return values


def hidden_figures(mask: Mask) -> set[Figure]:
    hidden: set[Figure] = {
        ("cell", i, j) for i, row in enumerate(mask.cells) for j, flag in enumerate(row) if flag
    }
    hidden |= {("row", i, 0) for i, flag in enumerate(mask.rows) if flag}
    hidden |= {("column", j, 0) for j, flag in enumerate(mask.columns) if flag}
    if mask.total:
        hidden.add(("total", 0, 0))
    return hidden


def lines(m: int, n: int) -> list[tuple[list[Figure], Figure]]:
    """Each published equation: the figures of a line and its total."""
    result: list[tuple[list[Figure], Figure]] = []
    for i in range(m):
        result.append(([("cell", i, j) for j in range(n)], ("row", i, 0)))
    for j in range(n):
        result.append(([("cell", i, j) for i in range(m)], ("column", j, 0)))
    result.append(([("column", j, 0) for j in range(n)], ("total", 0, 0)))
    result.append(([("row", i, 0) for i in range(m)], ("total", 0, 0)))
    return result


def determined(m: int, n: int, hidden: set[Figure]) -> set[Figure]:
    """The hidden figures whose value the published figures fix."""
    unknowns = sorted(hidden)
    column_of = {figure: index for index, figure in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for members, total in lines(m, n):
        row = [Fraction(0)] * len(unknowns)
        for figure in members:
            if figure in column_of:
                row[column_of[figure]] += 1
        if total in column_of:
            row[column_of[total]] -= 1
        matrix.append(row)
    # Reduced row echelon form.
    pivots: list[tuple[int, int]] = []
    rank = 0
    for column in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append((rank, column))
        rank += 1
    # e_h is in the row space iff h is a pivot column whose row is e_h itself.
    return {
        unknowns[column]
        for r, column in pivots
        if all(value == 0 for c, value in enumerate(matrix[r]) if c != column)
    }


def assert_safe(cells: list[list[int]], k: int, mask: Mask) -> None:
    m, n = len(cells), len(cells[0])
    values = figures(cells)
    hidden = hidden_figures(mask)
    # Primary: every figure in 1..k-1 is hidden; zeros of a line with nothing
    # hidden are shown.
    for figure, value in values.items():
        if 1 <= value < k:
            assert figure in hidden, (figure, value)
    # Nothing determined by subtraction (or any other linear combination).
    assert determined(m, n, hidden) == set()
    for members, total in lines(m, n):
        line_hidden = [figure for figure in [*members, total] if figure in hidden]
        # (a) no line hides exactly one figure.
        assert len(line_hidden) != 1
        # (b) where the total is shown, the hidden cells sum to 0 or >= k.
        if total not in hidden:
            hidden_sum = sum(values[figure] for figure in members if figure in hidden)
            assert hidden_sum == 0 or hidden_sum >= k


matrices = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.lists(
        st.lists(
            st.one_of(st.integers(min_value=0, max_value=20),
                      st.integers(min_value=0, max_value=3)),
            min_size=n, max_size=n,
        ),
        min_size=1, max_size=5,
    )
)


@settings(max_examples=400, deadline=None)
@given(cells=matrices, k=st.integers(min_value=2, max_value=15))
def test_complementary_suppression_cannot_be_undone_by_subtraction(
    cells: list[list[int]], k: int
) -> None:
    assert_safe(cells, k, suppress_grid(cells, k))


def test_checker_finds_a_cell_recoverable_from_its_row_total() -> None:
    """The independent checker does catch the naive primary-only mask."""
    naive = Mask(cells=((True, False), (False, False)), rows=(False, False),
                 columns=(False, False), total=False)
    assert determined(2, 2, hidden_figures(naive)) == {("cell", 0, 0)}


def test_hides_cells_and_totals_below_k_and_shows_zeros() -> None:
    mask = suppress_grid([[0, 3, 40], [0, 20, 30], [0, 25, 45]], 11)
    assert mask.cells[0][1]
    assert not any(row[0] for row in mask.cells)
    assert not mask.columns[0]


def test_small_row_total_is_hidden() -> None:
    mask = suppress_grid([[2, 3], [40, 50], [30, 60]], 11)
    assert mask.rows[0]
    assert_safe([[2, 3], [40, 50], [30, 60]], 11, mask)


def test_k_one_hides_nothing() -> None:
    mask = suppress_grid([[1, 2], [0, 5]], 1)
    assert mask.hidden == 0


def test_table_without_small_figures_hides_nothing() -> None:
    assert suppress_grid([[30, 40], [20, 50]], 11).hidden == 0


def test_prefers_the_smallest_non_zero_cell_of_the_line() -> None:
    cells = [[3, 40, 50], [20, 30, 60], [25, 35, 45]]
    mask = suppress_grid(cells, 11)
    # Column 0: 20 is the smallest other cell (not 25); row 0: 40, not 50.
    assert mask.cells == ((True, True, False), (True, True, False), (False, False, False))
    assert not any(mask.rows)
    assert not any(mask.columns)
    assert not mask.total


def test_one_column_table_hides_a_second_row_and_its_total() -> None:
    cells = [[3], [40], [50], [0]]
    mask = suppress_grid(cells, 11)
    assert mask.cells == ((True,), (True,), (False,), (False,))
    assert mask.rows == (True, True, False, False)
    assert_safe(cells, 11, mask)


def test_hidden_cells_of_a_line_sum_to_at_least_k() -> None:
    cells = [[2, 3, 50], [40, 40, 60]]
    mask = suppress_grid(cells, 11)
    assert mask.cells[0][2] or mask.rows[0]
    assert_safe(cells, 11, mask)


def test_refuses_negative_counts_and_k_below_one() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress_grid([[1, -1]], 2)
    with pytest.raises(ValueError, match="k must"):
        suppress_grid([[1]], 0)


@pytest.mark.parametrize("k", [3, 11])
def test_large_table_is_safe_and_fast(k: int) -> None:
    rnd = random.Random(8)
    cells = [[rnd.choice([0, 0, 1, 2, 4, 7, 12, 30, 200]) for _ in range(40)] for _ in range(60)]
    started = time.perf_counter()
    mask = suppress_grid(cells, k)
    assert time.perf_counter() - started < 2.0
    hidden = hidden_figures(mask)
    values = figures(cells)
    assert all(figure in hidden for figure, value in values.items() if 1 <= value < k)
    # The exact checker on a table this size is slow; the bridge search is
    # cross-checked on a 12 x 10 corner instead.
    corner = [row[:10] for row in cells[:12]]
    assert_safe(corner, k, suppress_grid(corner, k))
