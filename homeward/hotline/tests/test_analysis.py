"""The analysis numbers against counts worked out by hand, with suppression.

The fixture (k = 5 unless said otherwise), all in HOME, March 2026:

* 12 calls on line A from relatives in Astrakhan (RU) about someone in
  Turkey, topics rescue + legal, on Tuesday 3 March;
* 7 messages on line A from possible victims in Dubai (AE), no country of
  concern (so the destination is AE), topic rescue, on Tuesday 10 March;
* 3 calls on line B from people in Moscow planning to work abroad, topic
  job offer check, on Tuesday 17 March.

The previous period (29 January – 28 February): 6 like the first group and
5 like the second. AWAY has 9 calls of its own in March that HOME never sees.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from homeward.hotline.analysis import Period, Scope, overview, regions
from homeward.hotline.analysis.campaigns import campaign_analysis
from homeward.hotline.analysis.regions import build_ranking
from homeward.hotline.analysis.scope import analysis_organisations
from homeward.hotline.analysis.suppression import Cell, average, change_percent, suppress
from homeward.hotline.choices import CallerType, Channel, Outcome
from homeward.hotline.models import Campaign, Contact
from homeward.hotline.tests.factories import make_line

pytestmark = pytest.mark.django_db

MARCH = Period(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31), grain="week")


def add(line: Any, operator: Any, n: int, day: datetime.date, **fields: Any) -> None:
    started = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    for _ in range(n):
        Contact(
            organisation=line.organisation, line=line, operator=operator, started_at=started,
            outcome=Outcome.ADVICE_GIVEN, caller_name="Never shown", caller_phone="+79990000000",
            **fields,
        ).save()


RELATIVE = {"channel": Channel.CALL, "caller_type": CallerType.RELATIVE_OR_FRIEND,
            "caller_country": "RU", "caller_region": "Astrakhan Oblast",
            "caller_city": "Astrakhan", "concern_country": "TR",
            "topics": ["RescueRequest", "Legal"]}
VICTIM = {"channel": Channel.MESSAGE, "caller_type": CallerType.POSSIBLE_VICTIM,
          "caller_country": "AE", "caller_city": "Dubai", "topics": ["RescueRequest"]}
PLANNING = {"channel": Channel.CALL, "caller_type": CallerType.PLANNING_TO_WORK_ABROAD,
            "caller_country": "RU", "caller_region": "Moscow", "caller_city": "Moscow",
            "topics": ["JobOfferCheck"]}


@pytest.fixture
def k5(settings: Any) -> None:
    settings.HOMEWARD_MIN_CELL_COUNT = 5


@pytest.fixture
def calls(cast: Any) -> dict[str, Any]:
    operator = cast.user("hotline_operator")
    line_a = make_line(cast, label_en="Line A")
    line_b = make_line(cast, label_en="Line B")
    add(line_a, operator, 12, datetime.date(2026, 3, 3), **RELATIVE)
    add(line_a, operator, 7, datetime.date(2026, 3, 10), **VICTIM)
    add(line_b, operator, 3, datetime.date(2026, 3, 17), **PLANNING)
    add(line_a, operator, 6, datetime.date(2026, 2, 10), **RELATIVE)
    add(line_b, operator, 5, datetime.date(2026, 2, 20), **VICTIM)
    away_line = make_line(cast, "away", label_en="Away line")
    add(away_line, cast.user("hotline_operator", "away"), 9, datetime.date(2026, 3, 5),
        **{**PLANNING, "concern_country": "DE"})
    return {"a": line_a, "b": line_b, "away": away_line}


def home(cast: Any) -> Scope:
    return Scope(organisations=(cast.home,))


def shown(cells: list[Any]) -> list[str]:
    return [cell.display for cell in cells]


# --- suppression --------------------------------------------------------------


def test_small_counts_are_hidden_and_zero_is_shown():
    assert shown(suppress([0, 1, 10, 11, 40], 11)) == ["0", "<11", "<11", "11", "40"]


def test_the_only_hidden_cell_of_a_table_with_its_total_hides_the_next_smallest():
    # 3 alone could be worked out as 45 - 12 - 30: 12 goes too, not 0.
    assert shown(suppress([3, 0, 12, 30], 11, total=45)) == ["<11", "0", "<11", "30"]


def test_two_hidden_cells_need_no_secondary_suppression():
    assert shown(suppress([3, 4, 12, 30], 11, total=49)) == ["<11", "<11", "12", "30"]


def test_without_a_shown_total_a_lone_hidden_cell_stays_alone():
    assert shown(suppress([3, 12, 30], 11)) == ["<11", "12", "30"]
    assert shown(suppress([3, 5], 11, total=8)) == ["<11", "<11"]


def test_numbers_derived_from_a_hidden_cell_are_hidden():
    hidden, twelve, six = Cell(None, 11), Cell(12, 11), Cell(6, 11)
    assert change_percent(hidden, six) is None
    assert change_percent(twelve, hidden) is None
    assert change_percent(twelve, six) == 100
    assert change_percent(twelve, Cell(0, 11)) is None
    assert average(hidden, 7) is None
    assert average(twelve, 7) == 1.7


def test_k_comes_from_the_setting(cast, calls, settings):
    settings.HOMEWARD_MIN_CELL_COUNT = 13
    result = overview(home(cast), MARCH)
    assert result.total.display == "22"
    assert {row.key: row.count.display for row in result.caller_types.rows}[
        "RelativeOrFriend"] == "<13"
    settings.HOMEWARD_MIN_CELL_COUNT = 23
    assert overview(home(cast), MARCH).total.display == "<23"


# --- the overview -------------------------------------------------------------


def test_overview_counts_equal_the_hand_counts(cast, calls, k5):
    result = overview(home(cast), MARCH)
    assert result.total.display == "22"
    # Weeks from Monday 23 February: 0, 12, 7, 3, 0, 0 — 3 is small, and
    # then the only hidden cell, so 7 is hidden as well.
    assert [row.key for row in result.over_time.rows] == [
        "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]
    assert shown([row.count for row in result.over_time.rows]) == ["0", "12", "<5", "<5", "0", "0"]
    # Lines: A 19, B 3: B is small, A would give it away.
    assert {row.label: row.count.display for row in result.lines.rows} == {
        "Line A": "<5", "Line B": "<5"}
    assert {row.key: row.count.display for row in result.caller_types.rows} == {
        "PossibleVictim": "<5", "RelativeOrFriend": "12", "PlanningToWorkAbroad": "<5",
        "Professional": "0", "Other": "0"}
    assert {row.key: row.count.display for row in result.channels.rows} == {
        "Call": "15", "Email": "0", "Message": "7", "WalkIn": "0"}
    # Topics count a contact once per topic: rescue 19, legal 12, job offers 3.
    topics = {row.key: row.count.display for row in result.topics.rows}
    assert topics["RescueRequest"] == "19"
    assert topics["JobOfferCheck"] == "<5"
    assert topics["Legal"] == "<5"
    assert topics["MissingPerson"] == "0"
    assert result.topics.total.display == "22"


def test_overview_with_the_default_k_hides_everything_below_eleven(cast, calls):
    result = overview(home(cast), MARCH)
    # Messages 7 are small; calls 15 would give them away.
    assert {row.key: row.count.display for row in result.channels.rows} == {
        "Call": "<11", "Email": "0", "Message": "<11", "WalkIn": "0"}
    assert result.total.display == "22"


def test_overview_counts_one_line_and_per_day_and_month(cast, calls, k5):
    one_line = Scope(organisations=(cast.home,), line=calls["a"])
    assert overview(one_line, MARCH).total.display == "19"
    days = overview(home(cast), Period(MARCH.start, MARCH.end, "day")).over_time.rows
    assert len(days) == 31
    assert {row.key: row.count.display for row in days if row.count.value != 0} == {
        "2026-03-03": "12", "2026-03-10": "<5", "2026-03-17": "<5"}
    months = overview(home(cast), Period(datetime.date(2026, 2, 1), MARCH.end, "month"))
    assert shown([row.count for row in months.over_time.rows]) == ["11", "22"]


def test_a_hidden_count_never_reaches_the_result(cast, calls, k5):
    result = overview(home(cast), MARCH)
    for table in result.tables:
        for row in table.rows:
            assert row.count.value is None or row.count.value == 0 or row.count.value >= 5
    assert 3 not in result.over_time.chart_data()["values"]  # type: ignore[operator]


def test_other_organisations_contacts_are_not_counted(cast, calls, k5):
    assert overview(Scope(organisations=(cast.away,)), MARCH).total.display == "9"
    assert overview(Scope(organisations=(cast.home, cast.away)), MARCH).total.display == "31"


# --- regions ------------------------------------------------------------------


def test_caller_regions_rank_with_the_change_against_the_previous_period(cast, calls, k5):
    result = regions(home(cast), MARCH)
    assert result.previous_period == Period(
        datetime.date(2026, 1, 29), datetime.date(2026, 2, 28), "week")
    rows = result.caller_regions.rows
    # Astrakhan 12 (before: 6); Dubai 7 and Moscow 3 are hidden (3 is small,
    # 7 the next smallest), listed by name after the shown ones.
    assert [(row.label, row.count.display, row.previous.display) for row in rows] == [
        ("Astrakhan Oblast, Russia", "12", "6"),
        ("Moscow, Russia", "<5", "0"),
        ("United Arab Emirates, place not recorded", "<5", "5"),
    ]
    assert (rows[0].change, rows[0].change_percent, rows[0].trend) == (6, 100, "up")
    assert (rows[1].change, rows[1].change_percent, rows[1].trend) == (None, None, "")
    assert result.caller_regions.total.display == "22"
    assert result.caller_regions.previous_total.display == "11"


def test_destinations_use_the_country_of_concern_or_the_victims_own(cast, calls, k5):
    rows = regions(home(cast), MARCH).destinations.rows
    # TR 12 (before 6); AE 7 (victims in Dubai; before 5); not known 3.
    assert [(row.key, row.count.display, row.previous.display) for row in rows] == [
        ("TR", "12", "6"), ("", "<5", "0"), ("AE", "<5", "5"),
    ]
    assert [(row["iso"], row["value"], row["display"])
            for row in regions(home(cast), MARCH).map_data()] == [
        ("TR", 12, "12"), ("AE", None, "<5")]


def test_ranking_trends_say_new_down_and_same():
    ranking = build_ranking(
        name="x", title="x", column="x", label=str, k=5,
        current={"new": 9, "down": 10, "same": 20, "gone": 0},
        previous={"new": 0, "down": 15, "same": 20, "gone": 8},
    )
    trends = {row.key: (row.trend, row.change, row.change_percent) for row in ranking.rows}
    assert trends == {
        "same": ("same", 0, 0), "down": ("down", -5, -33), "new": ("new", 9, None),
        "gone": ("down", -8, -100),
    }


# --- campaigns ----------------------------------------------------------------


@pytest.fixture
def campaign(cast: Any) -> Campaign:
    return Campaign.objects.create(
        organisation=cast.home, name="Bus stop posters", cities="Astrakhan, Volgograd",
        starts_on=datetime.date(2026, 3, 9), ends_on=datetime.date(2026, 3, 15),
    )


def test_campaign_weeks_before_during_and_after(cast, calls, campaign, k5):
    result = campaign_analysis(home(cast), campaign, weeks_around=1,
                               today=datetime.date(2026, 4, 30))
    # Before (2–8 March): 12; during (9–15): 7; after (16–22): 3, hidden.
    assert [(phase.phase, phase.days, phase.total.display, phase.daily_average)
            for phase in result.phases] == [
        ("before", 7, "12", 1.7), ("during", 7, "7", 1.0), ("after", 7, "<5", None)]
    assert [(week.starts_on.day, week.count.display) for week in result.weeks] == [
        (2, "12"), (9, "7"), (16, "<5")]
    # (1.0 - 1.7) / 1.7 = -41 %
    assert result.change_during_percent == -41


def test_campaign_restricted_to_its_cities(cast, calls, campaign, k5):
    result = campaign_analysis(home(cast), campaign, weeks_around=1, cities_only=True,
                               today=datetime.date(2026, 4, 30))
    assert result.cities == ["Astrakhan", "Volgograd"]
    assert [phase.total.display for phase in result.phases] == ["12", "0", "0"]
    assert result.change_during_percent == -100


def test_campaign_weeks_after_stop_today(cast, calls, campaign, k5):
    result = campaign_analysis(home(cast), campaign, weeks_around=4,
                               today=datetime.date(2026, 3, 12))
    assert [(phase.phase, phase.days) for phase in result.phases] == [
        ("before", 28), ("during", 4)]


def test_only_roles_that_analyse_have_analysis_organisations(cast):
    assert list(analysis_organisations(cast.user("coordinator"))) == [cast.home]
    assert list(analysis_organisations(cast.user("researcher", "away"))) == [cast.away]
    assert not analysis_organisations(cast.user("hotline_operator")).exists()
    assert not analysis_organisations(cast.user("case_worker")).exists()
    assert not analysis_organisations(cast.site_admin).exists()
