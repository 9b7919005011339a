"""Call events: the calls a telephony system reports, and their link to the
contact an operator logs for them.

A telephony system posts what it knows of a call (the line dialled, the
caller's number, when it started, was answered and ended, who answered) as
it happens. Each post names the call by the system's own id
(``external_id``): posting the same id again records nothing new, except the
facts that were not known before (the answer, the end, the operator), so a
system may post once when the phone rings and again when the call ends, and
may retry freely. A fact already recorded is never overwritten: a different
value is refused.

The calls are recorded by (the integration account of) a hotline operator or
coordinator of the line's organisation; the audit rows name the fields,
never the caller's number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.directory.models import Entry
from homeward.directory.phones import to_e164
from homeward.hotline.models import CallEvent, Contact, Line
from homeward.hotline.phones import phone_index
from homeward.hotline.selectors import can_log_contacts
from homeward.hotline.services._common import (
    Errors,
    add,
    audit,
    country_code,
    raise_if,
    require_log,
)
from homeward.hotline.services.contacts import contact_log

# A telephony system's clock may run a little ahead of ours.
CLOCK_SKEW = datetime.timedelta(minutes=5)

# Facts a later post may add when they were not known yet.
LATER_FACTS = ("answered_at", "ended_at", "operator")


def _operator(username: str, line: Line, errors: Errors) -> User | None:
    """The hotline operator (or coordinator) of the line's organisation with
    this username; users elsewhere are "unknown" too, so nothing leaks."""
    username = username.strip()
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not can_log_contacts(user, line.organisation):
        add(errors, "operator_username",
            _("No hotline operator of this organisation has this username."))
        return None
    return user


def _check_times(event: CallEvent, errors: Errors) -> None:
    if event.started_at > timezone.now() + CLOCK_SKEW:
        add(errors, "started_at", _("This is in the future."))
    if event.answered_at is not None and event.answered_at < event.started_at:
        add(errors, "answered_at", _("The answer is before the start."))
    if event.ended_at is not None:
        if event.ended_at < event.started_at:
            add(errors, "ended_at", _("The end is before the start."))
        elif event.answered_at is not None and event.ended_at < event.answered_at:
            add(errors, "ended_at", _("The end is before the answer."))
    if event.operator_id is not None and event.answered_at is None:
        add(errors, "answered_at", _("Give when the operator answered the call."))


@transaction.atomic
def call_event_record(
    *, actor: Any, line: Line, started_at: datetime.datetime, caller_phone: str = "",
    answered_at: datetime.datetime | None = None, ended_at: datetime.datetime | None = None,
    operator_username: str = "", external_id: str = "",
) -> tuple[CallEvent, bool]:
    """Record a call on ``line`` reported by a telephony system; returns the
    call event and whether it is new.

    ``answered_at`` empty means a missed call; ``operator_username`` names the
    hotline operator (or coordinator) of the line's organisation who took it.
    With an ``external_id`` already recorded in the organisation, nothing new
    is created: answer, end and operator are filled in when they were not
    known; any other difference from what was recorded is refused (per field).
    The actor must log hotline contacts in the line's organisation.
    """
    organisation = line.organisation
    require_log(actor, organisation)
    # One post at a time per line, so a retry cannot race its original.
    line = Line.objects.select_for_update().get(pk=line.pk)
    errors: Errors = {}
    operator = _operator(operator_username, line, errors)
    phone = caller_phone.strip()
    if phone:
        try:
            phone = to_e164(phone, region=country_code(line.country) or "RU")
        except ValidationError as exc:
            errors["caller_phone"] = exc.messages
    external_id = external_id.strip()
    existing = (
        CallEvent.objects.select_for_update()
        .filter(organisation=organisation, external_id=external_id).first()
        if external_id else None
    )
    if existing is not None:
        raise_if(errors)
        return _update_known(
            actor=actor, event=existing, line=line, started_at=started_at, phone=phone,
            later={"answered_at": answered_at, "ended_at": ended_at, "operator": operator},
        ), False
    event = CallEvent(
        organisation=organisation, line=line, caller_phone=phone,
        caller_phone_index=phone_index(phone), started_at=started_at,
        answered_at=answered_at, ended_at=ended_at, operator=operator,
        external_id=external_id,
    )
    _check_times(event, errors)
    raise_if(errors)
    event.full_clean(exclude=["organisation", "line", "operator", "contact"],
                     validate_unique=False)
    event.save()
    given = {
        "caller_phone": phone, "answered_at": answered_at, "ended_at": ended_at,
        "operator": operator, "external_id": external_id,
    }
    audit(action=Action.CREATE, actor=actor, organisation=organisation, target=event,
          fields=["line", "started_at", *(name for name, value in given.items() if value)],
          detail={"missed": event.is_missed})
    return event, True


def _update_known(
    *, actor: Any, event: CallEvent, line: Line, started_at: datetime.datetime, phone: str,
    later: dict[str, Any],
) -> CallEvent:
    """A repeated post of a recorded call: fill in what was not known yet."""
    errors: Errors = {}
    differs = _("The call with this id was recorded with another value.")
    if line.pk != event.line_id:
        add(errors, "line", differs)
    if started_at != event.started_at:
        add(errors, "started_at", differs)
    if phone and phone != event.caller_phone:
        add(errors, "caller_phone", differs)
    changed = []
    for name, value in later.items():
        known = getattr(event, name)
        if value is None or value == known:
            continue
        if known is not None:
            add(errors, "operator_username" if name == "operator" else name, differs)
            continue
        setattr(event, name, value)
        changed.append(name)
    _check_times(event, errors)
    raise_if(errors)
    if changed:
        event.save(update_fields=changed)
        audit(action=Action.UPDATE, actor=actor, organisation=event.organisation,
              target=event, fields=changed)
    return event


@transaction.atomic
def call_event_attach(*, actor: Any, call_event: CallEvent, contact: Contact) -> CallEvent:
    """Link the contact an operator logged for the call, which leaves the
    pending queue. Both must belong to the same organisation, where the actor
    logs contacts; a call has one contact and a contact one call (linking the
    same pair again changes nothing)."""
    require_log(actor, call_event.organisation)
    call_event = CallEvent.objects.select_for_update().get(pk=call_event.pk)
    if call_event.contact_id == contact.pk:
        return call_event
    errors: Errors = {}
    if contact.organisation_id != call_event.organisation_id:
        add(errors, "contact", _("Choose a contact of the call's organisation."))
    elif call_event.contact_id is not None:
        add(errors, "contact", _("This call is already linked to another contact."))
    elif CallEvent.objects.filter(contact=contact).exists():
        add(errors, "contact", _("This contact is already linked to another call."))
    raise_if(errors)
    call_event.contact = contact
    call_event.save(update_fields=["contact"])
    audit(action=Action.UPDATE, actor=actor, organisation=call_event.organisation,
          target=call_event, fields=["contact"], detail={"contact": contact.pk})
    return call_event


@transaction.atomic
def contact_log_for_call(
    *, actor: Any, call_event: CallEvent, referrals: Iterable[Entry] = (), **fields: Any
) -> Contact:
    """Log the contact for a call (``services.contact_log``) and link it to
    the call, in one transaction: when either is refused, neither is saved."""
    if call_event.contact_id is not None:
        raise ValidationError({"call_event": _("This call is already logged.")})
    contact = contact_log(actor=actor, referrals=referrals, **fields)
    if contact.organisation_id != call_event.organisation_id:
        raise ValidationError({"call_event": _("Choose a call of the contact's organisation.")})
    call_event_attach(actor=actor, call_event=call_event, contact=contact)
    return contact


def call_event_view_record(*, actor: Any, call_event: CallEvent) -> None:
    """Every read of a call with the caller's number leaves an audit row."""
    audit(action=Action.VIEW, actor=actor, organisation=call_event.organisation,
          target=call_event)
