"""Pieces the case services share: audit rows, field application, checks
and optimistic locking."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action, audit_record
from homeward.cases.errors import EditConflict, FieldChange
from homeward.cases.models import Case


def audit(
    *, action: str, actor: Any, case: Case, target: models.Model | None = None,
    fields: Iterable[str] = (), detail: dict[str, str | int | bool | None] | None = None,
) -> None:
    """An audit row for something done in ``case`` (never with values)."""
    audit_record(
        action=action, actor=actor, organisation=case.organisation,
        target=target if target is not None else case, fields=fields,
        detail={"case": case.code, **(detail or {})},
    )


def apply(instance: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed ``values`` on ``instance``; the names of those that changed.

    Unknown names are refused (a typo must not be dropped silently).
    """
    allowed = set(allowed)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no editable field(s): {unknown}")
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def save_changes(
    instance: models.Model, values: dict[str, Any], allowed: Iterable[str], *, actor: Any,
    case: Case, check: Callable[[], None],
) -> list[str]:
    """Apply ``values``, run ``check`` (which raises to refuse), and save and
    audit the fields that changed; their names are returned."""
    changed = apply(instance, values, allowed)
    check()
    if changed:
        instance.save()
        audit(action=Action.UPDATE, actor=actor, case=case, target=instance, fields=changed)
    return changed


def clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean`` without re-checking uniqueness of the code (set by us)."""
    instance.full_clean(exclude=list(exclude), validate_unique=False)


def not_in_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def not_before(
    value: datetime.date | None, earliest: datetime.date | None, field: str
) -> None:
    if value is not None and earliest is not None and value < earliest:
        raise ValidationError({field: _("This date is before %(date)s.") % {
            "date": earliest.isoformat()}})


def display_value(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it (choices by label, lists joined)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "" or value == []:
        return "—"
    item_choices = getattr(field, "item_choices", None)
    if item_choices is not None:
        labels = dict(item_choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, models.Model):
        return str(getattr(value, "name", value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


# The audit actions whose rows carry the ``version`` a save produced.
VERSIONED_ACTIONS = (
    Action.UPDATE, Action.CASE_STEP, Action.CASE_CLOSED, Action.CASE_REOPENED,
)


def lock_version(instance: Any, expected_version: int) -> Any:
    """The row locked for update, or :class:`EditConflict` when it moved on.

    The conflict lists the fields changed since ``expected_version`` (from
    the audit rows of the saves in between) with their current values.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version == expected_version:
        return current
    names: list[str] = []
    entries = AuditEntry.objects.filter(
        target_type=model._meta.label, target_id=str(instance.pk), action__in=VERSIONED_ACTIONS,
    ).order_by("-id")[:100]
    for entry in entries:
        version = (entry.detail or {}).get("version")
        if isinstance(version, int) and version > expected_version:
            names.extend(name for name in entry.fields if name not in names)
    changes = [
        FieldChange(
            name=name, label=str(model._meta.get_field(name).verbose_name),
            current=display_value(current, name),
        )
        for name in names
        if _is_field(model, name)
    ]
    raise EditConflict(
        _("Someone else saved this record while you were editing it. Check their changes "
          "below and save again to keep yours."),
        changes=changes, version=current.version,
    )


def _is_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def require_visible_entries(actor: Any, entries: Iterable[Any], field: str) -> None:
    """Directory entries named in a record must be ones the actor may see."""
    from homeward.core import access
    from homeward.directory.models import Entry

    wanted = {entry.pk for entry in entries if entry is not None}
    if not wanted:
        return
    visible = set(
        access.for_user(actor, Entry).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - visible:
        raise ValidationError({field: _("Choose an entry of the directory you can see.")})
