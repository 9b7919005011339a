"""The shelter occupancy report: distinct persons per shelter and month."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from homeward.cases.choices import ConsentDecision, ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.shelters.models import ShelterStay
from homeward.shelters.tests.factories import make_shelter
from homeward.stats import reports
from homeward.stats.choices import Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.reports.shelters import month_label, shelter_label, span_of

D = datetime.date
REPORT = "shelter-occupancy"
Q1: dict[str, Any] = {"date_from": D(2025, 1, 1), "date_to": D(2025, 3, 31)}


def stay(case: Any, shelter: Any, admitted: datetime.date,
         discharged: datetime.date | None = None) -> ShelterStay:
    return ShelterStay.objects.create(case=case, shelter=shelter, admitted_on=admitted,
                                      discharged_on=discharged)


@pytest.fixture
def shelters(cast):
    a, b = make_shelter(cast.home), make_shelter(cast.home)
    elsewhere = make_shelter(cast.away)
    # Left on 1 January: the last night was 31 December.
    stay(open_case(cast), a, D(2024, 12, 20), D(2025, 1, 1))
    # One night, 31 January; a minor (16 in 2025).
    stay(open_case(cast, birth_year=2009), a, D(2025, 1, 31), D(2025, 2, 1))
    # In and out the same day: no night.
    stay(open_case(cast), a, D(2025, 2, 10), D(2025, 2, 10))
    # Two stays of one person: once in March all the same.
    twice = open_case(cast)
    stay(twice, a, D(2025, 1, 15), D(2025, 3, 5))
    stay(twice, a, D(2025, 3, 10), D(2025, 3, 20))
    # Still there.
    stay(open_case(cast, gender="Masculine"), b, D(2025, 2, 1))
    # Refused the use of their data in statistics.
    refused = open_case(cast)
    give_consent(refused, cast.user("case_worker"), purpose=ConsentPurpose.STATISTICS,
                 decision=ConsentDecision.REFUSED)
    stay(refused, b, D(2025, 1, 1))
    # Another organisation's shelter.
    stay(open_case(cast), elsewhere, D(2025, 1, 1))
    return cast, a, b, elsewhere


def count(cast: Any, **filters: Any) -> Any:
    filters.setdefault("organisations", (cast.home.pk,))
    return reports.get(REPORT).count(ReportFilter(**filters))


def test_distinct_persons_who_spent_a_night_in_each_month(shelters) -> None:
    cast, a, b, _elsewhere = shelters

    counts = count(cast, **Q1)

    assert counts.columns == ["2025-01", "2025-02", "2025-03"]
    assert counts.rows == [str(a.pk), str(b.pk)]
    assert counts.cells == {
        (str(a.pk), "2025-01"): 2, (str(a.pk), "2025-02"): 1, (str(a.pk), "2025-03"): 1,
        (str(b.pk), "2025-02"): 1, (str(b.pk), "2025-03"): 1,
    }
    assert counts.units == 3


def test_only_the_counted_organisations_shelters(shelters) -> None:
    cast, _a, _b, elsewhere = shelters

    counts = count(cast, organisations=(cast.away.pk,), **Q1)

    assert counts.rows == [str(elsewhere.pk)]
    assert counts.cells == {(str(elsewhere.pk), month): 1
                            for month in ("2025-01", "2025-02", "2025-03")}


def test_person_filters_apply(shelters) -> None:
    cast, a, b, _elsewhere = shelters

    assert count(cast, minority=Minority.MINOR, **Q1).cells == {(str(a.pk), "2025-01"): 1}
    assert count(cast, sex="Masculine", **Q1).cells == {
        (str(b.pk), "2025-02"): 1, (str(b.pk), "2025-03"): 1,
    }
    assert count(cast, age_band="15-19", **Q1).cells == {(str(a.pk), "2025-01"): 1}
    assert count(cast, region="Nowhere", **Q1).cells == {}


def test_a_period_starting_mid_month_counts_only_its_nights(shelters) -> None:
    cast, a, b, _elsewhere = shelters

    counts = count(cast, date_from=D(2025, 3, 6), date_to=D(2025, 3, 31))

    # The first stay of the person who came twice ended on 5 March.
    assert counts.cells == {(str(a.pk), "2025-03"): 1, (str(b.pk), "2025-03"): 1}


def test_without_dates_the_last_twelve_months(shelters, monkeypatch) -> None:
    cast, a, _b, _elsewhere = shelters
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2025, 3, 15))

    counts = count(cast)

    assert counts.columns[0] == "2024-04"
    assert counts.columns[-1] == "2025-03"
    assert len(counts.columns) == 12
    assert counts.cells[(str(a.pk), "2024-12")] == 1


def test_a_longer_period_keeps_its_last_24_months() -> None:
    span = span_of(ReportFilter(organisations=(), date_from=D(2020, 1, 1),
                                date_to=D(2025, 3, 31)))
    months = span.months()
    assert len(months) == 24
    assert months[0] == D(2023, 4, 1)
    assert months[-1] == D(2025, 3, 1)


def test_labels_are_the_shelter_name_and_the_month(shelters) -> None:
    _cast, a, _b, _elsewhere = shelters
    with translation.override("en"):
        assert shelter_label(str(a.pk)) == a.name_en
        assert month_label("2025-03") == "March 2025"
    with translation.override("ru"):
        assert shelter_label(str(a.pk)) == a.name_ru


def test_the_report_is_in_the_shelters_family() -> None:
    spec = reports.get(REPORT)
    assert spec.family == Family.SHELTERS
    assert spec.chart == "stacked"


def test_published_with_every_month_and_totals_as_sums(shelters) -> None:
    from homeward.stats.publication import publish

    cast, a, b, _elsewhere = shelters

    table = publish(report=reports.get(REPORT),
                    filter=ReportFilter(organisations=(cast.home.pk,), **Q1), k=1)

    assert table.columns == ("2025-01", "2025-02", "2025-03")
    assert table.row_totals[str(a.pk)].value == 4
    assert table.row_totals[str(b.pk)].value == 2
    assert table.column_totals["2025-02"].value == 2
    assert table.total.value == 6


def test_labelling_every_row_reads_the_shelters_once(
    shelters, django_assert_max_num_queries
) -> None:
    _cast, a, b, elsewhere = shelters
    keys = [str(a.pk), str(b.pk), str(elsewhere.pk)]
    shelter_label(keys[0])
    with django_assert_max_num_queries(0), translation.override("en"):
        assert [shelter_label(key) for key in keys * 3] == [
            a.name_en, b.name_en, elsewhere.name_en] * 3


def test_a_renamed_shelter_is_labelled_with_its_new_name(shelters) -> None:
    _cast, a, _b, _elsewhere = shelters
    with translation.override("en"):
        shelter_label(str(a.pk))
        a.name_en = "Renamed house"
        a.save()
        assert shelter_label(str(a.pk)) == "Renamed house"


def test_the_region_filter_reads_the_region_as_recorded_trimmed_and_in_any_case(cast) -> None:
    shelter = make_shelter(cast.home)
    case = open_case(cast)
    case.person.origin_region = "  Astrakhan "
    case.person.save()
    stay(case, shelter, D(2025, 1, 10), D(2025, 1, 20))

    counts = count(cast, region="astrakhan", **Q1)

    assert counts.cells == {(str(shelter.pk), "2025-01"): 1}
