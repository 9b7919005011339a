"""The standard cash rule computed from the catalogue's data (eligibility.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import RuleCondition, RuleMode
from homeward.reintegration.eligibility import eligible_amount
from homeward.reintegration.models import EligibilityRule
from homeward.reintegration.tests.factories import make_kind, standard_cash_kind

pytestmark = pytest.mark.django_db


def _person(cast: Any, **fields: Any) -> Any:
    return open_case(cast, **fields).person


@pytest.mark.parametrize(("fields", "expected"), [
    ({"citizenships": ["RU"], "gender": "Masculine"}, Decimal("150")),
    ({"citizenships": ["RU"], "gender": "Feminine"}, Decimal("150")),
    ({"citizenships": ["KZ"], "gender": "Masculine"}, Decimal("50")),
    ({"citizenships": [], "gender": "Feminine"}, Decimal("50")),
    ({"citizenships": ["RU"], "gender": "Feminine", "children_accompanying": 2},
     Decimal("500")),
    ({"citizenships": ["UZ"], "gender": "Feminine", "children_accompanying": 1},
     Decimal("400")),
    # A father with children is not a mother with small children.
    ({"citizenships": ["RU"], "gender": "Masculine", "children_accompanying": 2},
     Decimal("150")),
])
def test_standard_cash_amount_comes_from_the_catalogue_rules(
    cast: Any, fields: dict[str, Any], expected: Decimal
) -> None:
    kind = standard_cash_kind()

    result = eligible_amount(kind=kind, person=_person(cast, **fields), on=timezone.localdate())

    assert (result.amount, result.currency) == (expected, "EUR")
    assert sum(amount for _label, amount in result.lines) == expected


def test_russian_mother_with_small_children_shows_both_lines(cast: Any) -> None:
    kind = standard_cash_kind()
    person = _person(cast, citizenships=["RU"], gender="Feminine", children_accompanying=1)

    result = eligible_amount(kind=kind, person=person, on=timezone.localdate())

    assert [amount for _label, amount in result.lines] == [Decimal("150"), Decimal("350")]
    assert "Russia" in result.lines[0][0]


def test_a_dual_national_with_russian_citizenship_counts_as_russian(cast: Any) -> None:
    kind = standard_cash_kind()
    person = _person(cast, citizenships=["KZ", "RU"], gender="Masculine")

    assert eligible_amount(kind=kind, person=person, on=timezone.localdate()).amount == 150


def test_changing_the_data_changes_the_amount_without_code(cast: Any) -> None:
    kind = standard_cash_kind()
    EligibilityRule.objects.filter(kind=kind, condition=RuleCondition.EVERYONE).update(
        amount=Decimal("75"))
    person = _person(cast, citizenships=["KZ"], gender="Masculine")

    assert eligible_amount(kind=kind, person=person, on=timezone.localdate()).amount == 75


def test_a_kind_without_rules_pays_its_default_amount(cast: Any) -> None:
    kind = make_kind(default_amount=Decimal("300.00"), currency="RUB")

    result = eligible_amount(kind=kind, person=_person(cast), on=timezone.localdate())

    assert (result.amount, result.currency) == (Decimal("300.00"), "RUB")


def test_no_amount_when_nothing_matches_and_no_default(cast: Any) -> None:
    kind = make_kind(default_amount=None)
    EligibilityRule.objects.create(kind=kind, position=1, condition=RuleCondition.NOT_CITIZEN_OF,
                                   country="RU", mode=RuleMode.BASE, amount=Decimal("10"))

    result = eligible_amount(kind=kind, person=_person(cast, citizenships=["RU"]),
                             on=timezone.localdate())

    assert (result.amount, result.lines) == (None, [])


def test_minor_rule_needs_a_certainly_minor_age(cast: Any) -> None:
    kind = make_kind(default_amount=Decimal("0"))
    EligibilityRule.objects.create(kind=kind, position=1, condition=RuleCondition.MINOR,
                                   mode=RuleMode.SUPPLEMENT, amount=Decimal("20"))
    today = timezone.localdate()
    adult = _person(cast, birth_year=today.year - 30)
    unknown = _person(cast, birth_year=None)

    assert eligible_amount(kind=kind, person=adult, on=today).amount == 0
    assert eligible_amount(kind=kind, person=unknown, on=today).amount == 0
    adult.birth_year = today.year - 15
    assert eligible_amount(kind=kind, person=adult, on=today).amount == 20
    assert eligible_amount(kind=kind, person=adult,
                           on=today - datetime.timedelta(days=1)).amount == 20
