"""Writes of the hotline: lines, contacts, follow-ups, escalation calls,
case links and campaigns.

Every service takes keyword arguments, runs in one transaction and writes
its audit row inside it, naming the fields touched, never their values. Bad
input raises ``ValidationError`` with a translated message (per field where
there is one) and changes nothing. Contacts are logged by the hotline
operators and coordinators of the owning organisation; lines and campaigns
are managed by its coordinators.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts.models import Membership, Organisation
from homeward.audit.services import Action, audit_record
from homeward.cases.models import Case
from homeward.core import access
from homeward.directory.models import Entry
from homeward.directory.phones import to_e164
from homeward.hotline.choices import CallerType
from homeward.hotline.models import Campaign, Contact, EscalationCall, Line
from homeward.hotline.phones import phone_index
from homeward.hotline.selectors import can_log_contacts, can_manage_hotline

LINE_FIELDS = (
    "country", "number", "languages", "hours", "is_24_7", "label_en", "label_ru", "is_active",
)
CONTACT_FIELDS = (
    "line", "channel", "started_at", "ended_at", "caller_type", "professional_kind",
    "caller_country", "caller_region", "caller_city", "concern_country", "concern_city",
    "topics", "indicators", "assessment", "advice_given", "outcome", "notes",
    "follow_up_due", "follow_up_assignee", "caller_name", "caller_phone", "caller_email",
)
CAMPAIGN_FIELDS = (
    "name", "cities", "channels", "starts_on", "ends_on", "materials_distributed", "notes",
)

Errors = dict[str, list[str]]


# --- shared pieces ------------------------------------------------------------


def _apply(instance: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no editable field(s): {unknown}")
    for name, value in values.items():
        setattr(instance, name, value)


def _changed(instance: models.Model, before: dict[str, Any]) -> list[str]:
    return [name for name, value in before.items() if getattr(instance, name) != value]


def _snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _country_code(value: Any) -> str:
    return str(getattr(value, "code", value) or "")


def _check_country(errors: Errors, instance: models.Model, field: str) -> None:
    code = _country_code(getattr(instance, field))
    if code and not countries.alpha2(code):
        _add(errors, field, _("“%(value)s” is not a country we know. Choose one from the list.")
             % {"value": code})


def _validated(instance: models.Model, errors: Errors) -> None:
    """Our own errors first (clearer); then the model's."""
    _raise(errors)
    instance.full_clean(validate_unique=False)


def _audit(
    *, action: str, actor: Any, organisation: Organisation, target: models.Model,
    fields: Iterable[str] = (), detail: dict[str, str | int | bool | None] | None = None,
) -> None:
    audit_record(
        action=action, actor=actor, organisation=organisation, target=target,
        fields=fields, detail=detail,
    )


def _require_log(actor: Any, organisation: Organisation) -> None:
    if not can_log_contacts(actor, organisation):
        raise ValidationError(_("You cannot log hotline contacts in this organisation."))


def _require_manage(actor: Any, organisation: Organisation) -> None:
    if not can_manage_hotline(actor, organisation):
        raise ValidationError(_("You cannot manage the hotline of this organisation."))


# --- lines --------------------------------------------------------------------


def _check_line(line: Line) -> None:
    errors: Errors = {}
    _check_country(errors, line, "country")
    if "country" not in errors and line.number:
        try:
            line.number = to_e164(line.number, region=_country_code(line.country))
        except ValidationError as exc:
            errors["number"] = exc.messages
    _validated(line, errors)


@transaction.atomic
def line_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Line:
    """A new line of ``organisation`` (its coordinators only)."""
    _require_manage(actor, organisation)
    line = Line(organisation=organisation)
    _apply(line, fields, LINE_FIELDS)
    _check_line(line)
    line.save()
    _audit(action=Action.CREATE, actor=actor, organisation=organisation, target=line,
           fields=sorted(fields))
    return line


