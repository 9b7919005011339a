"""Contacts: logged and changed by the hotline operators and coordinators of
the owning organisation; their follow-ups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.directory.models import Entry
from homeward.directory.phones import to_e164
from homeward.hotline.choices import CallerType
from homeward.hotline.models import Contact
from homeward.hotline.phones import phone_index
from homeward.hotline.services._common import (
    Errors,
    add,
    apply,
    audit,
    changed_fields,
    check_country,
    check_entries,
    country_code,
    is_member,
    require_log,
    snapshot,
    validated,
)

CONTACT_FIELDS = (
    "line", "channel", "started_at", "ended_at", "caller_type", "professional_kind",
    "caller_country", "caller_region", "caller_city", "concern_country", "concern_city",
    "topics", "indicators", "assessment", "advice_given", "outcome", "notes",
    "follow_up_due", "follow_up_assignee", "caller_name", "caller_phone", "caller_email",
    "concern_name",
)

# --- contacts -----------------------------------------------------------------


def _check_contact(contact: Contact, *, line_changed: bool) -> None:
    """Every rule of a contact; normalises the phone and sets its index."""
    errors: Errors = {}
    line = contact.line
    if line is not None and line_changed:
        if line.organisation_id != contact.organisation_id:
            add(errors, "line", _("Choose a line of your organisation."))
        elif not line.is_active:
            add(errors, "line", _("This line is no longer in service."))
    if contact.ended_at is not None and contact.ended_at < contact.started_at:
        add(errors, "ended_at", _("The end is before the start."))
    check_country(errors, contact, "caller_country")
    check_country(errors, contact, "concern_country")
    if contact.professional_kind and contact.caller_type != CallerType.PROFESSIONAL:
        add(errors, "professional_kind",
             _("Give the kind of professional only when the caller is a professional."))
    if contact.follow_up_assignee is not None:
        if contact.follow_up_due is None:
            add(errors, "follow_up_due", _("Give the date the follow-up is due."))
        if not is_member(contact.follow_up_assignee, contact.organisation):
            add(errors, "follow_up_assignee",
                 _("Choose a member of your organisation for the follow-up."))
    if contact.caller_phone:
        region = country_code(contact.caller_country) if "caller_country" not in errors else ""
        try:
            contact.caller_phone = to_e164(contact.caller_phone, region=region or "RU")
        except ValidationError as exc:
            errors["caller_phone"] = exc.messages
    if contact.caller_email:
        contact.caller_email = contact.caller_email.strip()
        try:
            validate_email(contact.caller_email)
        except ValidationError:
            add(errors, "caller_email", _("Enter a valid e-mail address."))
    contact.caller_phone_index = phone_index(contact.caller_phone)
    validated(contact, errors)


@transaction.atomic
def contact_log(
    *, actor: Any, organisation: Organisation | None = None, referrals: Iterable[Entry] = (),
    **fields: Any,
) -> Contact:
    """Log a contact handled by ``actor``.

    The owning organisation is the line's (or ``organisation``, for contacts
    without a line, such as e-mail consultations); the actor must log
    contacts there. A follow-up due without an assignee goes to the actor.
    """
    line = fields.get("line")
    if organisation is None:
        if line is None:
            raise ValidationError({"line": _("Choose the line, or the organisation, of the "
                                             "contact.")})
        organisation = line.organisation
    require_log(actor, organisation)
    contact = Contact(organisation=organisation, operator=actor)
    apply(contact, fields, CONTACT_FIELDS)
    if contact.follow_up_due is not None and contact.follow_up_assignee is None:
        contact.follow_up_assignee = actor
    referrals = list(referrals)
    _check_contact(contact, line_changed=True)
    check_entries(actor, referrals, "referrals")
    contact.save()
    contact.referrals.set(referrals)
    given = [name for name in sorted(fields) if fields[name] not in (None, "", [], ())]
    audit(action=Action.CREATE, actor=actor, organisation=organisation, target=contact,
           fields=given + (["referrals"] if referrals else []))
    return contact


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, referrals: Iterable[Entry] | None = None, **fields: Any
) -> Contact:
    """Change a contact (hotline operators and coordinators of its organisation)."""
    require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    before = snapshot(contact, fields)
    apply(contact, fields, CONTACT_FIELDS)
    _check_contact(contact, line_changed="line" in fields and before["line"] != contact.line)
    changed = changed_fields(contact, before)
    if referrals is not None:
        referrals = list(referrals)
        new = {entry.pk for entry in referrals}
        if new != set(contact.referrals.values_list("pk", flat=True)):
            check_entries(actor, referrals, "referrals")
            changed.append("referrals")
    if changed:
        contact.save()
        if referrals is not None:
            contact.referrals.set(referrals)
        audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
               target=contact, fields=changed)
    return contact


@transaction.atomic
def follow_up_done(
    *, actor: Any, contact: Contact, note: str = "", done_at: datetime.datetime | None = None
) -> Contact:
    """Record that the contact's follow-up was done (once)."""
    require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.follow_up_due is None:
        raise ValidationError(_("This contact has no follow-up."))
    if contact.follow_up_done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    contact.follow_up_done_at = done_at or timezone.now()
    contact.follow_up_note = note
    contact.save(update_fields=["follow_up_done_at", "follow_up_note", "updated_at"])
    audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
           target=contact, fields=["follow_up_done_at"] + (["follow_up_note"] if note else []))
    return contact


# --- looks at contacts --------------------------------------------------------


def contact_view_record(*, actor: Any, contact: Contact) -> None:
    """Every look at a contact's page leaves an audit row (it shows who called)."""
    audit(action=Action.VIEW, actor=actor, organisation=contact.organisation, target=contact)


def contact_phone_lookup_record(
    *, actor: Any, organisation: Organisation | None, found: int
) -> None:
    """Every repeat-caller lookup leaves an audit row with how many earlier
    contacts were shown, never the number looked up."""
    audit_record(
        action=Action.MATCH_CHECK, actor=actor, organisation=organisation,
        target_type=Contact._meta.label, detail={"lookup": "caller_phone", "visible": found},
    )
