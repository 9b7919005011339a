"""Which shelter can take a person now, and why the others cannot.

The rules are the shelter's own (age, sex, accompanying children,
accessibility), its free places (counted from the stays, see
``selectors.occupancy_of``) and the case worker's region preference — for
example not the home region when return there is unsafe. Every refusal is a
short translated reason the placement page shows next to the shelter.

Unknown facts never exclude: a person of unknown gender is not refused by a
women's house, and a person of unknown age by an adults-only one. A person
whose age is known only by year and who may still be 17 counts as a minor
(the best interest of the child comes first), but is not too old for a
minors' house unless certainly over its maximum age.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.cases.choices import Gender
from homeward.cases.models import Case
from homeward.shelters.models import Shelter

if TYPE_CHECKING:
    from homeward.shelters.selectors import Occupancy

# A child younger than this sleeps in a cot; older children need a bed.
COT_AGE_MONTHS = 36
ADULT_AGE = 18
# The oldest accompanying child we accept as a number of months (17 years).
MAX_CHILD_MONTHS = 12 * ADULT_AGE - 1


@dataclasses.dataclass(frozen=True)
class Needs:
    """What a placement needs: who the person is (no name) and who comes along."""

    gender: str
    # (youngest, oldest) possible age today; None when unknown.
    age_range: tuple[int, int] | None
    children_months: tuple[int, ...] = ()
    needs_accessibility: bool = False
    prefer_region: str = ""
    avoid_region: str = ""

    @property
    def beds_needed(self) -> int:
        """The person, and each child too old for a cot."""
        return 1 + sum(1 for months in self.children_months if months >= COT_AGE_MONTHS)

    @property
    def cots_needed(self) -> int:
        return sum(1 for months in self.children_months if months < COT_AGE_MONTHS)

    @property
    def may_be_minor(self) -> bool:
        return self.age_range is not None and self.age_range[0] < ADULT_AGE


def needs_for_case(
    case: Case, *, children_months: Iterable[int] = (), needs_accessibility: bool = False,
    prefer_region: str = "", avoid_region: str = "", on: datetime.date | None = None,
) -> Needs:
    """The needs of the case's person today (or ``on``)."""
    person = case.person
    return Needs(
        gender=person.gender or Gender.UNKNOWN,
        age_range=person.age_range_on(on or timezone.localdate()),
        children_months=tuple(int(months) for months in children_months),
        needs_accessibility=needs_accessibility,
        prefer_region=prefer_region.strip(),
        avoid_region=avoid_region.strip(),
    )


def same_region(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def _youngest_child_reason(min_months: int) -> str:
    if min_months == 12:
        return _("No infants under 1 year")
    if min_months % 12 == 0:
        years = min_months // 12
        return ngettext(
            "No children under %(n)d year", "No children under %(n)d years", years
        ) % {"n": years}
    return ngettext(
        "No children under %(n)d month", "No children under %(n)d months", min_months
    ) % {"n": min_months}


def rule_reasons(shelter: Shelter, needs: Needs) -> list[str]:
    """Why the shelter's own rules refuse the person (capacity and region aside)."""
    reasons: list[str] = []
    if not shelter.is_open:
        reasons.append(_("Closed"))
    if needs.age_range is not None:
        youngest = needs.age_range[0]
        if shelter.min_age is not None and youngest < shelter.min_age:
            if shelter.min_age >= ADULT_AGE:
                reasons.append(_("Adults only (18+)"))
            else:
                reasons.append(_("Minimum age %(age)d") % {"age": shelter.min_age})
        if shelter.max_age is not None and youngest > shelter.max_age:
            reasons.append(_("Maximum age %(age)d") % {"age": shelter.max_age})
    genders = list(shelter.genders or [])
    if genders and needs.gender and needs.gender != Gender.UNKNOWN and (
        needs.gender not in genders
    ):
        labels = dict(Gender.choices)
        reasons.append(_("Takes only: %(genders)s") % {
            "genders": ", ".join(str(labels.get(g, g)).lower() for g in genders)
        })
    if needs.children_months:
        if not shelter.children_allowed:
            reasons.append(_("No accompanying children"))
        elif shelter.children_min_age_months and (
            min(needs.children_months) < shelter.children_min_age_months
        ):
            reasons.append(_youngest_child_reason(shelter.children_min_age_months))
    if needs.needs_accessibility and not shelter.wheelchair_accessible:
        reasons.append(_("Not wheelchair accessible"))
    return reasons


def capacity_reasons(beds_needed: int, cots_needed: int, occupancy: Occupancy) -> list[str]:
    """Why the free places are not enough."""
    reasons: list[str] = []
    if occupancy.free_beds < beds_needed:
        reasons.append(_("No free bed") if occupancy.free_beds == 0
                       else _("Not enough free beds"))
    if occupancy.free_cots < cots_needed:
        reasons.append(_("No free cot") if occupancy.free_cots == 0
                       else _("Not enough free cots"))
    return reasons


def exclusion_reasons(shelter: Shelter, needs: Needs, occupancy: Occupancy) -> list[str]:
    """Every reason the shelter cannot take the person now, translated; an
    empty list means it fits."""
    reasons = rule_reasons(shelter, needs)
    # Where children are not taken at all, a missing cot says nothing more.
    cots_needed = needs.cots_needed if shelter.children_allowed else 0
    reasons += capacity_reasons(needs.beds_needed, cots_needed, occupancy)
    if needs.avoid_region and same_region(shelter.region, needs.avoid_region):
        reasons.append(_("In the region to avoid"))
    return reasons


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A shelter as the placement search sees it."""

    shelter: Shelter
    occupancy: Occupancy
    reasons: list[str]
    preferred: bool = False

    @property
    def fits(self) -> bool:
        return not self.reasons