@transaction.atomic
def line_update(*, actor: Any, line: Line, **fields: Any) -> Line:
    """Change a line (its organisation's coordinators only)."""
    _require_manage(actor, line.organisation)
    line = Line.objects.select_for_update().get(pk=line.pk)
    before = _snapshot(line, fields)
    _apply(line, fields, LINE_FIELDS)
    _check_line(line)
    changed = _changed(line, before)
    if changed:
        line.save()
        _audit(action=Action.UPDATE, actor=actor, organisation=line.organisation, target=line,
               fields=changed)
    return line


# --- contacts -----------------------------------------------------------------


def _is_member(user: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).exists()


def _check_contact(contact: Contact, *, line_changed: bool) -> None:
    """Every rule of a contact; normalises the phone and sets its index."""
    errors: Errors = {}
    line = contact.line
    if line is not None and line_changed:
        if line.organisation_id != contact.organisation_id:
            _add(errors, "line", _("Choose a line of your organisation."))
        elif not line.is_active:
            _add(errors, "line", _("This line is no longer in service."))
    if contact.ended_at is not None and contact.ended_at < contact.started_at:
        _add(errors, "ended_at", _("The end is before the start."))
    _check_country(errors, contact, "caller_country")
    _check_country(errors, contact, "concern_country")
    if contact.professional_kind and contact.caller_type != CallerType.PROFESSIONAL:
        _add(errors, "professional_kind",
             _("Give the kind of professional only when the caller is a professional."))
    if contact.follow_up_assignee is not None:
        if contact.follow_up_due is None:
            _add(errors, "follow_up_due", _("Give the date the follow-up is due."))
        if not _is_member(contact.follow_up_assignee, contact.organisation):
            _add(errors, "follow_up_assignee",
                 _("Choose a member of your organisation for the follow-up."))
    if contact.caller_phone:
        region = _country_code(contact.caller_country) if "caller_country" not in errors else ""
        try:
            contact.caller_phone = to_e164(contact.caller_phone, region=region or "RU")
        except ValidationError as exc:
            errors["caller_phone"] = exc.messages
    if contact.caller_email:
        contact.caller_email = contact.caller_email.strip()
        try:
            validate_email(contact.caller_email)
        except ValidationError:
            _add(errors, "caller_email", _("Enter a valid e-mail address."))
    contact.caller_phone_index = phone_index(contact.caller_phone)
    _validated(contact, errors)


def _check_entries(actor: Any, entries: Iterable[Entry], field: str) -> None:
    wanted = {entry.pk for entry in entries}
    if not wanted:
        return
    visible = set(
        access.for_user(actor, Entry).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - visible:
        raise ValidationError({field: _("Choose an entry of the directory you can see.")})


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
    _require_log(actor, organisation)
    contact = Contact(organisation=organisation, operator=actor)
    _apply(contact, fields, CONTACT_FIELDS)
    if contact.follow_up_due is not None and contact.follow_up_assignee is None:
        contact.follow_up_assignee = actor
    referrals = list(referrals)
    _check_contact(contact, line_changed=True)
    _check_entries(actor, referrals, "referrals")
    contact.save()
    contact.referrals.set(referrals)
    given = [name for name in sorted(fields) if fields[name] not in (None, "", [], ())]
    _audit(action=Action.CREATE, actor=actor, organisation=organisation, target=contact,
           fields=given + (["referrals"] if referrals else []))
    return contact


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, referrals: Iterable[Entry] | None = None, **fields: Any
) -> Contact:
    """Change a contact (hotline operators and coordinators of its organisation)."""
    _require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    before = _snapshot(contact, fields)
    _apply(contact, fields, CONTACT_FIELDS)
    _check_contact(contact, line_changed="line" in fields and before["line"] != contact.line)
    changed = _changed(contact, before)
    if referrals is not None:
        referrals = list(referrals)
        new = {entry.pk for entry in referrals}
        if new != set(contact.referrals.values_list("pk", flat=True)):
            _check_entries(actor, referrals, "referrals")
            changed.append("referrals")
    if changed:
        contact.save()
        if referrals is not None:
            contact.referrals.set(referrals)
        _audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
               target=contact, fields=changed)
    return contact


