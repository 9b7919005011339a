"""Rescue escalation: who can help where the person is (each look-up
audited), who was called for a contact, and the urgent case opened from it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.cases.models import Case
from homeward.core import access
from homeward.directory.models import Entry
from homeward.hotline.choices import Outcome
from homeward.hotline.models import Contact, EscalationCall
from homeward.hotline.services._common import (
    Errors,
    add,
    audit,
    check_entries,
    raise_if,
    require_log,
)


@transaction.atomic
def helpers_lookup_record(
    *, actor: Any, organisation: Organisation, country: str, city: str, found: int,
    contact: Contact | None = None,
) -> None:
    """Audit one look-up of who can help (which restricted lines were shown
    to whom is worth knowing). Country, city and the count identify nobody;
    the contact is named by its id only."""
    require_log(actor, organisation)
    audit_record(
        action=Action.VIEW, actor=actor, organisation=organisation,
        target_type="directory.ContactPoint",
        detail={"query": "who_can_help", "country": country, "city": city[:120],
                "results": found, "contact": contact.pk if contact is not None else None},
    )


@transaction.atomic
def escalation_call_record(
    *, actor: Any, contact: Contact, called_at: datetime.datetime, entry: Entry | None = None,
    other: str = "", note: str = "",
) -> EscalationCall:
    """Record who was called to help with the contact (a directory entry the
    actor can see, or someone named in ``other``), and when."""
    require_log(actor, contact.organisation)
    errors: Errors = {}
    if entry is None and not other.strip():
        add(errors, "entry", _("Choose who was called from the directory, or name them."))
    # Times are typed to the minute: a call in the contact's first minute is
    # not "before" it.
    if called_at < contact.started_at.replace(second=0, microsecond=0):
        add(errors, "called_at", _("This is before the contact started."))
    raise_if(errors)
    if entry is not None:
        check_entries(actor, [entry], "entry")
    call = EscalationCall(
        contact=contact, entry=entry, other=other.strip(), called_at=called_at, note=note,
        recorded_by=actor,
    )
    call.full_clean(exclude=["contact", "recorded_by"])
    call.save()
    audit(action=Action.CREATE, actor=actor, organisation=contact.organisation, target=call,
           fields=[name for name in ("entry", "other", "called_at", "note")
                   if getattr(call, name)],
           detail={"contact": contact.pk})
    return call


@transaction.atomic
def contact_link_case(*, actor: Any, contact: Contact, case: Case) -> Contact:
    """Link the case opened from (or found for) the contact; its outcome
    becomes "case opened". The actor must see the case; a contact links to
    one case only."""
    require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not access.for_user(actor, Case).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("Choose a case you can see.")})
    if contact.case_id == case.pk:
        return contact
    if contact.case_id is not None:
        raise ValidationError({"case": _("This contact is already linked to another case.")})
    contact.case = case
    fields = ["case"]
    if contact.outcome != Outcome.CASE_OPENED:
        contact.outcome = Outcome.CASE_OPENED
        fields.append("outcome")
    contact.save(update_fields=[*fields, "updated_at"])
    audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
           target=contact, fields=fields, detail={"case": case.code})
    return contact
