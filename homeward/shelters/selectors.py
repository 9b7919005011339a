"""Reads of the shelter family, through the access gate.

Who sees what (need to know, nothing more):

* **Shelters** (name, kind, region, eligibility, capacity, free beds) are the
  network's shared knowledge: every active member of an active organisation
  sees them. Address and partner contact only show to the operating
  organisation and to those placing someone there
  (:func:`shelter_details_visible`).
* **Referrals, stays, the standard package and the service log** of a case are
  seen by whoever sees the case (``cases.selectors``), and on the shelter's
  side by its shelter staff, coordinators and medical staff (``SHELTER_SIDE``
  roles of the operating organisation) for the people referred to or staying
  in their shelters — never other cases of the referring organisation.
* **Medical screenings and diagnoses** are seen by medical staff only: those
  on the case's team in the case's organisation, and those of the
  organisation whose shelter the person stays or stayed in. No other role,
  not even coordinators.
* The **waiting list** belongs to the case's organisation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from homeward.accounts.models import Membership
from homeward.accounts.roles import Capability, Role, roles_with
from homeward.accounts.selectors import organisation_ids
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import access
from homeward.shelters.choices import ReferralStatus, WaitingStatus
from homeward.shelters.eligibility import Candidate, Needs, exclusion_reasons, same_region
from homeward.shelters.models import (
    Diagnosis,
    MedicalScreening,
    ServiceOffer,
    ServiceSession,
    Shelter,
    ShelterReferral,
    ShelterStay,
    StayChild,
    WaitingListEntry,
)

# Lists of referrals, residents and waiting people read the case and the
# person but never their names or notes (not even decrypted): the columns the
# case list leaves out.
LIST_DEFERRED = [f"case__{name}" for name in case_selectors.LIST_DEFERRED]
RUN_ROLES = roles_with(Capability.SHELTERS_RUN)
MANAGE_ROLES = roles_with(Capability.SHELTERS_MANAGE)
MEDICAL_ROLES = roles_with(Capability.SHELTERS_MEDICAL)
OVERVIEW_ROLES = roles_with(Capability.SHELTERS_OVERVIEW)
# Who sees the residents of the organisation's shelters.
SHELTER_SIDE_ROLES = RUN_ROLES | MEDICAL_ROLES
# Referrals the shelter side sees: everything but a withdrawn request that
# was never answered (the sender took it back before anyone acted on it).
_SHELTER_SIDE_REFERRALS = ~Q(status=ReferralStatus.WITHDRAWN, decided_at__isnull=True)


def resident_case_ids(user: Any, roles: frozenset[str] = SHELTER_SIDE_ROLES) -> Any:
    """Cases referred to, or staying (or having stayed) in, a shelter of an
    organisation where the user holds one of ``roles``."""
    shelters = Shelter.objects.filter(organisation_id__in=organisation_ids(user, roles))
    referred = ShelterReferral.objects.filter(
        _SHELTER_SIDE_REFERRALS, shelter__in=shelters
    ).values("case_id")
    stayed = ShelterStay.objects.filter(shelter__in=shelters).values("case_id")
    return Case.objects.filter(Q(pk__in=referred) | Q(pk__in=stayed)).values("pk")


@access.register(Shelter)
def _shelter_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).exists():
        return queryset.none()
    return queryset


@access.register(ShelterReferral)
def _referral_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    side = Shelter.objects.filter(
        organisation_id__in=organisation_ids(user, SHELTER_SIDE_ROLES)
    )
    return queryset.filter(
        Q(case__in=access.for_user(user, Case))
        | (Q(shelter__in=side) & _SHELTER_SIDE_REFERRALS)
    )


@access.register(ShelterStay)
def _stay_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    side = Shelter.objects.filter(
        organisation_id__in=organisation_ids(user, SHELTER_SIDE_ROLES)
    )
    return queryset.filter(Q(case__in=access.for_user(user, Case)) | Q(shelter__in=side))


@access.register(StayChild)
def _stay_child_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(stay__in=access.for_user(user, ShelterStay))


@access.register(WaitingListEntry)
def _waiting_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(case__in=access.for_user(user, Case))


def _case_or_resident(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(
        Q(case__in=access.for_user(user, Case)) | Q(case__in=resident_case_ids(user))
    )


access.register(ServiceOffer)(_case_or_resident)
access.register(ServiceSession)(_case_or_resident)


def medical_case_ids(user: Any) -> Any:
    """Cases whose medical screening the user may see: only with the role
    ``medical``, on the case's team or at a shelter where the person stays or
    stayed (a request to the shelter is not enough: it may be declined)."""
    medical_orgs = organisation_ids(user, MEDICAL_ROLES)
    on_team = access.for_user(user, Case).filter(organisation_id__in=medical_orgs)
    at_shelter = ShelterStay.objects.filter(
        shelter__organisation_id__in=medical_orgs
    ).values("case_id")
    return Case.objects.filter(Q(pk__in=on_team.values("pk")) | Q(pk__in=at_shelter)).values(
        "pk"
    )


@access.register(MedicalScreening)
def _screening_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(case__in=medical_case_ids(user))


@access.register(Diagnosis)
def _diagnosis_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(screening__in=access.for_user(user, MedicalScreening))


# --- roles in a shelter ------------------------------------------------------


def role_at(user: Any, organisation_id: int) -> str | None:
    """The user's role in the organisation (None when not an active member)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(
            user=user, organisation_id=organisation_id, is_active=True,
            organisation__is_active=True,
        )
        .values_list("role", flat=True)
        .first()
    )


