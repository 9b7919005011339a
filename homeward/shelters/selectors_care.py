"""Reads of a person's care in the shelter network: the standard package of
services, the service log and the medical screening — and who may record
them.

Every read goes through the access gate (``homeward.shelters.selectors``):
the package and the log are seen by whoever sees the case and by the
shelter side of the person's shelter; medical screenings by medical staff
only (on the case's team, or at the person's shelter) — no other role, not
even coordinators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from homeward.accounts.models import Organisation
from homeward.accounts.selectors import organisation_ids, signed_in
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import access
from homeward.shelters.choices import OPEN_REFERRAL_STATUSES, StandardService
from homeward.shelters.models import MedicalScreening, ServiceOffer, ServiceSession, Shelter
from homeward.shelters.selectors import (
    MEDICAL_ROLES,
    RUN_ROLES,
    medical_case_ids,
    resident_case_ids,
)


def _shelters_of_case(case: Case, *, current_only: bool) -> QuerySet[Shelter]:
    """Shelters where the person stays now or is expected (an open referral);
    with ``current_only=False`` also those where they stayed before."""
    stays = Q(stays__case=case)
    if current_only:
        stays &= Q(stays__discharged_on__isnull=True)
    referred = Q(referrals__case=case, referrals__status__in=OPEN_REFERRAL_STATUSES)
    return Shelter.objects.filter(stays | referred).distinct()


def care_shelters(user: Any, case: Case) -> QuerySet[Shelter]:
    """The shelters the user runs (shelter staff, coordinator) where the person
    stays now or has an open referral (pending or accepted)."""
    if not signed_in(user):
        return Shelter.objects.none()
    return _shelters_of_case(case, current_only=True).filter(
        organisation_id__in=organisation_ids(user, RUN_ROLES)
    )


def may_record_care(user: Any, case: Case) -> bool:
    """Whether the user may record the standard package and the service log
    of the case: its team (``cases.selectors.can_work_on_case``), or those
    who run a shelter where the person stays or is referred to (pending or
    accepted). Medical staff of a shelter record screenings, not these."""
    if not signed_in(user):
        return False
    return case_selectors.can_work_on_case(user, case) or care_shelters(user, case).exists()


def case_get_for_care(*, user: Any, code: str) -> Case:
    """The case by code as a person's care sees it: through the case gate
    (its team) or as the shelter side of a shelter the person was referred
    to or stayed in (``selectors.resident_case_ids``); 404 otherwise — the
    same answer for missing and not yours."""
    visible = Case.objects.filter(
        Q(pk__in=access.for_user(user, Case).values("pk")) | Q(pk__in=resident_case_ids(user))
    )
    return get_object_or_404(visible.select_related("person", "organisation"), code=code)


def _prefer_current_stay(shelters: QuerySet[Shelter], case: Case) -> Shelter | None:
    """The shelter of the open stay when it is among ``shelters``, else the
    first one (by the shelters' order)."""
    current = shelters.filter(stays__case=case, stays__discharged_on__isnull=True).first()
    return current or shelters.first()


def care_organisation(user: Any, case: Case) -> Organisation | None:
    """The organisation on whose behalf the user records care in the case:
    the shelter's organisation for its shelter side, the case's organisation
    for the case's team; None when the user may not record care."""
    if not signed_in(user):
        return None
    shelter = _prefer_current_stay(care_shelters(user, case), case)
    if shelter is not None:
        return shelter.organisation
    if case_selectors.can_work_on_case(user, case):
        return case.organisation
    return None


def may_see_medical(user: Any, case: Case) -> bool:
    """Medical screenings of the case: role ``medical`` only, on the case's
    team or at a shelter where the person was referred or stayed."""
    if not signed_in(user):
        return False
    return medical_case_ids(user).filter(pk=case.pk).exists()


def medical_organisation(user: Any, case: Case) -> Organisation | None:
    """The organisation on whose behalf a medical user records a screening:
    the case's organisation when they are medical staff on its team, else the
    organisation of the person's shelter where they are medical staff."""
    if not may_see_medical(user, case):
        return None
    medical_orgs = organisation_ids(user, MEDICAL_ROLES)
    if (
        access.for_user(user, Case)
        .filter(pk=case.pk, organisation_id__in=medical_orgs)
        .exists()
    ):
        return case.organisation
    shelters = _shelters_of_case(case, current_only=False).filter(
        organisation_id__in=medical_orgs
    )
    shelter = _prefer_current_stay(shelters, case)
    return shelter.organisation if shelter is not None else None


# --- the standard package and the service log --------------------------------


def offers_of_case(*, user: Any, case: Case) -> QuerySet[ServiceOffer]:
    """Every decision about the standard package, newest first (the history
    that shows participation was voluntary)."""
    return (
        access.for_user(user, ServiceOffer)
        .filter(case=case)
        .select_related("organisation", "recorded_by")
        .order_by("-decided_on", "-id")
    )


def package_panel(
    *, user: Any, case: Case
) -> list[tuple[str, Any, ServiceOffer | None]]:
    """(service, label, decision in force) for the 11 services of the standard
    package, in the package's order; the decision in force is the newest one
    (by date, then by recording), None when the service was never offered."""
    newest: dict[str, ServiceOffer] = {}
    for offer in offers_of_case(user=user, case=case):
        newest.setdefault(offer.service, offer)
    return [(value, label, newest.get(value)) for value, label in StandardService.choices]


def package_in_force(*, user: Any, case: Case) -> dict[str, str]:
    """The decision in force per service (service → status), for the services
    decided at least once."""
    return {
        service: offer.status
        for service, _label, offer in package_panel(user=user, case=case) if offer is not None
    }


def sessions_of_case(*, user: Any, case: Case) -> QuerySet[ServiceSession]:
    """The service log of the case, newest first."""
    return (
        access.for_user(user, ServiceSession)
        .filter(case=case)
        .select_related("organisation", "provided_by", "recorded_by", "stay__shelter")
        .order_by("-held_on", "-id")
    )


# --- medical screening -------------------------------------------------------


def screenings_of_case(*, user: Any, case: Case) -> QuerySet[MedicalScreening]:
    """The medical screenings of the case with their diagnoses, newest first;
    empty for everyone but the medical staff who may see them."""
    return (
        access.for_user(user, MedicalScreening)
        .filter(case=case)
        .select_related("organisation", "clinic", "recorded_by", "stay__shelter")
        .prefetch_related("diagnoses")
        .order_by("-examined_on", "-id")
    )
