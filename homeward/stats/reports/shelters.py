"""Reports of the shelters family: how many people the counted
organisations' shelters housed, month by month."""

from __future__ import annotations

import dataclasses
import datetime
import threading
import time
from collections import defaultdict
from typing import Any

from django.core.signals import request_started
from django.db.models.functions import Trim
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from homeward.cases.models.person import ADULT_AGE
from homeward.hotline.analysis.period import add_months, month_start
from homeward.shelters.models import Shelter, ShelterStay
from homeward.stats.choices import Family, Minority
from homeward.stats.cohort import age_band_of, counted_cases
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report, report
from homeward.stats.tables import Counts, Dimension

DEFAULT_MONTHS = 12
MAX_MONTHS = 24
# How long the shelters' names are kept between reads (a long-running worker
# sees a renamed shelter after this many seconds at the latest).
NAMES_TTL_SECONDS = 60.0


@dataclasses.dataclass(frozen=True)
class Span:
    """The days counted (both included) and the months they fall in."""

    start: datetime.date
    end: datetime.date

    def months(self) -> list[datetime.date]:
        months, month = [], month_start(self.start)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def span_of(filter: ReportFilter, today: datetime.date | None = None) -> Span:
    """The period of an occupancy report: the filter's dates; without a start,
    the twelve months up to the end (today when not given); at most the last
    24 months of a longer period."""
    today = today or timezone.localdate()
    end = filter.date_to or today
    first_allowed = add_months(month_start(end), 1 - MAX_MONTHS)
    start = filter.date_from or add_months(month_start(end), 1 - DEFAULT_MONTHS)
    return Span(start=max(start, first_allowed), end=end)


def month_key(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def shelter_categories(filter: ReportFilter) -> list[str]:
    """Every shelter of the counted organisations (the network's shelters are
    no secret), for a noisy release."""
    return [
        str(pk) for pk in Shelter.objects.filter(organisation_id__in=filter.organisations)
        .order_by("pk").values_list("pk", flat=True)
    ]


def month_categories(filter: ReportFilter) -> list[str]:
    """The months of the period, for a noisy release."""
    return [month_key(month) for month in span_of(filter).months()]


def count_occupancy(filter: ReportFilter) -> Counts:
    today = timezone.localdate()
    span = span_of(filter, today)
    months = span.months()
    stays = ShelterStay.objects.filter(
        shelter__organisation_id__in=filter.organisations,
        case__in=counted_cases().values("pk"),
        admitted_on__lte=span.end,
    ).exclude(discharged_on__lte=span.start).order_by()
    if filter.sex:
        stays = stays.filter(case__person__gender=filter.sex)
    if filter.region.strip():
        # As the case reports read it (``cohort.cases_in``): trimmed, any case.
        stays = stays.annotate(origin_region=Trim("case__person__origin_region")).filter(
            origin_region__iexact=filter.region.strip()
        )
    persons: dict[tuple[str, str], set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for shelter_id, person_id, birth_year, admitted, discharged in stays.values_list(
        "shelter_id", "case__person_id", "case__person__birth_year", "admitted_on",
        "discharged_on",
    ):
        age = admitted.year - birth_year if birth_year else None
        if filter.age_band and age_band_of(age) != filter.age_band:
            continue
        if filter.minority and (
            age is None or (age < ADULT_AGE) != (filter.minority == Minority.MINOR)
        ):
            continue
        # The nights spent: from the day of admission to the day before leaving
        # (an open stay: up to today), within the period.
        last_night = (discharged - datetime.timedelta(days=1)) if discharged else today
        first, last = max(admitted, span.start), min(last_night, span.end)
        if first > last:
            continue
        for month in months:
            if month <= last and add_months(month, 1) > first:
                persons[(str(shelter_id), month_key(month))].add(person_id)
        everyone.add(person_id)
    cells = {key: len(ids) for key, ids in persons.items()}
    totals: dict[str, int] = defaultdict(int)
    for (shelter, _month), value in cells.items():
        totals[shelter] += value
    rows = sorted(totals, key=lambda key: (-totals[key], int(key)))
    return Counts(
        rows=rows, columns=[month_key(month) for month in months], cells=cells,
        units=len(everyone),
    )


class _ShelterNames:
    """Every shelter's names (English, Russian), read in one query and kept
    briefly: a table labels each row several times (page, chart, files), so
    reading a shelter per label would be one query per row and per use.
    Forgotten when a shelter is saved or deleted, at each request, and after
    ``NAMES_TTL_SECONDS``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[int, tuple[str, str]] = {}
        self._read_at = 0.0

    def get(self, pk: int) -> tuple[str, str] | None:
        with self._lock:
            stale = time.monotonic() - self._read_at > NAMES_TTL_SECONDS
            if stale or pk not in self._names:
                self._names = {
                    shelter_pk: (name_en, name_ru)
                    for shelter_pk, name_en, name_ru
                    in Shelter.objects.values_list("pk", "name_en", "name_ru")
                }
                self._read_at = time.monotonic()
            return self._names.get(pk)

    def forget(self) -> None:
        with self._lock:
            self._names = {}
            self._read_at = 0.0


_shelter_names = _ShelterNames()


@receiver(post_save, sender=Shelter, dispatch_uid="stats-shelter-names-saved")
@receiver(post_delete, sender=Shelter, dispatch_uid="stats-shelter-names-deleted")
@receiver(request_started, dispatch_uid="stats-shelter-names-request")
def _forget_shelter_names(**kwargs: Any) -> None:
    _shelter_names.forget()


def shelter_label(key: str) -> str:
    """The shelter's name in the active language (as ``Shelter.name``)."""
    try:
        names = _shelter_names.get(int(key))
    except ValueError:
        return key
    if names is None:
        return key
    return Shelter(name_en=names[0], name_ru=names[1]).name


def month_label(key: str) -> str:
    try:
        month = datetime.date.fromisoformat(f"{key}-01")
    except ValueError:
        return key
    return date_format(month, "YEAR_MONTH_FORMAT")


OCCUPANCY = report(Report(
    name="shelter-occupancy",
    title=gettext_lazy("Shelter occupancy by month"),
    family=Family.SHELTERS,
    rows=Dimension(gettext_lazy("Shelter"), shelter_label, categories=shelter_categories),
    columns=Dimension(gettext_lazy("Month"), month_label, categories=month_categories),
    count=count_occupancy,
    unit=gettext_lazy("persons"),
    method=gettext_lazy(
        "Distinct persons who spent at least one night in each month in the counted "
        "organisations' shelters (nights from the day of admission to the day before leaving; "
        "an open stay up to today). A person counts once per shelter and month, so row totals "
        "add up person-months. Without dates, the last twelve months; at most the last 24 "
        "months of a longer period. Victim cases only, never a person who refused the use of "
        "their data in statistics; sex, region of origin, age band and minor/adult (age in the "
        "year of admission) filters apply."
    ),
    # A person can be in every month of the period: a noisy release must
    # hide all of them at once.
    sensitivity=MAX_MONTHS,
    chart="stacked",
    order=800,
))
