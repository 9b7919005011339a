"""Pieces the assessment, plan and assistance services share: who may
write a case's reintegration records, the audit rows of those writes and
of the coalition's reference data, and moving an item of an ordered list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import models

from homeward.accounts.models import Organisation
from homeward.accounts.selectors import holds_role_in
from homeward.audit.services import audit_record
from homeward.cases.services._common import audit
from homeward.reintegration.choices import ReferralStatus
from homeward.reintegration.models import Referral
from homeward.reintegration.selectors import WORK_ROLES, CaseAccess, may_manage


def require(allowed: bool) -> None:
    """403 unless ``allowed`` (called after the access gate found the record)."""
    if not allowed:
        raise PermissionDenied


def require_manager(actor: Any) -> None:
    """Coordinators only: the questionnaire, the catalogue, programmes."""
    require(may_manage(actor))


def works_for(user: Any, organisation: Organisation | int | None) -> bool:
    """Whether ``user`` does reintegration work in ``organisation`` now."""
    if user is None or organisation is None:
        return False
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return holds_role_in(user, organisation_id, WORK_ROLES)


def require_write(actor: Any, access: CaseAccess) -> Organisation:
    """The organisation the actor writes for, or 403.

    The case side writes in the case's organisation; a receiving
    organisation only while its referral stands accepted. Either way the
    actor must do reintegration work there (checked again here, not only
    when ``access`` was made)."""
    organisation = access.organisation
    if organisation is None:
        raise PermissionDenied
    if access.full:
        require(organisation.pk == access.case.organisation_id)
    else:
        require(
            access.referral is not None
            and access.referral.receiver_id == organisation.pk
            and Referral.objects.filter(
                pk=access.referral.pk, status=ReferralStatus.ACCEPTED
            ).exists()
        )
    require(works_for(actor, organisation))
    return organisation


def audit_work(
    *, action: str, actor: Any, access: CaseAccess, target: models.Model,
    fields: Iterable[str] = (), detail: dict[str, str | int | bool | None] | None = None,
) -> None:
    """An audit row in the case's log and, when a partner wrote, in the
    partner's log too (field names and the case code only, never values)."""
    fields = list(fields)
    audit(action=action, actor=actor, case=access.case, target=target, fields=fields,
          detail=detail)
    writer = access.organisation
    if writer is not None and writer.pk != access.case.organisation_id:
        audit_record(action=action, actor=actor, organisation=writer, target=target,
                     fields=fields, detail={"case": access.case.code, **(detail or {})})


def audit_reference(action: str, actor: Any, target: models.Model, fields: Iterable[str]) -> None:
    """An audit row for the coalition's reference data (the questionnaire,
    the catalogue, programmes and donors): it belongs to no organisation."""
    audit_record(action=action, actor=actor, organisation=None, target=target,
                 fields=sorted(fields))


class Positioned(Protocol):
    pk: Any
    position: int

    def save(self, *, update_fields: Iterable[str]) -> None: ...


def move_one_place(items: Sequence[Positioned], item: Positioned, *, up: bool) -> bool:
    """Move ``item`` one place up or down among ``items`` (in their order)
    and number them again from 1. False, and nothing saved, when the item
    is already first (up) or last (down)."""
    ordered = list(items)
    index = next((i for i, each in enumerate(ordered) if each.pk == item.pk), None)
    if index is None:
        return False
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    return True
