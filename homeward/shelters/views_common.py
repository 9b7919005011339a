"""What the shelter side's views share: a referral or a stay read through
the access gate, the role checks that follow it (403), the audit row of a
page that shows a person's record, and what a list may say about a person —
a case code, an age band and a count of children, never a name."""

from __future__ import annotations

import dataclasses
import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.cases.models import Case, Person
from homeward.cases.views_common import GET_POST, refuse_unless, request_user
from homeward.core import access
from homeward.shelters import selectors
from homeward.shelters.models import Shelter, ShelterReferral, ShelterStay

# Age bands of the lists: (first age, last age) — the last band is open.
AGE_BANDS: tuple[tuple[int, int], ...] = (
    (0, 13), (14, 17), (18, 24), (25, 34), (35, 44), (45, 59), (60, 200),
)

__all__ = [
    "GET_POST", "ResidentRow", "age_band", "age_text", "referral_for", "refuse_unless",
    "request_user", "resident_rows", "runs_any_shelter", "sees_case", "shelter_side",
    "stay_for",
]


def referral_for(request: HttpRequest, pk: int) -> tuple[User, ShelterReferral]:
    user = request_user(request)
    return user, selectors.referral_get_for_user(user=user, pk=pk)


def stay_for(request: HttpRequest, pk: int) -> tuple[User, ShelterStay]:
    user = request_user(request)
    return user, selectors.stay_get_for_user(user=user, pk=pk)


def shelter_side(user: User, shelter: Shelter) -> bool:
    """Shelter staff, coordinators and medical staff of the operating organisation."""
    return selectors.role_at(user, shelter.organisation_id) in selectors.SHELTER_SIDE_ROLES


def runs_any_shelter(user: User) -> bool:
    """Whether the user answers referrals somewhere (the inbox is theirs)."""
    return selectors.organisation_ids(user, selectors.RUN_ROLES).exists()


def _band_of(age: int) -> tuple[int, int]:
    return next((band for band in AGE_BANDS if band[0] <= age <= band[1]), AGE_BANDS[-1])


def age_band(person: Person, day: datetime.date | None = None) -> str:
    """A coarse age for lists ("25–34"): enough to place someone, not to
    recognise them."""
    ages = person.age_range_on(day or timezone.localdate())
    if ages is None:
        return _("age unknown")
    first = _band_of(ages[0])[0]
    last_band = _band_of(ages[1])
    if last_band == AGE_BANDS[-1]:
        return f"{first}+"
    return f"{first}–{last_band[1]}"


@dataclasses.dataclass(frozen=True)
class ResidentRow:
    """A stay in a list: the case code, the age band, the children."""

    stay: ShelterStay
    age_band: str
    children: int


def resident_rows(stays: list[ShelterStay]) -> list[ResidentRow]:
    return [
        ResidentRow(stay=stay, age_band=age_band(stay.case.person),
                    children=len(stay.children.all()))
        for stay in stays
    ]


def age_text(person: Person) -> str:
    """The person's age today ("34", "33–34"), or "unknown"."""
    ages = person.age_range_on(timezone.localdate())
    if ages is None:
        return _("unknown")
    return str(ages[0]) if ages[0] == ages[1] else f"{ages[0]}–{ages[1]}"


def sees_case(user: User, case: Case) -> bool:
    """Whether the user sees the case itself (the case gate), not only the
    stay or the referral: the link to the case is shown to them only."""
    return access.for_user(user, Case).filter(pk=case.pk).exists()

