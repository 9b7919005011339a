"""The shapes every analysis returns: tables of :class:`Cell` values only."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from homeward.hotline.analysis.suppression import Cell, suppress, suppress_one


@dataclasses.dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: Cell


@dataclasses.dataclass(frozen=True)
class Table:
    """Counts by one dimension, with the table's total (all suppressed)."""

    name: str
    title: str
    column: str
    rows: list[Row]
    total: Cell

    def chart_data(self) -> dict[str, object]:
        """For the chart: labels and values, a hidden value as None (no bar)."""
        return {
            "labels": [row.label for row in self.rows],
            "values": [row.count.value for row in self.rows],
            "hidden": [row.count.hidden for row in self.rows],
        }


def build_table(
    *, name: str, title: str, column: str, keyed: Sequence[tuple[str, str, int]], total: int,
    k: int,
) -> Table:
    """A table from (key, label, raw count) rows, suppressed against its total."""
    cells = suppress([count for _key, _label, count in keyed], k, total=total)
    return Table(
        name=name, title=title, column=column,
        rows=[Row(key, label, cell) for (key, label, _count), cell in zip(keyed, cells,
                                                                            strict=True)],
        total=suppress_one(total, k),
    )
