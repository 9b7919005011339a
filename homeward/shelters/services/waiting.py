"""The waiting list: people for whom no shelter fits now. It belongs to the
case's organisation; an admission anywhere places the person."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.cases.models import Case
from homeward.cases.selectors import can_manage_case
from homeward.cases.services._common import audit
from homeward.shelters.choices import WaitingStatus
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import ShelterStay, WaitingListEntry
from homeward.shelters.services._common import children_months_checked, require


@transaction.atomic
def waiting_add(
    *, actor: User, case: Case, children_months: Iterable[int] = (),
    needs_accessibility: bool = False, prefer_region: str = "", avoid_region: str = "",
    note: str = "",
) -> WaitingListEntry:
    """Put the case's person on the waiting list, from today. Who: case
    workers and coordinators of the case's organisation (else 403). Refused
    for a closed case, a person already staying in a shelter, or one already
    waiting. Audited on the case."""
    require(can_manage_case(actor, case))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise TransitionRefused(_("The case is closed."))
    if ShelterStay.objects.filter(case=case, discharged_on__isnull=True).exists():
        raise TransitionRefused(_("The person already stays in a shelter."))
    if WaitingListEntry.objects.filter(case=case, status=WaitingStatus.WAITING).exists():
        raise TransitionRefused(_("The person is already on the waiting list."))
    entry = WaitingListEntry.objects.create(
        case=case, since=timezone.localdate(), children_months=children_months_checked(
            children_months), needs_accessibility=needs_accessibility,
        prefer_region=prefer_region.strip(), avoid_region=avoid_region.strip(),
        note=note.strip(), added_by=actor,
    )
    audit(action=Action.CREATE, actor=actor, case=case, target=entry,
          fields=["since", "children_months", "needs_accessibility", "prefer_region",
                  "avoid_region", "note"])
    return entry


@transaction.atomic
def waiting_cancel(*, actor: User, entry: WaitingListEntry) -> WaitingListEntry:
    """Take the person off the waiting list (no longer needed). Who: case
    workers and coordinators of the case's organisation. Audited."""
    require(can_manage_case(actor, entry.case))
    entry = WaitingListEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if entry.status != WaitingStatus.WAITING:
        raise TransitionRefused(_("This person is no longer waiting."))
    entry.status, entry.closed_on = WaitingStatus.CANCELLED, timezone.localdate()
    entry.save(update_fields=["status", "closed_on"])
    audit(action=Action.UPDATE, actor=actor, case=entry.case, target=entry,
          fields=["status", "closed_on"], detail={"status": entry.status})
    return entry
