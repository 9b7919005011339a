"""Small-number suppression: what the analysis may show of a count.

The rules, applied before any number leaves this package (the pages, the
exports and the API only ever see :class:`Cell` values):

* **primary**: a count from 1 to k-1 (k = ``HOMEWARD_MIN_CELL_COUNT``,
  11 unless configured) is shown as ``"<k"``. Zero is shown as 0: it says
  that nobody called, which identifies nobody, and hiding zeros would hide
  the gaps in every time series;
* **secondary**: when a table shows its total and exactly one of its cells
  is hidden, that cell could be worked out as the total minus the others,
  so the next smallest non-zero cell is hidden too;
* **derived numbers** (changes, percentages, averages) are computed from
  shown cells only: one hidden input hides the result.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

# One count as it may be shown (``value`` None when hidden): the statistics
# app's figure, shared so that both analyses read alike.
from homeward.stats.tables import Cell


def min_cell_count() -> int:
    """k: the smallest count the analysis shows (the setting, at least 2)."""
    return max(2, int(getattr(settings, "HOMEWARD_MIN_CELL_COUNT", 11)))


def is_small(count: int, k: int) -> bool:
    return 1 <= count < k


def suppress(counts: Sequence[int], k: int, *, total: int | None = None) -> list[Cell]:
    """The cells of one table; ``total`` is the table's total when it is shown.

    Primary suppression for every cell, then secondary suppression when the
    shown total would give away the only hidden cell.
    """
    hidden = [is_small(count, k) for count in counts]
    total_shown = total is not None and not is_small(total, k)
    if total_shown and sum(hidden) == 1:
        candidates = [
            (count, index) for index, count in enumerate(counts)
            if not hidden[index] and count > 0
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
    return [Cell(None if hide else count, k) for count, hide in zip(counts, hidden, strict=True)]


def suppress_one(count: int, k: int) -> Cell:
    """A count shown on its own (a total): primary suppression only."""
    return Cell(None if is_small(count, k) else count, k)


def change(current: Cell, previous: Cell) -> int | None:
    """current - previous, or None when either is hidden."""
    if current.value is None or previous.value is None:
        return None
    return current.value - previous.value


def change_percent(current: Cell, previous: Cell) -> int | None:
    """The change in per cent of ``previous`` (rounded), or None when either is
    hidden or ``previous`` is zero."""
    difference = change(current, previous)
    if difference is None or not previous.value:
        return None
    return round(100 * difference / previous.value)


def average(cell: Cell, days: int) -> float | None:
    """``cell`` per day, to one decimal, or None when hidden (or no days)."""
    if cell.value is None or days <= 0:
        return None
    return round(cell.value / days, 1)