@transaction.atomic
def follow_up_done(
    *, actor: Any, contact: Contact, note: str = "", done_at: datetime.datetime | None = None
) -> Contact:
    """Record that the contact's follow-up was done (once)."""
    _require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.follow_up_due is None:
        raise ValidationError(_("This contact has no follow-up."))
    if contact.follow_up_done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    contact.follow_up_done_at = done_at or timezone.now()
    contact.follow_up_note = note
    contact.save(update_fields=["follow_up_done_at", "follow_up_note", "updated_at"])
    _audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
           target=contact, fields=["follow_up_done_at"] + (["follow_up_note"] if note else []))
    return contact


@transaction.atomic
def escalation_call_record(
    *, actor: Any, contact: Contact, called_at: datetime.datetime, entry: Entry | None = None,
    other: str = "", note: str = "",
) -> EscalationCall:
    """Record who was called to help with the contact (a directory entry the
    actor can see, or someone named in ``other``), and when."""
    _require_log(actor, contact.organisation)
    errors: Errors = {}
    if entry is None and not other.strip():
        _add(errors, "entry", _("Choose who was called from the directory, or name them."))
    if called_at < contact.started_at:
        _add(errors, "called_at", _("This is before the contact started."))
    _raise(errors)
    if entry is not None:
        _check_entries(actor, [entry], "entry")
    call = EscalationCall(
        contact=contact, entry=entry, other=other.strip(), called_at=called_at, note=note,
        recorded_by=actor,
    )
    call.full_clean(exclude=["contact", "recorded_by"])
    call.save()
    _audit(action=Action.CREATE, actor=actor, organisation=contact.organisation, target=call,
           fields=[name for name in ("entry", "other", "called_at", "note")
                   if getattr(call, name)],
           detail={"contact": contact.pk})
    return call


@transaction.atomic
def contact_link_case(*, actor: Any, contact: Contact, case: Case) -> Contact:
    """Link the case opened from (or found for) the contact. The actor must
    see the case; a contact links to one case only."""
    _require_log(actor, contact.organisation)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not access.for_user(actor, Case).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("Choose a case you can see.")})
    if contact.case_id == case.pk:
        return contact
    if contact.case_id is not None:
        raise ValidationError({"case": _("This contact is already linked to another case.")})
    contact.case = case
    contact.save(update_fields=["case", "updated_at"])
    _audit(action=Action.UPDATE, actor=actor, organisation=contact.organisation,
           target=contact, fields=["case"], detail={"case": case.code})
    return contact


# --- campaigns ----------------------------------------------------------------


def _check_campaign(campaign: Campaign) -> None:
    errors: Errors = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        _add(errors, "ends_on", _("The end is before the start."))
    _validated(campaign, errors)


@transaction.atomic
def campaign_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Campaign:
    """A new information campaign of ``organisation`` (its coordinators only)."""
    _require_manage(actor, organisation)
    campaign = Campaign(organisation=organisation)
    _apply(campaign, fields, CAMPAIGN_FIELDS)
    _check_campaign(campaign)
    campaign.save()
    _audit(action=Action.CREATE, actor=actor, organisation=organisation, target=campaign,
           fields=sorted(fields))
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a campaign (its organisation's coordinators only)."""
    _require_manage(actor, campaign.organisation)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = _snapshot(campaign, fields)
    _apply(campaign, fields, CAMPAIGN_FIELDS)
    _check_campaign(campaign)
    changed = _changed(campaign, before)
    if changed:
        campaign.save()
        _audit(action=Action.UPDATE, actor=actor, organisation=campaign.organisation,
               target=campaign, fields=changed)
    return campaign
