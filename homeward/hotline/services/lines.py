"""Hotline lines: added and changed by the owning organisation's coordinators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from homeward.accounts.models import Organisation
from homeward.audit.services import Action
from homeward.directory.phones import to_e164
from homeward.hotline.models import Line
from homeward.hotline.services._common import (
    Errors,
    apply,
    audit,
    changed_fields,
    check_country,
    country_code,
    require_manage,
    snapshot,
    validated,
)

LINE_FIELDS = (
    "country", "number", "languages", "hours", "is_24_7", "label_en", "label_ru", "is_active",
)

# --- lines --------------------------------------------------------------------


def _check_line(line: Line) -> None:
    errors: Errors = {}
    check_country(errors, line, "country")
    if "country" not in errors and line.number:
        try:
            line.number = to_e164(line.number, region=country_code(line.country))
        except ValidationError as exc:
            errors["number"] = exc.messages
    validated(line, errors)


@transaction.atomic
def line_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Line:
    """A new line of ``organisation`` (its coordinators only)."""
    require_manage(actor, organisation)
    line = Line(organisation=organisation)
    apply(line, fields, LINE_FIELDS)
    _check_line(line)
    line.save()
    audit(action=Action.CREATE, actor=actor, organisation=organisation, target=line,
           fields=sorted(fields))
    return line


@transaction.atomic
def line_update(*, actor: Any, line: Line, **fields: Any) -> Line:
    """Change a line (its organisation's coordinators only)."""
    require_manage(actor, line.organisation)
    line = Line.objects.select_for_update().get(pk=line.pk)
    before = snapshot(line, fields)
    apply(line, fields, LINE_FIELDS)
    _check_line(line)
    changed = changed_fields(line, before)
    if changed:
        line.save()
        audit(action=Action.UPDATE, actor=actor, organisation=line.organisation, target=line,
               fields=changed)
    return line
