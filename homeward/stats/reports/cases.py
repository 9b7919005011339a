"""Reports of the cases family: who the victims are, how they were
trafficked, and what help they had.

Every report counts the cohort of :func:`homeward.stats.cohort.cases_in`
(victim cases of the counted organisations in the period, without those
whose person refused or withdrew the "Statistics" consent) and reads plain
columns only, in one or two queries; the tallying of multi-valued fields
happens on those few columns.

The unit is the person: a person counts at most once in a cell, even with
several cases in the period (a person who came back for help with a new
case), but may count in several cells of a multi-valued field — so the
totals, which are always the sums of the cells, may exceed the number of
persons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Subquery, TextChoices
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.cases.choices import (
    ExploitationType,
    Gender,
    RecruitmentChannel,
    ReferralSource,
    TransportMode,
)
from homeward.cases.models import Repatriation
from homeward.reintegration.choices import AssistanceCategory, EntryType, MonitoringPeriod
from homeward.reintegration.models import LedgerEntry, MonitoringSchedule
from homeward.shelters.choices import DiagnosisGroup
from homeward.shelters.models import Diagnosis
from homeward.stats import categories
from homeward.stats.choices import AGE_BAND_UNDER, AGE_BANDS, OTHERS, UNKNOWN, Family
from homeward.stats.cohort import cases_in
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report, report
from homeward.stats.tables import Counts, Dimension

# The key of the one column of a one-dimensional report (decision 5).
PERSONS = "Persons"

# The most citizenships one person's record is expected to hold (the
# sensitivity of nationality-by-destination for noisy releases).
MAX_CITIZENSHIPS = 3

_CONSENT_NOTE = _(
    "Victim cases only (not missing-person cases); cases whose person refused or "
    "withdrew consent to use in statistics are never counted, cases without a recorded "
    "decision are (the figures are aggregate and small cells are suppressed)."
)


def method(text: Promise | str) -> Promise | str:
    """A report's method note followed by who is counted."""
    return format_lazy("{} {}", text, _CONSENT_NOTE)


# --- labels -------------------------------------------------------------------------


def unknown_label() -> str:
    return gettext("Not recorded")


def country_label(key: str) -> str:
    """The country's name in the active language (the key when unknown)."""
    if key == UNKNOWN:
        return unknown_label()
    if key == OTHERS:
        return gettext("Other countries")
    return str(countries.name(key) or key)


def choice_label(choices: type[TextChoices]) -> Callable[[str], str]:
    """A label function for the keys of a picklist."""

    def label(key: str) -> str:
        if key == UNKNOWN:
            return unknown_label()
        for value, text in choices.choices:
            if value == key:
                return str(text)
        return key

    return label


def others_label() -> str:
    """The row of an open dimension where the places too small to name are
    counted together (``publication.fold_small``)."""
    return gettext("Other places, each with fewer than the smallest count shown")


def text_label(key: str) -> str:
    """Free text keys (cities, regions) read as recorded."""
    if key == OTHERS:
        return others_label()
    return unknown_label() if key == UNKNOWN else key


def age_band_label(key: str) -> str:
    if key == UNKNOWN:
        return gettext("Age not known")
    if key == AGE_BAND_UNDER:
        return gettext("Under 15")
    if key == AGE_BANDS[-1]:
        return gettext("60 and over")
    return key


def persons_label(key: str) -> str:
    return gettext("Persons")


_MONITORING_LABELS = {
    MonitoringPeriod.THREE_MONTHS: _("Up to 3 months"),
    MonitoringPeriod.SIX_MONTHS: _("Up to 6 months"),
    MonitoringPeriod.TWELVE_MONTHS: _("Up to 12 months"),
    MonitoringPeriod.CUSTOM: _("Custom dates"),
}


def monitoring_label(key: str) -> str:
    label = _MONITORING_LABELS.get(key)  # type: ignore[call-overload]
    return str(label) if label is not None else text_label(key)


