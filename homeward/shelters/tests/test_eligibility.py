"""Eligibility and the placement search: which shelter can take a person
now, and the reason each other one cannot (eligibility.py, selectors)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import Gender
from homeward.cases.tests.factories import open_case, open_minor_case
from homeward.shelters.choices import ShelterKind
from homeward.shelters.eligibility import (
    COT_AGE_MONTHS,
    Needs,
    exclusion_reasons,
    needs_for_case,
)
from homeward.shelters.models import Shelter, ShelterStay
from homeward.shelters.selectors import Occupancy, occupancy_of, placement_search
from homeward.shelters.tests.factories import make_shelter

ADULT_WOMAN = Needs(gender=Gender.FEMININE, age_range=(30, 30))
ROOM = Occupancy(beds=10, cots=2)


def _shelter(**overrides: Any) -> Shelter:
    """An unsaved women's house for adults taking children from 1 year."""
    values: dict[str, Any] = {
        "kind": ShelterKind.WOMEN, "region": "Republic of Tatarstan", "min_age": 18,
        "genders": [Gender.FEMININE], "children_allowed": True, "children_min_age_months": 12,
        "beds": 10, "cots": 2, "is_open": True, **overrides,
    }
    return Shelter(**values)


# --- the rules, one by one ---------------------------------------------------


def test_an_adult_woman_fits_a_womens_house_with_room() -> None:
    assert exclusion_reasons(_shelter(), ADULT_WOMAN, ROOM) == []


def test_a_closed_shelter_is_excluded() -> None:
    assert exclusion_reasons(_shelter(is_open=False), ADULT_WOMAN, ROOM) == ["Closed"]


def test_an_adults_only_house_excludes_a_person_who_may_be_17() -> None:
    needs = Needs(gender=Gender.FEMININE, age_range=(17, 18))  # known only by birth year

    assert exclusion_reasons(_shelter(), needs, ROOM) == ["Adults only (18+)"]


def test_other_minimum_and_maximum_ages_are_named() -> None:
    child = Needs(gender=Gender.FEMININE, age_range=(12, 12))
    adult = Needs(gender=Gender.FEMININE, age_range=(19, 20))

    assert exclusion_reasons(_shelter(min_age=14), child, ROOM) == ["Minimum age 14"]
    assert exclusion_reasons(_shelter(min_age=None, max_age=17), adult, ROOM) == [
        "Maximum age 17"]


def test_a_person_who_may_still_be_17_is_not_too_old_for_a_minors_house() -> None:
    needs = Needs(gender=Gender.FEMININE, age_range=(17, 18))

    assert exclusion_reasons(_shelter(min_age=None, max_age=17), needs, ROOM) == []


def test_unknown_age_and_unknown_gender_never_exclude() -> None:
    needs = Needs(gender=Gender.UNKNOWN, age_range=None)

    assert exclusion_reasons(_shelter(genders=[Gender.MASCULINE]), needs, ROOM) == []


def test_a_house_for_women_excludes_a_man() -> None:
    needs = Needs(gender=Gender.MASCULINE, age_range=(30, 30))

    assert exclusion_reasons(_shelter(), needs, ROOM) == ["Takes only: female"]


def test_children_rules() -> None:
    baby = Needs(gender=Gender.FEMININE, age_range=(25, 25), children_months=(6,))
    toddler = Needs(gender=Gender.FEMININE, age_range=(25, 25), children_months=(18,))

    assert exclusion_reasons(_shelter(children_allowed=False), toddler, ROOM) == [
        "No accompanying children"]
    assert exclusion_reasons(_shelter(), baby, ROOM) == ["No infants under 1 year"]
    assert exclusion_reasons(_shelter(), toddler, ROOM) == []
    assert exclusion_reasons(_shelter(children_min_age_months=24), toddler, ROOM) == [
        "No children under 2 years"]
    assert exclusion_reasons(_shelter(children_min_age_months=3), Needs(
        gender=Gender.FEMININE, age_range=(25, 25), children_months=(1,)), ROOM) == [
        "No children under 3 months"]


def test_beds_and_cots_needed_count_the_person_and_each_child() -> None:
    needs = Needs(gender=Gender.FEMININE, age_range=(30, 30),
                  children_months=(6, COT_AGE_MONTHS - 1, COT_AGE_MONTHS, 120))

    assert (needs.beds_needed, needs.cots_needed) == (3, 2)


def test_capacity_reasons() -> None:
    with_children = Needs(gender=Gender.FEMININE, age_range=(30, 30), children_months=(6, 60))
    shelter = _shelter(children_min_age_months=None)

    assert exclusion_reasons(shelter, ADULT_WOMAN, Occupancy(beds=4, cots=0, beds_used=4)) == [
        "No free bed"]
    assert exclusion_reasons(shelter, with_children, Occupancy(
        beds=4, cots=2, beds_used=3)) == ["Not enough free beds"]
    assert exclusion_reasons(shelter, with_children, Occupancy(
        beds=4, cots=1, cots_used=1)) == ["No free cot"]


def test_free_places_never_go_below_zero() -> None:
    crowded = Occupancy(beds=2, cots=0, beds_used=3, cots_used=1)

    assert (crowded.free_beds, crowded.free_cots) == (0, 0)


def test_wheelchair_access_and_the_region_to_avoid() -> None:
    needs = Needs(gender=Gender.FEMININE, age_range=(30, 30), needs_accessibility=True,
                  avoid_region=" republic of tatarstan ")

    assert exclusion_reasons(_shelter(), needs, ROOM) == [
        "Not wheelchair accessible", "In the region to avoid"]
    assert exclusion_reasons(_shelter(wheelchair_accessible=True, region="Moscow"),
                             needs, ROOM) == []


