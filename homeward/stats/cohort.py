"""Which cases a case report counts: the cohort of a :class:`ReportFilter`.

Every case-based report (and the HTCDS export) starts from :func:`cases_in`,
so the rules of who is counted live in one place:

* only victim cases — a missing-person case is not a trafficking victim
  until found (and then a victim case is opened);
* never a case whose newest "Statistics" consent decision is a refusal or a
  withdrawal; no decision on record means the case is counted (figures are
  aggregate and suppressed);
* the period is inclusive and applies to the case's *reference date*: the
  registration date (``Case.opened_on``) or the identification date (the
  earliest "Identification" step, falling back to the registration date);
* age is the reference date's year minus the year of birth; no year of
  birth means the age band ``UNKNOWN``; a minor is under 18.

Everything is done in SQL with annotations on plain columns (never an
encrypted field), so a report reads only the rows and columns it counts.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Trim
from django.db.models.lookups import IsNull, LessThan

from homeward.cases.choices import CaseKind, ConsentDecision, ConsentPurpose, Step
from homeward.cases.models import Case, CaseStep, Consent
from homeward.cases.models.person import ADULT_AGE
from homeward.stats.choices import (
    AGE_BAND_OVER,
    AGE_BAND_UNDER,
    UNKNOWN,
    DateBasis,
    Minority,
)
from homeward.stats.filters import ReportFilter

# The bands of five years between the under-15s and the over-60s.
_YOUNGEST = 15
_OLDEST = 60
_WIDTH = 5

# The newest "Statistics" decisions that keep a case out of every figure.
EXCLUDING_DECISIONS = (ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN)


def age_band_of(age: int | None) -> str:
    """The band (one of ``choices.AGE_BANDS``) of an age in whole years;
    ``UNKNOWN`` when the age is not known."""
    if age is None:
        return UNKNOWN
    if age < _YOUNGEST:
        return AGE_BAND_UNDER
    if age >= _OLDEST:
        return AGE_BAND_OVER
    start = age - age % _WIDTH
    return f"{start}-{start + _WIDTH - 1}"


def age_band_expression(age: Any) -> CaseWhen:
    """:func:`age_band_of` in SQL, for an integer expression ``age`` (NULL →
    ``UNKNOWN``)."""
    conditions = [When(IsNull(age, True), then=Value(UNKNOWN))]
    conditions.append(When(LessThan(age, Value(_YOUNGEST)), then=Value(AGE_BAND_UNDER)))
    for start in range(_YOUNGEST, _OLDEST, _WIDTH):
        conditions.append(When(
            LessThan(age, Value(start + _WIDTH)), then=Value(f"{start}-{start + _WIDTH - 1}")
        ))
    return CaseWhen(*conditions, default=Value(AGE_BAND_OVER), output_field=CharField())


def identification_date() -> Coalesce:
    """The case's identification date: its earliest "Identification" step,
    else its registration date."""
    earliest = (
        CaseStep.objects.filter(case=OuterRef("pk"), step=Step.IDENTIFICATION)
        .order_by("happened_on", "id").values("happened_on")[:1]
    )
    return Coalesce(Subquery(earliest, output_field=DateField()), F("opened_on"),
                    output_field=DateField())


def statistics_decision() -> Coalesce:
    """The newest "Statistics" consent decision of the case ("" when none)."""
    newest = (
        Consent.objects.filter(case=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-decided_on", "-id").values("decision")[:1]
    )
    return Coalesce(Subquery(newest, output_field=CharField()), Value(""),
                    output_field=CharField())


def counted_cases() -> QuerySet[Case]:
    """Every case statistics may count (decision 1): victim cases whose
    person did not refuse or withdraw the "Statistics" consent."""
    return (
        Case.objects.filter(kind=CaseKind.VICTIM)
        .annotate(statistics_decision=statistics_decision())
        .exclude(statistics_decision__in=EXCLUDING_DECISIONS)
    )


class CohortAnnotations(TypedDict):
    statistics_decision: str
    reference_date: datetime.date
    age: int | None
    age_band: str


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CohortCase = WithAnnotations[Case, CohortAnnotations]


def cases_in(filter: ReportFilter) -> QuerySet[CohortCase]:
    """The cases ``filter`` counts, annotated with ``reference_date`` (the
    date under the filter's basis), ``age`` (NULL when unknown) and
    ``age_band`` (a key of ``choices.AGE_BANDS`` or ``UNKNOWN``).

    The queryset is unordered; reports take ``values_list`` of plain columns
    from it. With ``filter.one_case_per_person`` only each person's latest
    case of the cohort is kept (noisy releases: one person, one case).
    """
    if filter.basis == DateBasis.IDENTIFICATION:
        reference: Any = identification_date()
    else:
        reference = F("opened_on")
    age = ExtractYear("reference_date") - F("person__birth_year")
    queryset = (
        counted_cases()
        .filter(organisation_id__in=filter.organisations)
        .annotate(reference_date=reference)
        .annotate(age=ExpressionWrapper(age, output_field=IntegerField()))
        .annotate(age_band=age_band_expression(F("age")))
    )
    if filter.date_from is not None:
        queryset = queryset.filter(reference_date__gte=filter.date_from)
    if filter.date_to is not None:
        queryset = queryset.filter(reference_date__lte=filter.date_to)
    if filter.region.strip():
        queryset = queryset.annotate(origin_region=Trim("person__origin_region")).filter(
            origin_region__iexact=filter.region.strip()
        )
    if filter.sex:
        queryset = queryset.filter(person__gender=filter.sex)
    if filter.age_band:
        queryset = queryset.filter(age_band=filter.age_band)
    if filter.minority == Minority.MINOR:
        queryset = queryset.filter(age__lt=ADULT_AGE)
    elif filter.minority == Minority.ADULT:
        queryset = queryset.filter(age__gte=ADULT_AGE)
    if filter.one_case_per_person:
        latest: dict[int, tuple[Any, int]] = {}
        for pk, person, day in queryset.order_by().values_list(
            "pk", "person_id", "reference_date"
        ):
            if person not in latest or (day, pk) > latest[person]:
                latest[person] = (day, pk)
        queryset = queryset.filter(pk__in=[pk for _day, pk in latest.values()])
    return cast("QuerySet[CohortCase]", queryset.order_by())