PERSONS_COLUMN = Dimension(
    title=_("Persons"), label=persons_label, categories=categories.fixed([PERSONS], unknown=False)
)
AGE_BAND_CATEGORIES = categories.fixed(AGE_BANDS)


# --- tallying -----------------------------------------------------------------------


def codes(text: str | None) -> list[str]:
    """The values of a delimited column (",RU,KZ,")."""
    return [code for code in (text or "").split(",") if code]


def spelling_key(text: str | None) -> str:
    """How free text groups: trimmed, inner spaces collapsed, case ignored."""
    return " ".join((text or "").split()).casefold()


def by_total(totals: Counter[str]) -> list[str]:
    """Keys by total descending then key; ``UNKNOWN`` last (decision 4)."""
    keys = sorted((key for key in totals if key != UNKNOWN),
                  key=lambda key: (-totals[key], key))
    return [*keys, UNKNOWN] if UNKNOWN in totals else keys


def fixed_order(order: Iterable[str], totals: Counter[str], *, always: Iterable[str]) -> list[str]:
    """Keys in a natural ``order``: those in ``always`` even when empty, the
    rest only when non-zero; unexpected keys and ``UNKNOWN`` at the end."""
    shown = set(always)
    natural = [key for key in order if key in shown or totals[key]]
    extra = sorted(key for key in totals if key not in set(order) and key != UNKNOWN)
    return [*natural, *extra, *([UNKNOWN] if totals[UNKNOWN] else [])]


def age_band_order(totals: Counter[str]) -> list[str]:
    """The fixed bands 15-19 … >60 always; "<15" and unknown when non-zero."""
    return fixed_order(AGE_BANDS, totals, always=AGE_BANDS[1:])


def counts_of(
    seen: set[tuple[Any, str, str]],
    *,
    persons: int,
    rows: Callable[[Counter[str]], list[str]] = by_total,
    columns: Callable[[Counter[str]], list[str]] = by_total,
) -> Counts:
    """Counts from distinct ``(unit, row, column)`` triples: each triple
    counts one in its cell."""
    cells: Counter[tuple[str, str]] = Counter((row, column) for _unit, row, column in seen)
    row_totals: Counter[str] = Counter()
    column_totals: Counter[str] = Counter()
    for (row, column), value in cells.items():
        row_totals[row] += value
        column_totals[column] += value
    return Counts(rows=rows(row_totals), columns=columns(column_totals),
                  cells=dict(cells), units=persons)


def one_dimensional(
    pairs: Iterable[tuple[int, str]],
    *,
    rows: Callable[[Counter[str]], list[str]] = by_total,
) -> Counts:
    """A one-column table of persons per category from ``(person, key)``
    pairs (a person counts once per category)."""
    seen = {(person, key, PERSONS) for person, key in pairs}
    persons = len({person for person, _key, _column in seen})
    return counts_of(seen, persons=persons, rows=rows, columns=lambda _totals: [PERSONS])


def multi_valued(rows: Iterable[tuple[int, list[str]]]) -> Counts:
    """Persons per value of a multi-valued field (none recorded → ``UNKNOWN``)."""
    return one_dimensional(
        (person, value) for person, values in rows for value in (values or [UNKNOWN])
    )


# --- nationality by destination ------------------------------------------------------


def count_nationality_by_destination(filter: ReportFilter) -> Counts:
    seen: set[tuple[Any, str, str]] = set()
    for person, destination, citizenships in (
        cases_in(filter).values_list("person_id", "destination_country", "person__citizenships")
        .distinct()
    ):
        # At most MAX_CITIZENSHIPS per person (in the order recorded): what
        # one person can change stays bounded, as a noisy release assumes.
        for citizenship in codes(citizenships)[:MAX_CITIZENSHIPS] or [UNKNOWN]:
            seen.add((person, str(destination or "") or UNKNOWN, citizenship))
    return counts_of(seen, persons=len({person for person, _r, _c in seen}))


