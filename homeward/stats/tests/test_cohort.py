"""Who a case report counts: ``cohort.cases_in`` (decisions 1–3)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from homeward.accounts.roles import Role
from homeward.cases.choices import CaseKind, ConsentDecision, ConsentPurpose, Step
from homeward.cases.models import Case, CaseStep
from homeward.cases.tests.factories import give_consent, open_case
from homeward.stats.choices import UNKNOWN, DateBasis, Minority
from homeward.stats.cohort import age_band_of, cases_in, counted_cases
from homeward.stats.filters import ReportFilter

pytestmark = pytest.mark.django_db

D = datetime.date


def _filter(cast: Any, **overrides: Any) -> ReportFilter:
    values: dict[str, Any] = {"organisations": (cast.home.pk, cast.away.pk), **overrides}
    return ReportFilter(**values)


def _codes(filter: ReportFilter) -> set[str]:
    return set(cases_in(filter).values_list("code", flat=True))


def _identified(case: Case, on: datetime.date) -> None:
    CaseStep.objects.create(case=case, step=Step.IDENTIFICATION, happened_on=on)


@pytest.mark.parametrize(("age", "band"), [
    (None, UNKNOWN), (0, "<15"), (14, "<15"), (15, "15-19"), (19, "15-19"), (20, "20-24"),
    (37, "35-39"), (59, "55-59"), (60, ">60"), (83, ">60"),
])
def test_age_band_of_gives_five_year_bands_and_open_ends(age: int | None, band: str) -> None:
    assert age_band_of(age) == band


def test_counts_victim_cases_but_not_missing_person_cases(cast: Any) -> None:
    victim = open_case(cast)
    open_case(cast, kind=CaseKind.MISSING_PERSON,
              missing_report={"reporter_name": "Mother", "reporter_relationship": "Parent"})

    assert _codes(_filter(cast)) == {victim.code}


def test_the_newest_statistics_decision_decides_and_no_decision_counts(cast: Any) -> None:
    worker = cast.user("case_worker")
    undecided = open_case(cast, opened_on=D(2025, 1, 10))
    given = open_case(cast, opened_on=D(2025, 1, 10))
    give_consent(given, worker, ConsentPurpose.STATISTICS)
    refused = open_case(cast, opened_on=D(2025, 1, 10))
    give_consent(refused, worker, ConsentPurpose.STATISTICS, decision=ConsentDecision.REFUSED)
    withdrawn = open_case(cast, opened_on=D(2025, 1, 10))
    give_consent(withdrawn, worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 1, 10))
    give_consent(withdrawn, worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 2, 1),
                 decision=ConsentDecision.WITHDRAWN)
    changed_mind = open_case(cast, opened_on=D(2025, 1, 10))
    give_consent(changed_mind, worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 1, 10),
                 decision=ConsentDecision.REFUSED)
    give_consent(changed_mind, worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 3, 1))
    # Another purpose refused does not matter.
    other_purpose = open_case(cast, opened_on=D(2025, 1, 10))
    give_consent(other_purpose, worker, ConsentPurpose.PHONE_CONTACT,
                 decision=ConsentDecision.REFUSED)

    expected = {undecided.code, given.code, changed_mind.code, other_purpose.code}
    assert _codes(_filter(cast)) == expected
    assert set(counted_cases().values_list("code", flat=True)) == expected


def test_counts_only_the_organisations_of_the_filter(cast: Any) -> None:
    home = open_case(cast)
    away = open_case(cast.away)

    assert _codes(_filter(cast)) == {home.code, away.code}
    assert _codes(_filter(cast, organisations=(cast.away.pk,))) == {away.code}
    assert _codes(_filter(cast, organisations=())) == set()


def test_the_period_is_inclusive_on_the_registration_date(cast: Any) -> None:
    before = open_case(cast, opened_on=D(2024, 12, 31))
    first = open_case(cast, opened_on=D(2025, 1, 1))
    last = open_case(cast, opened_on=D(2025, 12, 31))
    after = open_case(cast, opened_on=D(2026, 1, 1))

    year = _filter(cast, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    assert _codes(year) == {first.code, last.code}
    assert _codes(_filter(cast, date_to=D(2024, 12, 31))) == {before.code}
    assert _codes(_filter(cast, date_from=D(2026, 1, 1))) == {after.code}


def test_identification_basis_uses_the_earliest_identification_step(cast: Any) -> None:
    # Identified in December, registered in January.
    early = open_case(cast, opened_on=D(2025, 1, 15))
    _identified(early, D(2024, 12, 20))
    # A later identification step does not move the date.
    plain = open_case(cast, opened_on=D(2025, 2, 1))
    _identified(plain, D(2025, 6, 1))
    # No identification step at all: the registration date.
    stepless = open_case(cast, opened_on=D(2025, 3, 1))
    CaseStep.objects.filter(case=stepless).delete()

    by_registration = _filter(cast, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    by_identification = _filter(cast, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31),
                                basis=DateBasis.IDENTIFICATION)
    assert _codes(by_registration) == {early.code, plain.code, stepless.code}
    assert _codes(by_identification) == {plain.code, stepless.code}
    dates = dict(cases_in(by_identification).values_list("code", "reference_date"))
    assert dates == {plain.code: D(2025, 2, 1), stepless.code: D(2025, 3, 1)}


def test_age_is_the_reference_year_minus_the_birth_year(cast: Any) -> None:
    case = open_case(cast, birth_year=2007, opened_on=D(2025, 1, 10))
    _identified(case, D(2024, 12, 20))
    unknown = open_case(cast, birth_year=None, opened_on=D(2025, 1, 10))

    registration = dict(cases_in(_filter(cast)).values_list("code", "age"))
    assert registration == {case.code: 18, unknown.code: None}
    identification = dict(
        cases_in(_filter(cast, basis=DateBasis.IDENTIFICATION)).values_list("code", "age_band")
    )
    assert identification == {case.code: "15-19", unknown.code: UNKNOWN}


def test_minority_compares_the_age_with_18_and_unknown_ages_are_neither(cast: Any) -> None:
    minor = open_case(cast, birth_year=2008, opened_on=D(2025, 5, 1))  # 17
    adult = open_case(cast, birth_year=2007, opened_on=D(2025, 5, 1))  # 18
    open_case(cast, birth_year=None, opened_on=D(2025, 5, 1))

    assert _codes(_filter(cast, minority=Minority.MINOR)) == {minor.code}
    assert _codes(_filter(cast, minority=Minority.ADULT)) == {adult.code}
    # Identified a year earlier, the adult was 17.
    _identified(adult, D(2024, 5, 1))
    by_identification = _filter(cast, minority=Minority.MINOR, basis=DateBasis.IDENTIFICATION)
    assert _codes(by_identification) == {minor.code, adult.code}


def test_age_band_filter_includes_the_unknown_band(cast: Any) -> None:
    young = open_case(cast, birth_year=2005, opened_on=D(2025, 5, 1))  # 20
    old = open_case(cast, birth_year=1960, opened_on=D(2025, 5, 1))  # 65
    unknown = open_case(cast, birth_year=None, opened_on=D(2025, 5, 1))

    assert _codes(_filter(cast, age_band="20-24")) == {young.code}
    assert _codes(_filter(cast, age_band=">60")) == {old.code}
    assert _codes(_filter(cast, age_band=UNKNOWN)) == {unknown.code}
    assert _codes(_filter(cast, age_band="25-29")) == set()


def test_sex_and_region_filters_read_the_persons_plain_columns(cast: Any) -> None:
    woman = open_case(cast, gender="Feminine", origin_region="Tatarstan")
    man = open_case(cast, gender="Masculine", origin_region="  tatarstan")
    open_case(cast, gender="Feminine", origin_region="Mari El")

    assert _codes(_filter(cast, sex="Masculine")) == {man.code}
    assert _codes(_filter(cast, region=" TATARSTAN ", sex="Feminine")) == {woman.code}
    assert _codes(_filter(cast, region="tatarstan")) == {woman.code, man.code}


def test_the_sql_age_band_agrees_with_age_band_of(cast: Any) -> None:
    ages = [0, 14, 15, 19, 20, 24, 55, 59, 60, 61, 99]
    for age in ages:
        open_case(cast, birth_year=2025 - age, opened_on=D(2025, 6, 1))

    rows = cases_in(_filter(cast)).values_list("age", "age_band")
    assert sorted(rows, key=lambda row: row[0] or 0) == [(age, age_band_of(age)) for age in ages]


def test_one_case_per_person_keeps_each_persons_latest_case(cast) -> None:
    """A noisy release counts a person once, through their latest case."""
    worker = cast.user(Role.CASE_WORKER)
    first = open_case(cast, worker, opened_on=datetime.date(2026, 2, 1))
    second = open_case(cast, worker, opened_on=datetime.date(2026, 5, 1))
    Case.objects.filter(pk=second.pk).update(person=first.person)
    other = open_case(cast, worker, opened_on=datetime.date(2026, 3, 1))
    every = ReportFilter(organisations=(cast.home.pk,))
    once = dataclasses.replace(every, one_case_per_person=True)
    assert set(cases_in(every).values_list("pk", flat=True)) == {first.pk, second.pk, other.pk}
    assert set(cases_in(once).values_list("pk", flat=True)) == {second.pk, other.pk}
