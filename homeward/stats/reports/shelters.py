"""Reports of the shelters family: how many people the counted
organisations' shelters housed, month by month."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from homeward.hotline.analysis.period import add_months, month_start
from homeward.shelters.models import Shelter, ShelterStay
from homeward.stats.choices import Family, Minority
from homeward.stats.cohort import age_band_of, counted_cases
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report, report
from homeward.stats.tables import Counts, Dimension

DEFAULT_MONTHS = 12
MAX_MONTHS = 24
ADULT_AGE = 18


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
        stays = stays.filter(case__person__origin_region__iexact=filter.region.strip())
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


def shelter_label(key: str) -> str:
    shelter = Shelter.objects.filter(pk=int(key)).only("name_en", "name_ru").first()
    return shelter.name if shelter is not None else key


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