def can_run_shelter(user: Any, shelter: Shelter) -> bool:
    """Shelter staff and coordinators of the operating organisation."""
    return role_at(user, shelter.organisation_id) in RUN_ROLES


def can_manage_shelter(user: Any, shelter: Shelter) -> bool:
    """Coordinators and organisation administrators of the operating organisation."""
    return role_at(user, shelter.organisation_id) in MANAGE_ROLES


def is_medical_at(user: Any, organisation_id: int) -> bool:
    return role_at(user, organisation_id) == Role.MEDICAL


def sees_overview(user: Any) -> bool:
    """The network occupancy dashboard: coordinators of any organisation."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=OVERVIEW_ROLES
    ).exists()


def shelter_details_visible(user: Any, shelter: Shelter) -> bool:
    """Address and partner contact: members of the operating organisation,
    and those who see a case with an open referral to, or a current stay in,
    the shelter."""
    if role_at(user, shelter.organisation_id) is not None:
        return True
    visible_cases = access.for_user(user, Case)
    return (
        ShelterReferral.objects.filter(
            shelter=shelter, case__in=visible_cases,
            status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED],
        ).exists()
        or ShelterStay.objects.filter(
            shelter=shelter, case__in=visible_cases, discharged_on__isnull=True
        ).exists()
    )


# --- occupancy ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Occupancy:
    """Beds and cots of a shelter, and how many are taken now (counted from
    the open stays: the resident takes a bed, a child a cot when in one and a
    bed otherwise)."""

    beds: int
    cots: int
    beds_used: int = 0
    cots_used: int = 0

    @property
    def free_beds(self) -> int:
        return max(0, self.beds - self.beds_used)

    @property
    def free_cots(self) -> int:
        return max(0, self.cots - self.cots_used)


def occupancy_of(shelters: Iterable[Shelter]) -> dict[int, Occupancy]:
    """Occupancy of each shelter by pk, in two queries whatever their number."""
    shelters = list(shelters)
    ids = [shelter.pk for shelter in shelters]
    residents = dict(
        ShelterStay.objects.filter(shelter_id__in=ids, discharged_on__isnull=True)
        .order_by().values("shelter_id").annotate(n=Count("id")).values_list("shelter_id", "n")
    )
    children = {
        row["stay__shelter_id"]: row
        for row in StayChild.objects.filter(
            stay__shelter_id__in=ids, stay__discharged_on__isnull=True
        ).order_by().values("stay__shelter_id").annotate(
            in_cots=Count("id", filter=Q(in_cot=True)),
            in_beds=Count("id", filter=Q(in_cot=False)),
        )
    }
    result: dict[int, Occupancy] = {}
    for shelter in shelters:
        kids = children.get(shelter.pk, {})
        result[shelter.pk] = Occupancy(
            beds=shelter.beds, cots=shelter.cots,
            beds_used=residents.get(shelter.pk, 0) + kids.get("in_beds", 0),
            cots_used=kids.get("in_cots", 0),
        )
    return result


# --- shelters ----------------------------------------------------------------


def shelter_list_for_user(
    *, user: Any, region: str = "", kind: str = "", open_only: bool = False
) -> QuerySet[Shelter]:
    """The network's shelters (every active member sees them), filtered."""
    queryset = access.for_user(user, Shelter).select_related("organisation")
    if region:
        queryset = queryset.filter(region__iexact=region.strip())
    if kind:
        queryset = queryset.filter(kind=kind)
    if open_only:
        queryset = queryset.filter(is_open=True)
    return queryset