report(Report(
    name="nationality-by-destination",
    title=_("Victims by country of destination and citizenship"),
    family=Family.CASES,
    rows=Dimension(title=_("Country of destination"), label=country_label, countries=True,
                   categories=categories.countries),
    columns=Dimension(title=_("Citizenship"), label=country_label, countries=True,
                      categories=categories.countries),
    count=count_nationality_by_destination,
    unit=_("persons"),
    method=method(_(
        "Persons by the country where they were exploited or found (rows) and their "
        "citizenship (columns); a person with several citizenships counts once in each "
        "(up to three). "
        "The period applies to the case's registration or identification date."
    )),
    sensitivity=MAX_CITIZENSHIPS,
    chart="stacked",
    order=10,
))


# --- illness by age band -----------------------------------------------------------


def count_illness_by_age_band(filter: ReportFilter) -> Counts:
    cohort = cases_in(filter)
    persons = {
        case: (person, band)
        for case, person, band in cohort.values_list("pk", "person_id", "age_band")
    }
    seen: set[tuple[Any, str, str]] = set()
    screened: set[int] = set()
    for case, screening, group in (
        Diagnosis.objects.filter(screening__case__in=cohort.values("pk"))
        .values_list("screening__case_id", "screening_id", "group").distinct()
    ):
        person, band = persons[case]
        screened.add(person)
        # A noisy release counts a diagnosis group once per person (its
        # sensitivity is the number of groups); the table counts it once per
        # screening, like the seeds' Table 2.
        seen.add((person if filter.one_case_per_person else screening, group or UNKNOWN, band))
    return counts_of(seen, persons=len(screened), columns=age_band_order)


report(Report(
    name="illness-by-age-band",
    title=_("Diagnoses at medical screening by age band"),
    family=Family.CASES,
    rows=Dimension(title=_("Diagnosis group"), label=choice_label(DiagnosisGroup),
                   categories=categories.picklist(DiagnosisGroup)),
    columns=Dimension(title=_("Age band"), label=age_band_label, categories=AGE_BAND_CATEGORIES),
    count=count_illness_by_age_band,
    unit=_("diagnoses"),
    method=method(_(
        "Diagnoses recorded at the medical screenings of the cases in the period, by "
        "diagnosis group and the person's age band at the case's date (year of the date "
        "minus year of birth); a group counts once per screening, so a person screened "
        "twice may count twice."
    )),
    sensitivity=len(DiagnosisGroup.values),
    chart="stacked",
    order=20,
))


# --- one-dimensional reports ---------------------------------------------------------


def count_exploitation_type(filter: ReportFilter) -> Counts:
    return multi_valued(cases_in(filter).values_list("person_id", "exploitation_types"))


report(Report(
    name="exploitation-type",
    title=_("Victims by type of exploitation"),
    family=Family.CASES,
    rows=Dimension(title=_("Type of exploitation"), label=choice_label(ExploitationType),
                   categories=categories.picklist(ExploitationType)),
    columns=PERSONS_COLUMN,
    count=count_exploitation_type,
    unit=_("persons"),
    method=method(_(
        "Persons by the types of exploitation recorded on the case; a person exploited "
        "in several ways counts once in each type."
    )),
    sensitivity=len(ExploitationType.values),
    order=30,
))


def count_recruitment_mode(filter: ReportFilter) -> Counts:
    return multi_valued(cases_in(filter).values_list("person_id", "recruitment_channels"))


report(Report(
    name="recruitment-mode",
    title=_("Victims by mode of recruitment"),
    family=Family.CASES,
    rows=Dimension(title=_("Mode of recruitment"), label=choice_label(RecruitmentChannel),
                   categories=categories.picklist(RecruitmentChannel)),
    columns=PERSONS_COLUMN,
    count=count_recruitment_mode,
    unit=_("persons"),
    method=method(_(
        "Persons by how they were recruited (personal contact, agencies, internet …) as "
        "recorded on the case; a person recruited in several ways counts once in each."
    )),
    sensitivity=len(RecruitmentChannel.values),
    order=40,
))


