"""The network occupancy overview: counts only, from admissions and discharges."""

from __future__ import annotations

import datetime
import json
from collections import Counter

import pytest
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case
from homeward.shelters.dashboard import add_months, last_months, month_start, network_overview
from homeward.shelters.services import stays, waiting
from homeward.shelters.services.stays import ChildIn
from homeward.shelters.tests.factories import make_shelter

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def network(cast):
    """Kazan: one person gone after 40 days, one staying with a toddler (cot)
    and a five-year-old (bed); Moscow: empty; one person waiting."""
    coordinator = cast.user(Role.COORDINATOR)
    kazan = make_shelter(cast.home, name_en="Kazan house", beds=10, cots=2)
    moscow = make_shelter(cast.home, name_en="Moscow house", region="Moscow", city="Moscow",
                          beds=5, cots=0)
    gone = open_case(cast, opened_on=_days_ago(60), last_name="Уехавшая")
    staying = open_case(cast, opened_on=_days_ago(60), last_name="Живущая")
    stay = stays.stay_admit(actor=coordinator, shelter=kazan, case=gone,
                            admitted_on=_days_ago(45))
    stays.stay_discharge(actor=coordinator, stay=stay, discharged_on=_days_ago(5),
                         reason="Reintegrated")
    stays.stay_admit(actor=coordinator, shelter=kazan, case=staying, admitted_on=_days_ago(20),
                     children=[ChildIn(age_months=18), ChildIn(age_months=60)])
    waiting.waiting_add(actor=coordinator, case=open_case(cast, last_name="Ждущая"))
    return {"kazan": kazan, "moscow": moscow, "cases": [gone, staying]}


def test_counts_beds_and_cots_of_each_shelter_from_the_open_stays(network):
    overview = network_overview()
    rows = {row["id"]: row for row in overview["shelters"]}
    kazan = rows[network["kazan"].pk]
    assert (kazan["beds"], kazan["beds_used"], kazan["beds_free"]) == (10, 2, 8)
    assert (kazan["cots"], kazan["cots_used"], kazan["cots_free"]) == (2, 1, 1)
    moscow = rows[network["moscow"].pk]
    assert (moscow["beds_used"], moscow["beds_free"], moscow["cots_free"]) == (0, 5, 0)


def test_sums_shelters_per_region_and_for_the_network(network):
    overview = network_overview()
    regions = {row["region"]: row for row in overview["regions"]}
    assert list(regions) == ["Moscow", "Republic of Tatarstan"]
    assert regions["Republic of Tatarstan"]["shelters"] == 1
    assert regions["Republic of Tatarstan"]["beds_free"] == 8
    assert overview["totals"] == {
        "shelters": 2, "beds": 15, "beds_used": 2, "beds_free": 13,
        "cots": 2, "cots_used": 1, "cots_free": 1,
    }


def test_counts_admissions_per_month_over_twelve_months(network):
    overview = network_overview()
    months = overview["months"]
    assert len(months) == 12
    assert months[-1]["month"] == timezone.localdate().strftime("%Y-%m")
    expected = Counter(month_start(_days_ago(days)).strftime("%Y-%m") for days in (45, 20))
    assert {row["month"]: row["admissions"] for row in months if row["admissions"]} == expected


def test_averages_the_length_of_the_stays_that_ended_each_month(network):
    months = {row["month"]: row for row in network_overview()["months"]}
    ended = months[_days_ago(5).strftime("%Y-%m")]
    assert (ended["discharges"], ended["average_stay_days"]) == (1, 40.0)
    others = [row for key, row in months.items() if key != _days_ago(5).strftime("%Y-%m")]
    assert all(row["average_stay_days"] is None for row in others)


def test_counts_the_people_waiting(network):
    assert network_overview()["waiting"] == 1


def test_never_names_a_case_or_a_person(network):
    text = json.dumps(network_overview(), default=str)
    for case in network["cases"]:
        assert case.code not in text
    for name in ("Уехавшая", "Живущая", "Ждущая"):
        assert name not in text


def test_month_helpers_cross_the_year():
    assert add_months(datetime.date(2026, 1, 15), -1) == datetime.date(2025, 12, 1)
    assert last_months(datetime.date(2026, 3, 31), 3) == [
        datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1),
    ]
