"""The case reports equal counts worked out by hand.

The fixture (year 2025, HOME and AWAY):

====  ====  ==========  ====  ========  ======  ===========================
case  org   person      born  sex       citz.   destination
====  ====  ==========  ====  ========  ======  ===========================
A     HOME  Anna        1990  F         RU, KZ  TR
A2    HOME  Anna again  1990  F         RU, KZ  TR (she came back for help)
B     HOME  Bela        2009  F         RU      TR (a minor: 16)
C     HOME  Cora        —     unknown   —       — (everything unknown)
E     AWAY  Emil        1960  M         UZ      RU (65)
D     HOME  (refused the "Statistics" consent — never counted)
M     HOME  (a missing-person case — never counted)
X     HOME  (registered in 2024 — outside the period)
====  ====  ==========  ====  ========  ======  ===========================

Persons counted: Anna, Bela, Cora, Emil (4).
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from homeward.cases.choices import (
    CaseKind,
    ConsentDecision,
    ConsentPurpose,
    EventType,
    ReferralSource,
)
from homeward.cases.models import Case, Repatriation, TraffickingEvent
from homeward.cases.tests.factories import give_consent, open_case
from homeward.reintegration.choices import AssistanceCategory, EntryType, MonitoringPeriod
from homeward.reintegration.models import LedgerEntry, MonitoringSchedule
from homeward.reintegration.tests.factories import make_kind
from homeward.shelters.models import Diagnosis, MedicalScreening
from homeward.stats import reports
from homeward.stats.choices import UNKNOWN, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.reports.cases import PERSONS
from homeward.stats.tables import Counts

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = {"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}
BANDS = ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", ">60"]

CASE_REPORTS = [
    "nationality-by-destination", "illness-by-age-band", "exploitation-type",
    "recruitment-mode", "transport-mode", "referral-source", "origin-city",
    "repatriation-place", "assistance-type", "monitoring-duration", "sex-by-age-band",
]


@dataclasses.dataclass
class World:
    cast: Any
    cases: dict[str, Case]

    def filter(self, **overrides: Any) -> ReportFilter:
        values: dict[str, Any] = {
            "organisations": (self.cast.home.pk, self.cast.away.pk), **YEAR, **overrides,
        }
        return ReportFilter(**values)


def _screen(case: Case, *groups: str) -> None:
    screening = MedicalScreening.objects.create(
        case=case, organisation=case.organisation, examined_on=case.opened_on
    )
    for group in groups:
        Diagnosis.objects.create(screening=screening, group=group)


def _event(case: Case, *modes: str, type: str = EventType.TRANSIT) -> None:
    TraffickingEvent.objects.create(case=case, type=type, transport_modes=list(modes))


def _repatriate(case: Case, region: str) -> None:
    Repatriation.objects.create(case=case, document_status="Valid", destination_region=region)


def _monitor(case: Case, period: str) -> None:
    MonitoringSchedule.objects.create(case=case, organisation=case.organisation, period=period,
                                      starts_on=case.opened_on)


def _ledger(case: Case, actor: Any, kind: Any, entry_type: str = EntryType.GRANT) -> None:
    LedgerEntry.objects.create(
        case=case, organisation=case.organisation, entry_type=entry_type, kind=kind,
        amount=Decimal("100.00"), currency="EUR", entry_on=case.opened_on, approved_by=actor,
        recorded_by=actor,
    )


@pytest.fixture
def world(cast: Any) -> World:
    home_worker = cast.user("case_worker", "home")
    away_worker = cast.user("case_worker", "away")
    a = open_case(
        cast, opened_on=D(2025, 3, 10), birth_year=1990, gender="Feminine",
        citizenships=["RU", "KZ"], origin_city="Kazan", origin_region="Tatarstan",
        destination_country="TR", exploitation_types=["SexualExploitation", "ForcedLabour"],
        recruitment_channels=["PersonalContact", "Internet"],
        referral_source=ReferralSource.IOM_MISSION,
    )
    a2 = open_case(
        cast, person=a.person, opened_on=D(2025, 9, 1), destination_country="TR",
        exploitation_types=["ForcedLabour"], recruitment_channels=["PersonalContact"],
        referral_source=ReferralSource.SELF,
    )
    b = open_case(
        cast, opened_on=D(2025, 5, 1), birth_year=2009, gender="Feminine", citizenships=["RU"],
        origin_city="KAZAN ", destination_country="TR", exploitation_types=["SexualExploitation"],
        referral_source=ReferralSource.HOTLINE,
    )
    c = open_case(
        cast, opened_on=D(2025, 7, 1), birth_year=None, gender="NonSpecifiedUnknown",
        citizenships=[], referral_source=ReferralSource.NGO,
    )
    e = open_case(
        cast.away, opened_on=D(2025, 8, 1), birth_year=1960, gender="Masculine",
        citizenships=["UZ"], origin_city="Samarkand", destination_country="RU",
        exploitation_types=["ForcedLabour"], recruitment_channels=["EmploymentAgency"],
        referral_source=ReferralSource.LAW_ENFORCEMENT,
    )
    d = open_case(
        cast, opened_on=D(2025, 2, 1), birth_year=1985, citizenships=["RU"],
        origin_city="Kazan", destination_country="AE", exploitation_types=["ForcedLabour"],
        recruitment_channels=["Internet"],
    )
    give_consent(d, home_worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 2, 1))
    give_consent(d, home_worker, ConsentPurpose.STATISTICS, decided_on=D(2025, 3, 1),
                 decision=ConsentDecision.REFUSED)
    m = open_case(
        cast, kind=CaseKind.MISSING_PERSON, opened_on=D(2025, 4, 1), citizenships=["RU"],
        destination_country="TR", origin_city="Kazan",
        missing_report={"reporter_name": "Mother", "reporter_relationship": "Parent"},
    )
    x = open_case(cast, opened_on=D(2024, 6, 1), citizenships=["RU"], destination_country="TR",
                  origin_city="Kazan", exploitation_types=["ForcedLabour"])

    # Illness: a group counts once per screening.
    _screen(a, "Syphilis", "Syphilis", "HepatitisB")
    _screen(b, "Syphilis")
    _screen(b, "Syphilis", "Respiratory")
    _screen(e, "Respiratory")
    for excluded in (d, m, x):
        _screen(excluded, "Hiv")
    # Transport: the union of the case's events.
    _event(a, "Bus")
    _event(a, "Plane", "Bus")
    _event(a2, "Bus")
    _event(e, "Train")
    _event(e, type=EventType.EXPLOITATION)
    for excluded in (d, m, x):
        _event(excluded, "Car")
    # Repatriation: the latest one.
    _repatriate(a, "Tatarstan ")
    _repatriate(b, "Mari El")
    _repatriate(b, "Chuvashia")
    _repatriate(e, "")
    for excluded in (d, m, x):
        _repatriate(excluded, "Tatarstan")
    # Assistance: grants and payments, once per person and category.
    cash = make_kind(category=AssistanceCategory.CASH)
    training = make_kind(category=AssistanceCategory.VOCATIONAL_TRAINING)
    education = make_kind(category=AssistanceCategory.EDUCATION)
    _ledger(a, home_worker, cash)
    _ledger(a, home_worker, cash, EntryType.PAYMENT)
    _ledger(a2, home_worker, cash)
    _ledger(a, home_worker, training)
    _ledger(a, home_worker, education, EntryType.CORRECTION)
    _ledger(e, away_worker, cash)
    for excluded in (d, m, x):
        _ledger(excluded, home_worker, education)
    # Monitoring.
    _monitor(a, MonitoringPeriod.SIX_MONTHS)
    _monitor(a2, MonitoringPeriod.SIX_MONTHS)
    _monitor(b, MonitoringPeriod.THREE_MONTHS)
    _monitor(b, MonitoringPeriod.TWELVE_MONTHS)
    _monitor(e, MonitoringPeriod.SIX_MONTHS)
    for excluded in (d, m, x):
        _monitor(excluded, MonitoringPeriod.CUSTOM)
    return World(cast=cast, cases={"A": a, "A2": a2, "B": b, "C": c, "E": e, "D": d, "M": m,
                                   "X": x})


def _count(name: str, filter: ReportFilter) -> Counts:
    return reports.get(name).count(filter)


def _column(counts: Counts) -> dict[str, int]:
    """A one-dimensional report as {row: persons}, in row order."""
    assert counts.columns == [PERSONS]
    return {row: counts.value(row, PERSONS) for row in counts.rows}


def test_every_case_report_is_registered_with_title_unit_and_method() -> None:
    for name in CASE_REPORTS:
        spec = reports.get(name)
        assert spec.family == Family.CASES
        with translation.override("en"):
            assert str(spec.title)
            assert str(spec.unit)
            assert "missing-person" in str(spec.method)
    assert [spec.name for spec in reports.all_reports(Family.CASES)] == CASE_REPORTS


def test_nationality_by_destination_counts_each_citizenship(world: World) -> None:
    counts = _count("nationality-by-destination", world.filter())

    assert counts.rows == ["TR", "RU", UNKNOWN]
    assert counts.columns == ["RU", "KZ", "UZ", UNKNOWN]
    assert counts.cells == {
        ("TR", "RU"): 2, ("TR", "KZ"): 1, ("RU", "UZ"): 1, (UNKNOWN, UNKNOWN): 1,
    }
    assert counts.units == 4


def test_nationality_by_destination_of_one_organisation_and_of_minors(world: World) -> None:
    away = _count("nationality-by-destination", world.filter(organisations=(world.cast.away.pk,)))
    minors = _count("nationality-by-destination", world.filter(minority=Minority.MINOR))

    assert away.cells == {("RU", "UZ"): 1}
    assert minors.cells == {("TR", "RU"): 1}
    assert minors.units == 1


def test_nationality_by_destination_without_a_period_counts_earlier_cases(world: World) -> None:
    counts = _count("nationality-by-destination",
                    world.filter(date_from=None, date_to=None))

    assert counts.cells[("TR", "RU")] == 3  # X, registered in 2024, too
    assert counts.units == 5


def test_illness_counts_a_group_once_per_screening_by_age_band(world: World) -> None:
    counts = _count("illness-by-age-band", world.filter())

    assert counts.rows == ["Syphilis", "Respiratory", "HepatitisB"]
    assert counts.columns == BANDS
    assert counts.cells == {
        ("Syphilis", "35-39"): 1, ("HepatitisB", "35-39"): 1,
        ("Syphilis", "15-19"): 2, ("Respiratory", "15-19"): 1,
        ("Respiratory", ">60"): 1,
    }
    assert counts.units == 3


def test_exploitation_type_counts_a_person_once_per_type(world: World) -> None:
    counts = _count("exploitation-type", world.filter())

    assert _column(counts) == {"ForcedLabour": 2, "SexualExploitation": 2, UNKNOWN: 1}
    assert counts.units == 4


def test_recruitment_mode_reads_the_recruitment_channels(world: World) -> None:
    counts = _count("recruitment-mode", world.filter())

    assert _column(counts) == {
        "EmploymentAgency": 1, "Internet": 1, "PersonalContact": 1, UNKNOWN: 2,
    }


def test_transport_mode_is_the_union_of_the_cases_events(world: World) -> None:
    counts = _count("transport-mode", world.filter())

    assert _column(counts) == {"Bus": 1, "Plane": 1, "Train": 1, UNKNOWN: 2}


def test_referral_source_counts_every_source_of_a_person(world: World) -> None:
    counts = _count("referral-source", world.filter())

    assert _column(counts) == {
        "Hotline": 1, "IomMission": 1, "LawEnforcement": 1, "Ngo": 1, "Self": 1,
    }
    assert counts.units == 4


def test_origin_city_groups_spellings_under_the_first_recorded(world: World) -> None:
    counts = _count("origin-city", world.filter())

    assert _column(counts) == {"Kazan": 2, "Samarkand": 1, UNKNOWN: 1}


def test_repatriation_place_is_the_latest_repatriations_region(world: World) -> None:
    counts = _count("repatriation-place", world.filter())

    assert _column(counts) == {"Chuvashia": 1, "Tatarstan": 1, UNKNOWN: 1}
    assert counts.units == 3


def test_assistance_type_counts_grants_and_payments_once_per_person(world: World) -> None:
    counts = _count("assistance-type", world.filter())

    assert _column(counts) == {"CashSupport": 2, "VocationalTrainingGrant": 1}
    assert counts.units == 2


def test_monitoring_duration_shows_the_three_periods(world: World) -> None:
    counts = _count("monitoring-duration", world.filter())

    assert _column(counts) == {"3": 1, "6": 2, "12": 1}
    home_adults = world.filter(organisations=(world.cast.home.pk,), minority="adult")
    assert _column(_count("monitoring-duration", home_adults)) == {"3": 0, "6": 1, "12": 0}


def test_sex_by_age_band_keeps_the_fixed_bands_and_shows_unknowns(world: World) -> None:
    counts = _count("sex-by-age-band", world.filter())

    assert counts.rows == [*BANDS, UNKNOWN]
    assert counts.columns == ["Feminine", "Masculine", UNKNOWN]
    assert counts.cells == {
        ("35-39", "Feminine"): 1, ("15-19", "Feminine"): 1, (">60", "Masculine"): 1,
        (UNKNOWN, UNKNOWN): 1,
    }


def test_sex_by_age_band_shows_under_15s_when_there_are_any(world: World) -> None:
    open_case(world.cast, opened_on=D(2025, 6, 1), birth_year=2013, gender="Masculine")

    counts = _count("sex-by-age-band", world.filter())

    assert counts.rows[0] == "<15"
    assert counts.value("<15", "Masculine") == 1


def test_reports_count_nothing_for_an_empty_selection(world: World) -> None:
    empty = world.filter(organisations=())
    for name in CASE_REPORTS:
        counts = _count(name, empty)
        assert counts.cells == {}
        assert counts.units == 0


def test_labels_read_in_the_active_language(world: World) -> None:
    spec = reports.get("nationality-by-destination")
    with translation.override("ru"):
        assert spec.rows.label("TR") == "Турция"
    with translation.override("en"):
        assert spec.rows.label("TR") == "Türkiye"
        assert spec.columns.label(UNKNOWN) == "Not recorded"
        assert reports.get("sex-by-age-band").rows.label(">60") == "60 and over"
        assert reports.get("exploitation-type").rows.label("ForcedLabour") == "Forced labour"
        assert reports.get("monitoring-duration").rows.label("3") == "Up to 3 months"
        assert reports.get("origin-city").rows.label("Kazan") == "Kazan"


def test_reports_read_a_handful_of_queries(world: World, django_assert_max_num_queries: Any
                                           ) -> None:
    for name in CASE_REPORTS:
        with django_assert_max_num_queries(2):
            _count(name, world.filter())