def count_transport_mode(filter: ReportFilter) -> Counts:
    modes: dict[int, tuple[int, set[str]]] = {}
    for case, person, values in cases_in(filter).values_list(
        "pk", "person_id", "events__transport_modes"
    ):
        modes.setdefault(case, (person, set()))[1].update(values or ())
    return multi_valued((person, sorted(values)) for person, values in modes.values())


report(Report(
    name="transport-mode",
    title=_("Victims by means of transport"),
    family=Family.CASES,
    rows=Dimension(title=_("Means of transport"), label=choice_label(TransportMode),
                   categories=categories.picklist(TransportMode)),
    columns=PERSONS_COLUMN,
    count=count_transport_mode,
    unit=_("persons"),
    method=method(_(
        "Persons by the means of transport recorded on any stage of their trafficking "
        "story; a person moved in several ways counts once in each."
    )),
    sensitivity=len(TransportMode.values),
    order=50,
))


def count_referral_source(filter: ReportFilter) -> Counts:
    return one_dimensional(
        (person, source or UNKNOWN)
        for person, source in cases_in(filter).values_list("person_id", "referral_source")
    )


report(Report(
    name="referral-source",
    title=_("Victims by referral source"),
    family=Family.CASES,
    rows=Dimension(title=_("Referred by"), label=choice_label(ReferralSource),
                   categories=categories.picklist(ReferralSource)),
    columns=PERSONS_COLUMN,
    count=count_referral_source,
    unit=_("persons"),
    method=method(_("Persons by who referred their case to the organisation.")),
    order=60,
))


def spelled(rows: Iterable[tuple[int, str | None]]) -> Counts:
    """Persons per free-text place, grouped ignoring case and spaces and shown
    as first spelled in ``rows`` (blank → ``UNKNOWN``)."""
    first: dict[str, str] = {}
    pairs: list[tuple[int, str]] = []
    for person, text in rows:
        group = spelling_key(text)
        if not group:
            pairs.append((person, UNKNOWN))
            continue
        pairs.append((person, first.setdefault(group, " ".join((text or "").split()))))
    return one_dimensional(pairs)


def count_origin_city(filter: ReportFilter) -> Counts:
    return spelled(
        cases_in(filter).order_by("opened_on", "pk")
        .values_list("person_id", "person__origin_city")
    )


report(Report(
    name="origin-city",
    title=_("Victims by city or town of origin"),
    family=Family.CASES,
    rows=Dimension(title=_("City or town of origin"), label=text_label),
    columns=PERSONS_COLUMN,
    count=count_origin_city,
    unit=_("persons"),
    method=method(_(
        "Persons by their city or town of origin as recorded; spellings that differ only "
        "in capitals or spaces are counted together under the first one recorded."
    )),
    order=70,
))


def count_repatriation_place(filter: ReportFilter) -> Counts:
    latest = (
        Repatriation.objects.filter(case=OuterRef("pk"))
        .order_by("-recorded_at", "-id").values("destination_region")[:1]
    )
    return spelled(
        cases_in(filter)
        .filter(Exists(Repatriation.objects.filter(case=OuterRef("pk"))))
        .annotate(repatriated_to=Subquery(latest, output_field=CharField()))
        .order_by("opened_on", "pk")
        .values_list("person_id", "repatriated_to")
    )


report(Report(
    name="repatriation-place",
    title=_("Repatriated victims by destination region"),
    family=Family.CASES,
    rows=Dimension(title=_("Region of destination"), label=text_label),
    columns=PERSONS_COLUMN,
    count=count_repatriation_place,
    unit=_("persons"),
    method=method(_(
        "Repatriated persons by the region they went to, from the case's latest recorded "
        "repatriation; spellings that differ only in capitals or spaces are counted "
        "together. Persons not repatriated are not counted."
    )),
    order=80,
))


