"""Admission and discharge. Occupancy is counted from the stays, never
typed; an admission locks the shelter's row before counting, so two
admissions at the same moment cannot both take the last bed."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.cases.choices import Gender
from homeward.cases.models import Case
from homeward.cases.selectors import can_manage_case
from homeward.cases.services._common import audit, not_before, not_in_future
from homeward.core import access
from homeward.shelters.choices import (
    OPEN_REFERRAL_STATUSES,
    LeaveReason,
    ReferralStatus,
    WaitingStatus,
)
from homeward.shelters.eligibility import (
    COT_AGE_MONTHS,
    capacity_reasons,
    needs_for_case,
    rule_reasons,
)
from homeward.shelters.errors import NoCapacity, NotEligible, TransitionRefused
from homeward.shelters.models import (
    Shelter,
    ShelterReferral,
    ShelterStay,
    StayChild,
    WaitingListEntry,
)
from homeward.shelters.selectors import can_run_shelter, occupancy_of
from homeward.shelters.services._common import children_months_checked, require


@dataclasses.dataclass(frozen=True)
class ChildIn:
    """A child admitted with the resident (age on admission, in months)."""

    age_months: int
    gender: str = Gender.UNKNOWN
    # None: in a cot when younger than COT_AGE_MONTHS.
    in_cot: bool | None = None

    @property
    def sleeps_in_cot(self) -> bool:
        return self.age_months < COT_AGE_MONTHS if self.in_cot is None else self.in_cot


def _open_referral(
    case: Case, shelter: Shelter, referral: ShelterReferral | None
) -> ShelterReferral | None:
    """The open request this admission answers, locked (None when there is none)."""
    if referral is not None:
        referral = ShelterReferral.objects.select_for_update().get(pk=referral.pk)
        if referral.case_id != case.pk or referral.shelter_id != shelter.pk:
            raise ValidationError(_("This request is for another person or shelter."))
        if referral.status not in OPEN_REFERRAL_STATUSES:
            raise TransitionRefused(_("This request is no longer open."))
        return referral
    return (
        ShelterReferral.objects.select_for_update()
        .filter(case=case, shelter=shelter, status__in=OPEN_REFERRAL_STATUSES)
        .order_by("status", "-requested_at")  # Accepted before Pending
        .first()
    )


@transaction.atomic
def stay_admit(
    *, actor: User, shelter: Shelter, case: Case, admitted_on: datetime.date,
    children: Sequence[ChildIn] = (), referral: ShelterReferral | None = None,
) -> ShelterStay:
    """Admit the case's person (and accompanying children) to ``shelter``.

    Who: shelter staff and coordinators of the shelter's organisation (else
    403), for a person referred to this shelter (open request), or for a case
    of their own organisation that they see. Refused (nothing changes) when
    the shelter's rules exclude the person (:class:`NotEligible`), when beds
    or cots are short (:class:`NoCapacity`, counted with the shelter row
    locked), when the person already stays somewhere, when the case is closed
    or the date is in the future. Marks the request Admitted and the case's
    waiting-list entry Placed. Audited on the case.
    """
    require(can_run_shelter(actor, shelter))
    # The lock that keeps occupancy within capacity: every admission to this
    # shelter waits here until the one before it has committed.
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    case = Case.objects.select_for_update().get(pk=case.pk)
    referral = _open_referral(case, shelter, referral)
    if referral is None and not (
        case.organisation_id == shelter.organisation_id
        and access.for_user(actor, Case).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied
    if not case.is_open:
        raise TransitionRefused(_("The case is closed."))
    not_in_future(admitted_on, "admitted_on")
    if ShelterStay.objects.filter(case=case, discharged_on__isnull=True).exists():
        raise TransitionRefused(_("The person already stays in a shelter."))
    months = children_months_checked([child.age_months for child in children], "children")
    if any(child.gender not in Gender.values for child in children):
        raise ValidationError({"children": _("Choose each child's gender from the list.")})
    needs = needs_for_case(
        case, children_months=months, on=admitted_on,
        needs_accessibility=referral.needs_accessibility if referral else False,
    )
    reasons = rule_reasons(shelter, needs)
    if reasons:
        raise NotEligible(_("This shelter cannot take the person: %(reasons)s.") % {
            "reasons": "; ".join(reasons)})
    cots = sum(1 for child in children if child.sleeps_in_cot)
    reasons = capacity_reasons(1 + len(children) - cots, cots, occupancy_of([shelter])[shelter.pk])
    if reasons:
        raise NoCapacity(_("Not enough room: %(reasons)s.") % {"reasons": "; ".join(reasons)})
    stay = ShelterStay.objects.create(
        case=case, shelter=shelter, referral=referral, admitted_on=admitted_on,
        admitted_by=actor,
    )
    StayChild.objects.bulk_create([
        StayChild(stay=stay, age_months=child.age_months, gender=child.gender,
                  in_cot=child.sleeps_in_cot)
        for child in children
    ])
    audit(action=Action.CREATE, actor=actor, case=case, target=stay,
          fields=["admitted_on", "children"],
          detail={"shelter": shelter.pk, "children": len(children)})
    if referral is not None:
        fields = ["status"]
        referral.status = ReferralStatus.ADMITTED
        if referral.decided_at is None:
            referral.decided_by, referral.decided_at = actor, timezone.now()
            fields += ["decided_by", "decided_at"]
        referral.save(update_fields=fields)
        audit(action=Action.UPDATE, actor=actor, case=case, target=referral, fields=fields,
              detail={"status": referral.status, "shelter": shelter.pk})
    for entry in WaitingListEntry.objects.select_for_update().filter(
        case=case, status=WaitingStatus.WAITING
    ):
        entry.status, entry.closed_on = WaitingStatus.PLACED, admitted_on
        entry.save(update_fields=["status", "closed_on"])
        audit(action=Action.UPDATE, actor=actor, case=case, target=entry,
              fields=["status", "closed_on"], detail={"status": entry.status})
    return stay


@transaction.atomic
def stay_discharge(
    *, actor: User, stay: ShelterStay, discharged_on: datetime.date, reason: str,
    note: str = "",
) -> ShelterStay:
    """The person leaves the shelter; the bed (and the children's places) are
    free from then on. Who: shelter staff and coordinators of the shelter's
    organisation, or case workers and coordinators of the case's (else 403).
    The date lies between admission and today. Audited on the case."""
    require(can_run_shelter(actor, stay.shelter) or can_manage_case(actor, stay.case))
    stay = ShelterStay.objects.select_for_update().select_related("case").get(pk=stay.pk)
    if stay.discharged_on is not None:
        raise TransitionRefused(_("The person has already left this shelter."))
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": _("Choose the reason for leaving.")})
    not_in_future(discharged_on, "discharged_on")
    not_before(discharged_on, stay.admitted_on, "discharged_on")
    stay.discharged_on = discharged_on
    stay.leave_reason = reason
    stay.leave_note = note.strip()
    stay.discharged_by = actor
    fields = ["discharged_on", "leave_reason", "leave_note", "discharged_by"]
    stay.save(update_fields=fields)
    audit(action=Action.UPDATE, actor=actor, case=stay.case, target=stay, fields=fields,
          detail={"leave_reason": reason, "shelter": stay.shelter_id})
    return stay