# --- from a case -------------------------------------------------------------


@pytest.mark.django_db
def test_needs_for_case_take_gender_and_age_from_the_person(cast: Any) -> None:
    today = timezone.localdate()
    case = open_case(cast, birth_year=None,
                     birth_date=datetime.date(today.year - 30, 1, 1), gender=Gender.FEMININE)

    needs = needs_for_case(case, children_months=[6], avoid_region="Moscow")

    assert needs == Needs(gender=Gender.FEMININE, age_range=(30, 30), children_months=(6,),
                          avoid_region="Moscow")


# --- the placement search ----------------------------------------------------


@pytest.fixture
def network(cast: Any) -> dict[str, Shelter]:
    """The seeds' shelters (simplified): IOM's rehabilitation center in
    Moscow, a house for mothers with children, one for women, one for minors."""
    return {
        "rehab": make_shelter(
            cast.home, name_en="IOM Rehabilitation Center", kind=ShelterKind.REHABILITATION_CENTER,
            region="Moscow", city="Moscow", min_age=18, genders=[], children_allowed=True,
            children_min_age_months=12, beds=20, cots=2,
        ),
        "mothers": make_shelter(
            cast.home, name_en="Mothers' house", kind=ShelterKind.MOTHERS_WITH_CHILDREN,
            region="Republic of Tatarstan", min_age=16, children_allowed=True,
            children_min_age_months=None, beds=6, cots=4,
        ),
        "women": make_shelter(cast.home, name_en="Women's house", kind=ShelterKind.WOMEN,
                              children_allowed=False, beds=3, cots=0),
        "minors": make_shelter(
            cast.away, name_en="Minors' house", kind=ShelterKind.MINORS, region="Moscow",
            min_age=12, max_age=17, genders=[], children_allowed=False, beds=8, cots=0,
        ),
    }


def _names(candidates: Any) -> list[str]:
    return [c.shelter.name_en for c in candidates]


def _reasons(candidates: Any) -> dict[str, list[str]]:
    return {c.shelter.name_en: c.reasons for c in candidates}


def test_mother_with_six_month_old_baby_fits_the_mothers_house_not_the_rehab_center(
    cast: Any, network: dict[str, Shelter]
) -> None:
    case = open_case(cast)
    needs = needs_for_case(case, children_months=[6])

    fits, excluded = placement_search(user=cast.user(Role.CASE_WORKER), case=case, needs=needs)

    assert _names(fits) == ["Mothers' house"]
    assert _reasons(excluded) == {
        "IOM Rehabilitation Center": ["No infants under 1 year"],
        "Women's house": ["No accompanying children"],
        "Minors' house": ["Maximum age 17", "No accompanying children"],
    }


def test_a_16_year_old_alone_fits_the_minors_house_and_adults_only_houses_say_so(
    cast: Any, network: dict[str, Shelter]
) -> None:
    case = open_minor_case(cast)

    fits, excluded = placement_search(user=cast.user(Role.CASE_WORKER), case=case,
                                      needs=needs_for_case(case))

    assert _names(fits) == ["Minors' house", "Mothers' house"]  # most free beds first
    assert _reasons(excluded) == {
        "IOM Rehabilitation Center": ["Adults only (18+)"],
        "Women's house": ["Adults only (18+)"],
    }


def test_a_full_shelter_is_excluded_for_lack_of_beds(
    cast: Any, network: dict[str, Shelter]
) -> None:
    women = network["women"]
    for _ in range(women.beds):
        ShelterStay.objects.create(case=open_case(cast), shelter=women,
                                   admitted_on=timezone.localdate())
    case = open_case(cast)

    fits, excluded = placement_search(user=cast.user(Role.CASE_WORKER), case=case,
                                      needs=needs_for_case(case))

    assert "Women's house" not in _names(fits)
    assert _reasons(excluded)["Women's house"] == ["No free bed"]
    assert occupancy_of([women])[women.pk] == Occupancy(beds=3, cots=0, beds_used=3)


def test_the_region_to_avoid_and_closed_shelters_are_excluded_and_preferred_comes_first(
    cast: Any, network: dict[str, Shelter]
) -> None:
    Shelter.objects.filter(pk=network["women"].pk).update(is_open=False)
    case = open_case(cast)
    needs = needs_for_case(case, avoid_region="Moscow", prefer_region="Republic of Tatarstan")

    fits, excluded = placement_search(user=cast.user(Role.CASE_WORKER), case=case, needs=needs)

    assert _names(fits) == ["Mothers' house"]
    assert fits[0].preferred
    assert _reasons(excluded) == {
        "IOM Rehabilitation Center": ["In the region to avoid"],
        "Women's house": ["Closed"],
        "Minors' house": ["Maximum age 17", "In the region to avoid"],
    }


def test_preferred_region_comes_before_more_free_beds(
    cast: Any, network: dict[str, Shelter]
) -> None:
    case = open_case(cast)

    fits, _excluded = placement_search(
        user=cast.user(Role.CASE_WORKER), case=case,
        needs=needs_for_case(case, prefer_region="Republic of Tatarstan"),
    )

    assert _names(fits) == ["Mothers' house", "Women's house", "IOM Rehabilitation Center"]


def test_placement_search_shows_nothing_to_a_non_member(cast: Any, network: Any) -> None:
    from homeward.accounts.tests.factories import UserFactory

    case = open_case(cast)

    assert placement_search(user=UserFactory(), case=case, needs=needs_for_case(case)) == (
        [], [])