def count_assistance_type(filter: ReportFilter) -> Counts:
    return one_dimensional(
        LedgerEntry.objects.filter(
            case__in=cases_in(filter).values("pk"),
            entry_type__in=(EntryType.GRANT, EntryType.PAYMENT),
        ).values_list("case__person_id", "kind__category").distinct()
    )


report(Report(
    name="assistance-type",
    title=_("Reintegration assistance by type"),
    family=Family.CASES,
    rows=Dimension(title=_("Type of assistance"), label=choice_label(AssistanceCategory),
                   categories=categories.picklist(AssistanceCategory)),
    columns=PERSONS_COLUMN,
    count=count_assistance_type,
    unit=_("persons"),
    method=method(_(
        "Persons who were granted or paid reintegration assistance, by its category "
        "(whatever the date of the grant); a person counts once per category. The "
        "services of the shelters' standard package are not included: every person is "
        "offered them."
    )),
    sensitivity=len(AssistanceCategory.values),
    order=90,
))


_MONITORING_ORDER = list(MonitoringPeriod.values)
_MONITORING_ALWAYS = (MonitoringPeriod.THREE_MONTHS, MonitoringPeriod.SIX_MONTHS,
                      MonitoringPeriod.TWELVE_MONTHS)


def count_monitoring_duration(filter: ReportFilter) -> Counts:
    return one_dimensional(
        MonitoringSchedule.objects.filter(case__in=cases_in(filter).values("pk"))
        .values_list("case__person_id", "period").distinct(),
        rows=lambda totals: fixed_order(_MONITORING_ORDER, totals, always=_MONITORING_ALWAYS),
    )


report(Report(
    name="monitoring-duration",
    title=_("Monitored victims by duration of monitoring"),
    family=Family.CASES,
    rows=Dimension(title=_("Duration of monitoring"), label=monitoring_label,
                   categories=categories.picklist(MonitoringPeriod)),
    columns=PERSONS_COLUMN,
    count=count_monitoring_duration,
    unit=_("persons"),
    method=method(_(
        "Persons with a monitoring schedule after reintegration, by the schedule's "
        "period; a person with several schedules counts once in each period."
    )),
    sensitivity=len(MonitoringPeriod.values),
    order=100,
))


# --- sex by age band ---------------------------------------------------------------


_GENDER_ORDER = [value for value in Gender.values if value != Gender.UNKNOWN]


def count_sex_by_age_band(filter: ReportFilter) -> Counts:
    seen: set[tuple[Any, str, str]] = set()
    for person, band, gender in (
        cases_in(filter).values_list("person_id", "age_band", "person__gender").distinct()
    ):
        sex = UNKNOWN if gender in ("", Gender.UNKNOWN) else gender
        seen.add((person, band, sex))
    return counts_of(
        seen, persons=len({person for person, _r, _c in seen}), rows=age_band_order,
        columns=lambda totals: fixed_order(_GENDER_ORDER, totals, always=()),
    )


report(Report(
    name="sex-by-age-band",
    title=_("Victims by age band and sex"),
    family=Family.CASES,
    rows=Dimension(title=_("Age band"), label=age_band_label, categories=AGE_BAND_CATEGORIES),
    columns=Dimension(title=_("Sex"), label=choice_label(Gender), categories=categories.fixed(
        value for value in Gender.values if value != Gender.UNKNOWN
    )),
    count=count_sex_by_age_band,
    unit=_("persons"),
    method=method(_(
        "Persons by age band (year of the case's date minus year of birth) and sex; "
        "persons without a year of birth or a recorded sex are shown as not recorded."
    )),
    chart="stacked",
    order=110,
))
