"""How much of a kind of assistance a person is eligible for, computed
from the catalogue's rules (data coordinators edit, not code).

The amount is the first matching base rule (by position) plus every
matching supplement, in the kind's currency. A kind without rules pays its
default amount. For the standard cash support the seeds give: 150 EUR for
Russian nationals, 50 EUR for everyone else, +350 EUR for mothers with
small children.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from homeward.cases.choices import Gender
from homeward.cases.models import Person
from homeward.reintegration.choices import RuleCondition, RuleMode
from homeward.reintegration.models import AssistanceKind, EligibilityRule

ADULT_AGE = 18


@dataclasses.dataclass(frozen=True)
class Eligibility:
    # None when the catalogue gives no amount (no default, no rule matched).
    amount: Decimal | None
    currency: str
    # (why, amount) for each rule that counted, in order.
    lines: list[tuple[str, Decimal]]


def rule_matches(rule: EligibilityRule, person: Person, on: datetime.date) -> bool:
    """Whether the person meets the rule's condition on ``on``. Unknown
    facts do not match (an unknown age is not a minor's)."""
    condition = rule.condition
    if condition == RuleCondition.EVERYONE:
        return True
    if condition == RuleCondition.CITIZEN_OF:
        return bool(rule.country) and str(rule.country) in person.citizenship_list
    if condition == RuleCondition.NOT_CITIZEN_OF:
        return bool(rule.country) and str(rule.country) not in person.citizenship_list
    if condition == RuleCondition.MOTHER_WITH_SMALL_CHILDREN:
        return person.gender == Gender.FEMININE and (person.children_accompanying or 0) > 0
    if condition == RuleCondition.MINOR:
        ages = person.age_range_on(on)
        return ages is not None and ages[1] < ADULT_AGE
    return False


def rule_label(rule: EligibilityRule) -> str:
    """The rule's condition as a person reads it (in the current language)."""
    country = rule.country.name if rule.country else ""
    if rule.condition == RuleCondition.CITIZEN_OF:
        return _("Citizen of %(country)s") % {"country": country}
    if rule.condition == RuleCondition.NOT_CITIZEN_OF:
        return _("Not a citizen of %(country)s") % {"country": country}
    return str(RuleCondition(rule.condition).label)


def eligible_amount(*, kind: AssistanceKind, person: Person, on: datetime.date) -> Eligibility:
    """The amount of ``kind`` the person is eligible for on ``on``, with the
    lines that make it up. Reads the kind's rules and nothing else."""
    rules = list(EligibilityRule.objects.filter(kind=kind).order_by("position", "id"))
    if not rules:
        default = [] if kind.default_amount is None else [(_("Default amount"),
                                                            kind.default_amount)]
        return Eligibility(amount=kind.default_amount, currency=kind.currency, lines=default)
    lines: list[tuple[str, Decimal]] = []
    base = next(
        (rule for rule in rules if rule.mode == RuleMode.BASE and rule_matches(rule, person, on)),
        None,
    )
    amount: Decimal | None
    if base is not None:
        amount = base.amount
        lines.append((rule_label(base), base.amount))
    elif kind.default_amount is not None:
        amount = kind.default_amount
        lines.append((_("Default amount"), kind.default_amount))
    else:
        amount = None
    for rule in rules:
        if rule.mode == RuleMode.SUPPLEMENT and rule_matches(rule, person, on):
            amount = (amount or Decimal(0)) + rule.amount
            lines.append((rule_label(rule), rule.amount))
    return Eligibility(amount=amount, currency=kind.currency, lines=lines)
