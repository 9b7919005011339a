"""Small-cell suppression of a table with its totals.

A published table is ``m × n`` cells, a total per row, a total per column and
the grand total. Every figure — cell or total — between 1 and ``k - 1`` is
hidden (*primary* suppression); zeros are shown. Hiding those alone is not
enough: a hidden cell can often be recovered by subtracting the figures
shown in its row or column from the total. *Complementary* suppression hides
further figures until, for every line (a row with its row total, a column
with its column total, the row of column totals with the grand total, the
column of row totals with the grand total):

(a) the line hides no figure or at least two;
(b) when the line's total is shown, its hidden cells sum to 0 or to ≥ k
    (so the hidden part of the line is not itself a small count);
(c) no hidden figure is determined by the published equations — each line
    sums to its total — whatever the other hidden figures are.

How (c) is checked exactly. Every figure appears in exactly two of the line
equations (a cell in its row and its column; a row total in its row and in
the column of row totals; a column total in its column and in the row of
column totals; the grand total in those two total lines), and the lines
split into two sides (the rows with the row of column totals; the columns
with the column of row totals) such that each figure joins one line of each
side. The equations are therefore the incidence matrix of a bipartite graph
whose nodes are the lines and whose edges are the figures, and over the
rationals the hidden figures' undetermined directions (the kernel of the
system restricted to the hidden unknowns) are exactly the cycles of the
graph of hidden edges. A hidden figure is determined — its unit vector lies
in the row space of the restricted constraint matrix — if and only if its
edge lies on no cycle, i.e. it is a *bridge* of the hidden graph. So the
exact linear-algebra check is a bridge search, linear in the size of the
table; the property test re-checks it independently by Gaussian elimination
over :class:`fractions.Fraction`.

Which figure is hidden next: in the offending line, the smallest non-zero
cell (a zero cell when no non-zero one is left; the line's total only when
no cell is left — and, for (b), only non-zero cells or the total, since a
hidden zero adds nothing to the hidden sum). For a determined figure, a figure of one of its
two lines that closes a cycle through it is preferred. Every step hides one
more figure and hiding everything satisfies (a)–(c), so the loop ends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence


@dataclasses.dataclass(frozen=True)
class Mask:
    """What to hide (True) in a table: its cells, row totals, column totals
    and grand total."""

    cells: tuple[tuple[bool, ...], ...]
    rows: tuple[bool, ...]
    columns: tuple[bool, ...]
    total: bool

    @property
    def hidden(self) -> int:
        """How many figures are hidden."""
        return (sum(sum(row) for row in self.cells) + sum(self.rows) + sum(self.columns)
                + int(self.total))


# Figures are numbered: cells row-major (0 … m·n-1), then the row totals,
# the column totals and the grand total. Lines (graph nodes): rows 0 … m-1,
# columns m … m+n-1, the row of column totals m+n, the column of row totals
# m+n+1.


class _Grid:
    def __init__(self, cells: Sequence[Sequence[int]], k: int) -> None:
        self.m = m = len(cells)
        self.n = n = len(cells[0]) if m else 0
        if any(len(row) != n for row in cells):
            raise ValueError("Every row must have the same number of cells")
        values = [int(value) for row in cells for value in row]
        if any(value < 0 for value in values):
            raise ValueError("Counts must not be negative")
        row_totals = [sum(values[i * n:(i + 1) * n]) for i in range(m)]
        column_totals = [sum(values[i * n + j] for i in range(m)) for j in range(n)]
        self.values = values + row_totals + column_totals + [sum(values)]
        self.k = k
        size = len(self.values)
        self.row_total_at = m * n
        self.column_total_at = m * n + m
        self.total_at = size - 1
        total_row, total_column = m + n, m + n + 1
        # Each figure's two lines, and each line's figures and its total.
        self.ends: list[tuple[int, int]] = [(i, m + j) for i in range(m) for j in range(n)]
        self.ends += [(i, total_column) for i in range(m)]
        self.ends += [(m + j, total_row) for j in range(n)]
        self.ends.append((total_row, total_column))
        self.line_total: list[int] = (
            [self.row_total_at + i for i in range(m)]
            + [self.column_total_at + j for j in range(n)]
            + [self.total_at, self.total_at]
        )
        self.line_figures: list[list[int]] = [[] for _ in range(m + n + 2)]
        for figure, (a, b) in enumerate(self.ends):
            self.line_figures[a].append(figure)
            self.line_figures[b].append(figure)
        self.hidden = [1 <= value < k for value in self.values]

    # --- choosing what to hide next ----------------------------------------------

    def _cost(self, line: int, figure: int) -> tuple[int, int, int]:
        value = self.values[figure]
        return (figure == self.line_total[line], value == 0, value)

    def _cheapest(self, line: int, among: list[int] | None = None) -> int | None:
        candidates = [
            figure for figure in (self.line_figures[line] if among is None else among)
            if not self.hidden[figure]
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda figure: (self._cost(line, figure), figure))

    # --- the conditions ------------------------------------------------------------

    def _fix_lines(self) -> bool:
        """Conditions (a) and (b) on every line; True when something was hidden."""
        changed = False
        for line, figures in enumerate(self.line_figures):
            hidden = [figure for figure in figures if self.hidden[figure]]
            if len(hidden) == 1:
                figure = self._cheapest(line)
                if figure is not None:
                    self.hidden[figure] = True
                    changed = True
                    continue
            total = self.line_total[line]
            if self.hidden[total]:
                continue
            hidden_sum = sum(self.values[figure] for figure in hidden)
            if 0 < hidden_sum < self.k:
                non_zero = [
                    figure for figure in figures
                    if figure != total and self.values[figure] > 0 and not self.hidden[figure]
                ]
                figure = self._cheapest(line, non_zero) if non_zero else total
                if figure is not None:
                    self.hidden[figure] = True
                    changed = True
        return changed

    def _bridge(self) -> int | None:
        """One hidden figure lying on no cycle of hidden figures (so determined
        by the published equations), or None."""
        lines = len(self.line_figures)
        adjacency: list[list[int]] = [[] for _ in range(lines)]
        for figure, hidden in enumerate(self.hidden):
            if hidden:
                a, b = self.ends[figure]
                adjacency[a].append(figure)
                adjacency[b].append(figure)
        order = [0] * lines
        low = [0] * lines
        counter = 1
        for root in range(lines):
            if order[root] or not adjacency[root]:
                continue
            order[root] = low[root] = counter
            counter += 1
            # (node, the figure that led here, next neighbour index)
            stack: list[tuple[int, int, int]] = [(root, -1, 0)]
            while stack:
                node, via, index = stack[-1]
                if index < len(adjacency[node]):
                    stack[-1] = (node, via, index + 1)
                    figure = adjacency[node][index]
                    if figure == via:
                        continue
                    a, b = self.ends[figure]
                    other = b if a == node else a
                    if order[other]:
                        low[node] = min(low[node], order[other])
                    else:
                        order[other] = low[other] = counter
                        counter += 1
                        stack.append((other, figure, 0))
                    continue
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return via
        return None

    def _close_cycle(self, bridge: int) -> None:
        """Hide a figure that puts ``bridge`` on a cycle when one of its lines
        has such a figure; else the cheapest figure of its lines."""
        a, b = self.ends[bridge]
        side = self._component(a, without=bridge)
        other_side = self._component(b, without=bridge)
        options: list[tuple[tuple[int, int, int], int]] = []
        for line, far in ((a, other_side), (b, side)):
            for figure in self.line_figures[line]:
                if self.hidden[figure]:
                    continue
                x, y = self.ends[figure]
                if (y if x == line else x) in far:
                    options.append((self._cost(line, figure), figure))
        if options:
            self.hidden[min(options)[1]] = True
            return
        fallback: list[tuple[tuple[int, int, int], int]] = []
        for line in (a, b):
            cheapest = self._cheapest(line)
            if cheapest is not None:
                fallback.append((self._cost(line, cheapest), cheapest))
        if fallback:
            self.hidden[min(fallback)[1]] = True
            return
        # Both lines are entirely hidden: every figure of the table then
        # joins a cycle once everything is hidden.
        self.hidden = [True] * len(self.hidden)

    def _component(self, start: int, *, without: int) -> set[int]:
        seen = {start}
        todo = [start]
        while todo:
            node = todo.pop()
            for figure in self.line_figures[node]:
                if figure == without or not self.hidden[figure]:
                    continue
                a, b = self.ends[figure]
                other = b if a == node else a
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    def run(self) -> None:
        if self.k <= 1:
            return
        while True:
            while self._fix_lines():
                pass
            bridge = self._bridge()
            if bridge is None:
                return
            self._close_cycle(bridge)

    def mask(self) -> Mask:
        m, n, hidden = self.m, self.n, self.hidden
        return Mask(
            cells=tuple(tuple(hidden[i * n:(i + 1) * n]) for i in range(m)),
            rows=tuple(hidden[self.row_total_at:self.row_total_at + m]),
            columns=tuple(hidden[self.column_total_at:self.column_total_at + n]),
            total=hidden[self.total_at],
        )


def suppress_grid(cells: Sequence[Sequence[int]], k: int) -> Mask:
    """The figures to hide in the table ``cells`` (rows of non-negative counts)
    with its totals (the sums of the cells), for threshold ``k``.

    ``k`` = 1 hides nothing. See the module's docstring for the rules.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    grid = _Grid(cells, k)
    grid.run()
    return grid.mask()
