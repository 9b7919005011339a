"""Writes to the directory. Each owns its transaction and audit row.

Callers check :func:`homeward.directory.selectors.can_edit_entry` first;
services validate the data (phones to E.164, a contact point never more
visible than its entry) and keep the search key up to date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action, audit_record, changed_fields
from homeward.directory.models import (
    VISIBILITY_RANK,
    ContactPoint,
    Entry,
    Service,
    Visibility,
    roles_to_text,
)
from homeward.directory.phones import to_e164
from homeward.directory.search import search_text_for

ENTRY_FIELDS = (
    "owner", "kind", "organisation", "name_ru", "name_en", "country", "region", "city", "address",
    "latitude", "longitude", "languages", "is_24_7", "hours", "website", "emails", "notes",
    "visibility", "restricted_roles", "is_demo", "last_verified_on",
)
CONTACT_FIELDS = (
    "label_en", "label_ru", "phone", "email", "is_24_7", "hours", "languages", "visibility",
    "restricted_roles", "notes", "position",
)


def _normalise_roles(values: dict[str, Any]) -> None:
    roles = values.get("restricted_roles")
    if isinstance(roles, list | tuple | set):
        values["restricted_roles"] = roles_to_text(roles)
    if values.get("visibility") and values["visibility"] != Visibility.RESTRICTED:
        values["restricted_roles"] = ""


def _check_restricted(obj: Entry | ContactPoint) -> None:
    if obj.visibility == Visibility.RESTRICTED and not obj.restricted_roles.strip(","):
        raise ValidationError(
            {"restricted_roles": _("Name at least one role that may see a restricted record.")}
        )


def _refresh_search(entry: Entry) -> None:
    entry.search_text = search_text_for(
        entry.name_ru, entry.name_en, entry.city, entry.region, entry.country.name or "",
        str(entry.country.code or ""),
    )


def _snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def entry_create(
    *, actor: User | None, services: Iterable[Service] = (), **values: Any
) -> Entry:
    _normalise_roles(values)
    entry = Entry(**{k: v for k, v in values.items() if k in ENTRY_FIELDS})
    _check_restricted(entry)
    _refresh_search(entry)
    entry.full_clean()
    entry.save()
    entry.services.set(list(services))
    audit_record(action=Action.CREATE, actor=actor, target=entry, organisation=entry.owner)
    return entry


@transaction.atomic
def entry_update(
    *, actor: User | None, entry: Entry, services: Iterable[Service] | None = None,
    **values: Any
) -> Entry:
    """Apply ``values`` and audit the names of the fields that changed.

    A narrower entry visibility narrows its contact points with it.
    """
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _normalise_roles(values)
    before = _snapshot(entry, ENTRY_FIELDS)
    before_services = set(entry.services.values_list("pk", flat=True))
    for name, value in values.items():
        if name in ENTRY_FIELDS:
            setattr(entry, name, value)
    _check_restricted(entry)
    _refresh_search(entry)
    entry.full_clean()
    fields = changed_fields(before, _snapshot(entry, ENTRY_FIELDS))
    if services is not None and {s.pk for s in services} != before_services:
        fields.append("services")
    if fields:
        entry.save()
        if services is not None:
            entry.services.set(list(services))
        _narrow_contacts(entry)
        audit_record(action=Action.UPDATE, actor=actor, target=entry, fields=fields,
                     organisation=entry.owner)
    return entry


def _narrow_contacts(entry: Entry) -> None:
    rank = VISIBILITY_RANK[Visibility(entry.visibility)]
    for contact in entry.contact_points.all():
        if VISIBILITY_RANK[Visibility(contact.visibility)] < rank:
            contact.visibility = entry.visibility
            contact.restricted_roles = entry.restricted_roles
            contact.save(update_fields=["visibility", "restricted_roles"])


@transaction.atomic
def entry_verify(*, actor: User, entry: Entry) -> Entry:
    """Mark the entry as checked today by ``actor``."""
    Entry.objects.filter(pk=entry.pk).update(
        last_verified_on=timezone.localdate(), last_verified_by=actor
    )
    entry.refresh_from_db()
    audit_record(
        action=Action.UPDATE, actor=actor, target=entry, organisation=entry.owner,
        fields=("last_verified_on", "last_verified_by"),
    )
    return entry


@transaction.atomic
def entry_delete(*, actor: User, entry: Entry) -> None:
    audit_record(action=Action.DELETE, actor=actor, target=entry, organisation=entry.owner)
    entry.delete()


def _prepare_contact(contact: ContactPoint) -> None:
    try:
        contact.phone = to_e164(contact.phone, region=str(contact.entry.country.code or ""))
    except ValidationError as exc:
        # Named after the field, so that forms show it next to the phone.
        raise ValidationError({"phone": exc.error_list}) from exc
    _check_restricted(contact)
    entry_rank = VISIBILITY_RANK[Visibility(contact.entry.visibility)]
    if VISIBILITY_RANK[Visibility(contact.visibility)] < entry_rank:
        raise ValidationError(
            {"visibility": _("A contact point cannot be more visible than its entry.")}
        )
    contact.full_clean()


@transaction.atomic
def contact_point_create(*, actor: User | None, entry: Entry, **values: Any) -> ContactPoint:
    _normalise_roles(values)
    contact = ContactPoint(entry=entry, **{k: v for k, v in values.items() if k in CONTACT_FIELDS})
    _prepare_contact(contact)
    contact.save()
    audit_record(action=Action.CREATE, actor=actor, target=contact, organisation=entry.owner)
    return contact


@transaction.atomic
def contact_point_update(
    *, actor: User | None, contact: ContactPoint, **values: Any
) -> ContactPoint:
    contact = ContactPoint.objects.select_for_update().select_related("entry").get(pk=contact.pk)
    _normalise_roles(values)
    before = _snapshot(contact, CONTACT_FIELDS)
    for name, value in values.items():
        if name in CONTACT_FIELDS:
            setattr(contact, name, value)
    _prepare_contact(contact)
    fields = changed_fields(before, _snapshot(contact, CONTACT_FIELDS))
    if fields:
        contact.save()
        audit_record(action=Action.UPDATE, actor=actor, target=contact, fields=fields,
                     organisation=contact.entry.owner)
    return contact


@transaction.atomic
def contact_point_delete(*, actor: User, contact: ContactPoint) -> None:
    audit_record(action=Action.DELETE, actor=actor, target=contact,
                 organisation=contact.entry.owner)
    contact.delete()