def shelter_get_for_user(*, user: Any, pk: int) -> Shelter:
    """One shelter, or 404 for anyone who is not an active member."""
    return access.get_for_user(user, Shelter.objects.select_related("organisation"), pk=pk)


def shelters_run_by(*, user: Any) -> QuerySet[Shelter]:
    """The shelters of the organisations where the user is on the shelter side
    (shelter staff, coordinator, medical)."""
    return Shelter.objects.filter(
        organisation_id__in=organisation_ids(user, SHELTER_SIDE_ROLES)
    ).select_related("organisation")


def placement_search(
    *, user: Any, case: Case, needs: Needs
) -> tuple[list[Candidate], list[Candidate]]:
    """(shelters that can take the person now, the others with their reasons).

    Those that fit come preferred region first, then most free beds; the
    excluded ones (closed shelters included) by region and name. The caller
    has already fetched ``case`` through the gate; ``needs`` says who comes.
    """
    shelters = list(shelter_list_for_user(user=user))
    occupancy = occupancy_of(shelters)
    fits: list[Candidate] = []
    excluded: list[Candidate] = []
    for shelter in shelters:
        candidate = Candidate(
            shelter=shelter, occupancy=occupancy[shelter.pk],
            reasons=exclusion_reasons(shelter, needs, occupancy[shelter.pk]),
            preferred=same_region(shelter.region, needs.prefer_region),
        )
        (fits if candidate.fits else excluded).append(candidate)
    fits.sort(key=lambda c: (not c.preferred, -c.occupancy.free_beds, c.shelter.name_en))
    return fits, excluded


# --- referrals and stays -----------------------------------------------------


def referral_list_for_user(
    *, user: Any, shelter: Shelter | None = None, status: str = ""
) -> QuerySet[ShelterReferral]:
    """Referrals the user sees, newest first (a shelter's inbox with ``shelter``)."""
    queryset = (
        access.for_user(user, ShelterReferral)
        .select_related(
            "case", "case__person", "case__organisation", "shelter", "shelter__organisation"
        )
        .defer(*LIST_DEFERRED)
    )
    if shelter is not None:
        queryset = queryset.filter(shelter=shelter)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-requested_at", "-id")


def referral_get_for_user(*, user: Any, pk: int) -> ShelterReferral:
    return access.get_for_user(
        user,
        ShelterReferral.objects.select_related(
            "case", "case__person", "case__organisation", "shelter", "shelter__organisation"
        ),
        pk=pk,
    )


def referrals_of_case(*, user: Any, case: Case) -> QuerySet[ShelterReferral]:
    return referral_list_for_user(user=user).filter(case=case)


def stay_get_for_user(*, user: Any, pk: int) -> ShelterStay:
    return access.get_for_user(
        user,
        ShelterStay.objects.select_related(
            "case", "case__person", "case__organisation", "shelter", "shelter__organisation",
            "referral",
        ),
        pk=pk,
    )


def residents_of(*, user: Any, shelter: Shelter, current: bool = True) -> QuerySet[ShelterStay]:
    """The stays in ``shelter`` the user sees (current ones, or all with
    ``current=False``), newest admission first."""
    queryset = (
        access.for_user(user, ShelterStay).filter(shelter=shelter)
        .select_related("case", "case__person").defer(*LIST_DEFERRED)
        .prefetch_related("children")
    )
    if current:
        queryset = queryset.filter(discharged_on__isnull=True)
    return queryset.order_by("-admitted_on", "-id")


def stays_of_case(*, user: Any, case: Case) -> QuerySet[ShelterStay]:
    return (
        access.for_user(user, ShelterStay).filter(case=case)
        .select_related("shelter").prefetch_related("children")
        .order_by("-admitted_on", "-id")
    )


def current_stay(*, case: Case) -> ShelterStay | None:
    """The case's open stay (the caller already sees the case)."""
    return (
        ShelterStay.objects.filter(case=case, discharged_on__isnull=True)
        .select_related("shelter").first()
    )


# --- waiting list ------------------------------------------------------------


def waiting_list_for_user(*, user: Any) -> QuerySet[WaitingListEntry]:
    """People still waiting, of the cases the user sees, oldest first."""
    return (
        access.for_user(user, WaitingListEntry).filter(status=WaitingStatus.WAITING)
        .select_related("case", "case__organisation", "case__person").defer(*LIST_DEFERRED)
        .order_by("since", "id")
    )


def waiting_of_case(*, user: Any, case: Case) -> WaitingListEntry | None:
    return waiting_list_for_user(user=user).filter(case=case).first()
