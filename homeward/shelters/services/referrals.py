"""Asking a shelter to take a person, and the shelter's answer.

The case's organisation sends (its case workers and coordinators); the
shelter's organisation answers (its shelter staff and coordinators). Every
step is audited on the case, with field names and statuses only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import Case
from homeward.cases.selectors import can_manage_case, may_share_with
from homeward.cases.services._common import audit
from homeward.shelters.choices import OPEN_REFERRAL_STATUSES, ReferralStatus
from homeward.shelters.eligibility import exclusion_reasons, needs_for_case
from homeward.shelters.errors import NotEligible, TransitionRefused
from homeward.shelters.models import Shelter, ShelterReferral
from homeward.shelters.selectors import can_run_shelter, occupancy_of
from homeward.shelters.services._common import children_months_checked, require


@transaction.atomic
def referral_send(
    *, actor: User, case: Case, shelter: Shelter, needed_from: datetime.date,
    children_months: Iterable[int] = (), needs_accessibility: bool = False, note: str = "",
) -> ShelterReferral:
    """Ask ``shelter`` to take the case's person.

    Who: case workers and coordinators of the case's organisation (else 403).
    Refused when the case is closed, when the shelter cannot take the person
    now (:class:`NotEligible`, listing every reason, lack of beds included),
    when a request to this shelter is already open, and — for a shelter of
    another organisation — without the person's consent to share data with
    that organisation (:class:`ConsentRequired`). Audited on the case.
    """
    require(can_manage_case(actor, case))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise TransitionRefused(_("The case is closed."))
    months = children_months_checked(children_months)
    needs = needs_for_case(case, children_months=months, needs_accessibility=needs_accessibility)
    reasons = exclusion_reasons(shelter, needs, occupancy_of([shelter])[shelter.pk])
    if reasons:
        raise NotEligible(_("This shelter cannot take the person now: %(reasons)s.") % {
            "reasons": "; ".join(reasons)})
    if not may_share_with(case=case, organisation=shelter.organisation):
        raise ConsentRequired(_(
            "The person has not consented to sharing their data with %(organisation)s. "
            "Record the consent first."
        ) % {"organisation": shelter.organisation.name})
    if ShelterReferral.objects.filter(
        case=case, shelter=shelter, status__in=OPEN_REFERRAL_STATUSES
    ).exists():
        raise TransitionRefused(_("A request to this shelter is already open."))
    referral = ShelterReferral.objects.create(
        case=case, shelter=shelter, needed_from=needed_from, children_months=months,
        needs_accessibility=needs_accessibility, note=note.strip(), requested_by=actor,
    )
    audit(action=Action.CREATE, actor=actor, case=case, target=referral,
          fields=["shelter", "needed_from", "children_months", "needs_accessibility", "note"],
          detail={"shelter": shelter.pk})
    return referral


def _locked(referral: ShelterReferral) -> ShelterReferral:
    return ShelterReferral.objects.select_for_update().select_related(
        "case", "shelter"
    ).get(pk=referral.pk)


def _answer(
    *, actor: User, referral: ShelterReferral, status: str, reason: str = ""
) -> ShelterReferral:
    require(can_run_shelter(actor, referral.shelter))
    referral = _locked(referral)
    allowed = (ReferralStatus.PENDING,) if status == ReferralStatus.ACCEPTED else (
        OPEN_REFERRAL_STATUSES)
    if referral.status not in allowed:
        raise TransitionRefused(_("This request was already answered or withdrawn."))
    referral.status = status
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if reason:
        referral.decline_reason = reason
        fields.append("decline_reason")
    referral.save(update_fields=fields)
    audit(action=Action.UPDATE, actor=actor, case=referral.case, target=referral,
          fields=fields, detail={"status": status, "shelter": referral.shelter_id})
    return referral


@transaction.atomic
def referral_accept(*, actor: User, referral: ShelterReferral) -> ShelterReferral:
    """The shelter agrees to take the person (shelter staff and coordinators
    of its organisation; a pending request only). Audited on the case."""
    return _answer(actor=actor, referral=referral, status=ReferralStatus.ACCEPTED)


@transaction.atomic
def referral_decline(*, actor: User, referral: ShelterReferral, reason: str) -> ShelterReferral:
    """The shelter cannot take the person, and says why (shelter staff and
    coordinators of its organisation; pending or accepted requests). Audited."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the shelter cannot take the person.")})
    return _answer(actor=actor, referral=referral, status=ReferralStatus.DECLINED,
                   reason=reason.strip())


@transaction.atomic
def referral_withdraw(
    *, actor: User, referral: ShelterReferral, reason: str = ""
) -> ShelterReferral:
    """The case's organisation takes its request back (its case workers and
    coordinators; pending or accepted requests). A request withdrawn before
    the shelter answered disappears from the shelter's inbox. Audited."""
    require(can_manage_case(actor, referral.case))
    referral = _locked(referral)
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise TransitionRefused(_("This request is no longer open."))
    referral.status = ReferralStatus.WITHDRAWN
    fields = ["status"]
    if reason.strip():
        referral.decline_reason = reason.strip()
        fields.append("decline_reason")
    referral.save(update_fields=fields)
    audit(action=Action.UPDATE, actor=actor, case=referral.case, target=referral,
          fields=fields, detail={"status": referral.status, "shelter": referral.shelter_id})
    return referral
