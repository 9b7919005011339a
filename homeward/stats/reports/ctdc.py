"""Reports of the CTDC reference data: global figures published by CTDC,
never the coalition's own cases (see :mod:`homeward.stats.ctdc`)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.cases.choices import Gender
from homeward.stats import categories, ctdc
from homeward.stats.choices import UNKNOWN, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.models import CtdcDataset, CtdcRecord
from homeward.stats.reports import Report, report
from homeward.stats.tables import Counts, Dimension

# Homeward's sex filter on CTDC's gender column.
_GENDER_OF_SEX: dict[str, str] = {
    Gender.FEMININE: ctdc.FEMALE,
    Gender.MASCULINE: ctdc.MALE,
    Gender.TRANSGENDER_FEMININE: ctdc.TRANS,
    Gender.TRANSGENDER_MASCULINE: ctdc.TRANS,
    Gender.NON_CONFORMING: ctdc.TRANS,
    Gender.UNKNOWN: "",
}
_MAJORITY_OF_MINORITY: dict[str, str] = {Minority.MINOR: ctdc.MINOR, Minority.ADULT: ctdc.ADULT}
_ORDER = (*ctdc.REGIONS, UNKNOWN)


def region_label(key: str) -> str:
    """A CTDC (UN) region's name in the active language."""
    if key == UNKNOWN or not key:
        return _("Not recorded")
    label = ctdc.REGION_LABELS.get(key)
    return str(label) if label is not None else key


def dataset_of(filter: ReportFilter) -> CtdcDataset | None:
    """The dataset counted: the filter's, else the latest imported."""
    datasets = CtdcDataset.objects.order_by("-imported_at", "-id")
    if filter.dataset is not None:
        return datasets.filter(pk=filter.dataset).first()
    return datasets.first()


def _in_period(year: str, filter: ReportFilter) -> bool:
    bounds = ctdc.year_bounds(year)
    if bounds is None:
        return False
    first, last = bounds
    if filter.date_from is not None and first < filter.date_from.year:
        return False
    return not (filter.date_to is not None and last > filter.date_to.year)


def records_of(filter: ReportFilter) -> QuerySet[CtdcRecord]:
    """The records of the filter's dataset that the filter selects."""
    dataset = dataset_of(filter)
    if dataset is None:
        return CtdcRecord.objects.none()
    records = CtdcRecord.objects.filter(dataset=dataset).order_by()
    if filter.sex:
        records = records.filter(gender=_GENDER_OF_SEX.get(filter.sex, filter.sex))
    if filter.minority:
        records = records.filter(majority=_MAJORITY_OF_MINORITY.get(filter.minority, "-"))
    if filter.date_from is not None or filter.date_to is not None:
        years = [
            year for year in records.values_list("year_registered", flat=True).distinct()
            if _in_period(year, filter)
        ]
        records = records.filter(year_registered__in=years)
    return records


def _ordered(keys: set[str]) -> list[str]:
    known = [key for key in _ORDER if key in keys]
    return known + sorted(keys - set(known))


def count_citizenship_by_exploitation(filter: ReportFilter) -> Counts:
    cells: Counter[tuple[str, str]] = Counter()
    for row in records_of(filter).values("exploitation_region", "citizenship_region").annotate(
        n=Count("id")
    ):
        key = (row["exploitation_region"] or UNKNOWN, row["citizenship_region"] or UNKNOWN)
        cells[key] += row["n"]
    rows = _ordered({row for row, _column in cells})
    columns = _ordered({column for _row, column in cells})
    return Counts(rows=rows, columns=columns, cells=dict(cells), units=sum(cells.values()))


CITIZENSHIP_BY_EXPLOITATION = report(Report(
    name="ctdc-citizenship-region-by-exploitation-region",
    title=gettext_lazy("CTDC reference data: region of citizenship by region of exploitation"),
    family=Family.CTDC,
    rows=Dimension(gettext_lazy("Region of exploitation"), region_label,
                   categories=categories.fixed(ctdc.REGIONS)),
    columns=Dimension(gettext_lazy("Region of citizenship"), region_label,
                      categories=categories.fixed(ctdc.REGIONS)),
    count=count_citizenship_by_exploitation,
    unit=gettext_lazy("victims (CTDC records)"),
    method=gettext_lazy(
        "Global reference figures from a CTDC public dataset (synthetic records of identified "
        "victims, IOM and partners) — not the coalition's cases. Each record counts once, by "
        "its UN region of exploitation and of citizenship. A period keeps the records whose "
        "registration year (or CTDC's range of years, such as 2014-2018) lies wholly inside "
        "it; records without a year are then left out. Sex and minor/adult filters apply to "
        "CTDC's gender and majority columns; organisation, region and age-band filters do not "
        "apply."
    ),
    chart="stacked",
    order=900,
))
