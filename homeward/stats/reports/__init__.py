"""The reports: each a named table computed from the records.

A report module declares its reports with :func:`report`; this package
imports them all, so ``get(name)`` and ``all_reports()`` know every one.
Counting functions read plain columns only (never an encrypted field) and
count the records of ``filter.organisations`` — the callers decide which
organisations a user may count (``homeward.stats.scope``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.utils.functional import Promise

from homeward.stats.filters import ReportFilter
from homeward.stats.tables import Counts, Dimension

CountFunction = Callable[[ReportFilter], Counts]


@dataclasses.dataclass(frozen=True)
class Report:
    name: str
    title: Promise | str
    family: str  # choices.Family
    rows: Dimension
    columns: Dimension
    count: CountFunction
    # What one unit of the table is ("persons", "diagnoses", "contacts").
    unit: Promise | str
    # How the figures are counted, for the page and the abstract's notes.
    method: Promise | str
    # The most cells one person's record can change (for the noise of a
    # differentially private release): 1 for a single-valued dimension pair.
    sensitivity: int = 1
    # "bar" (one column: a bar per row) or "stacked" (a bar per row, a
    # segment per column).
    chart: str = "bar"
    # Position in lists and in the abstract.
    order: int = 0


_reports: dict[str, Report] = {}


def report(spec: Report) -> Report:
    """Register ``spec`` (one report per name)."""
    existing = _reports.get(spec.name)
    if existing is not None and existing is not spec:
        raise ValueError(f"Report {spec.name!r} is registered twice")
    _reports[spec.name] = spec
    return spec


def get(name: str) -> Report:
    """The report called ``name``; KeyError when there is none."""
    return _reports[name]


def all_reports(family: str | None = None) -> list[Report]:
    reports = sorted(_reports.values(), key=lambda spec: (spec.order, spec.name))
    return [spec for spec in reports if family is None or spec.family == family]


# The report modules register themselves on import.
from homeward.stats.reports import cases, ctdc, hotline, shelters  # noqa: E402, F401
