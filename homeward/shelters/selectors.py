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

from typing import Any

from django.db.models import Q, QuerySet

from homeward.accounts.models import Membership
from homeward.accounts.roles import Capability, Role, roles_with
from homeward.cases.models import Case
from homeward.core import access
from homeward.shelters.choices import ReferralStatus
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

RUN_ROLES = roles_with(Capability.SHELTERS_RUN)
MANAGE_ROLES = roles_with(Capability.SHELTERS_MANAGE)
MEDICAL_ROLES = roles_with(Capability.SHELTERS_MEDICAL)
OVERVIEW_ROLES = roles_with(Capability.SHELTERS_OVERVIEW)
# Who sees the residents of the organisation's shelters.
SHELTER_SIDE_ROLES = RUN_ROLES | MEDICAL_ROLES
# Referrals the shelter side sees: everything but a withdrawn request that
# was never answered (the sender took it back before anyone acted on it).
_SHELTER_SIDE_REFERRALS = ~Q(status=ReferralStatus.WITHDRAWN, decided_at__isnull=True)


def organisation_ids(user: Any, roles: frozenset[str]) -> QuerySet[Membership, Any]:
    """The active organisations where the user holds one of ``roles``."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=roles
    ).values("organisation_id")


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
    ``medical``, on the case's team or at the person's shelter."""
    medical_orgs = organisation_ids(user, MEDICAL_ROLES)
    on_team = access.for_user(user, Case).filter(organisation_id__in=medical_orgs)
    at_shelter = resident_case_ids(user, MEDICAL_ROLES)
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
