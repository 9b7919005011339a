"""Shared pieces of the hotline services: applying fields, telling what
changed, checking countries, raising per-field errors, auditing, and the two
permission checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts.models import Membership, Organisation
from homeward.audit.services import audit_record
from homeward.core import access
from homeward.directory.models import Entry
from homeward.hotline.selectors import can_log_contacts, can_manage_hotline

Errors = dict[str, list[str]]


# --- shared pieces ------------------------------------------------------------


def apply(instance: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no editable field(s): {unknown}")
    for name, value in values.items():
        setattr(instance, name, value)


def changed_fields(instance: models.Model, before: dict[str, Any]) -> list[str]:
    return [name for name, value in before.items() if getattr(instance, name) != value]


def snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def country_code(value: Any) -> str:
    return str(getattr(value, "code", value) or "")


def check_country(errors: Errors, instance: models.Model, field: str) -> None:
    code = country_code(getattr(instance, field))
    if code and not countries.alpha2(code):
        add(errors, field, _("“%(value)s” is not a country we know. Choose one from the list.")
             % {"value": code})


def validated(instance: models.Model, errors: Errors) -> None:
    """Our own errors first (clearer); then the model's."""
    raise_if(errors)
    instance.full_clean(validate_unique=False)


def audit(
    *, action: str, actor: Any, organisation: Organisation, target: models.Model,
    fields: Iterable[str] = (), detail: dict[str, str | int | bool | None] | None = None,
) -> None:
    audit_record(
        action=action, actor=actor, organisation=organisation, target=target,
        fields=fields, detail=detail,
    )


def require_log(actor: Any, organisation: Organisation) -> None:
    if not can_log_contacts(actor, organisation):
        raise ValidationError(_("You cannot log hotline contacts in this organisation."))


def require_manage(actor: Any, organisation: Organisation) -> None:
    if not can_manage_hotline(actor, organisation):
        raise ValidationError(_("You cannot manage the hotline of this organisation."))




def is_member(user: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).exists()


def check_entries(actor: Any, entries: Iterable[Entry], field: str) -> None:
    wanted = {entry.pk for entry in entries}
    if not wanted:
        return
    visible = set(
        access.for_user(actor, Entry).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - visible:
        raise ValidationError({field: _("Choose an entry of the directory you can see.")})
