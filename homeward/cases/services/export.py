"""The case file as one document (for a transfer or a person's request to see
their data). Exporting is audited like viewing."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.cases.models import Case
from homeward.cases.services._common import audit

EXPORT_FORMAT = "homeward-case/1"
# Never in an export: internal keys and bookkeeping.
_SKIP = {"id", "case", "version", "recorded_by", "created_by", "person", "organisation"}


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, AbstractBaseUser):
        return value.get_username()
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or getattr(value, "name_en", None) or str(value.pk)
    if hasattr(value, "code") and not isinstance(value, str):  # django-countries Country
        return value.code or ""
    return value


def _record(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        data[field.name] = _plain(getattr(instance, field.name))
    return data


@transaction.atomic
def case_export(*, actor: User, case: Case) -> dict[str, Any]:
    """Everything recorded in the case, as JSON-ready values; audited."""
    person = _record(case.person)
    exported: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "case": {**_record(case), "organisation": case.organisation.code},
        "person": person,
        "steps": [_record(step) for step in case.steps.all()],
        "team": [
            {"user": a.user.get_username(), "role": a.role, "active": a.is_active}
            for a in case.assignments.select_related("user")
        ],
        "guardians": [_record(g) for g in case.guardians.all()],
        "missing_report": (
            _record(case.missing_report) if hasattr(case, "missing_report") else None
        ),
        "events": [_record(event) for event in case.events.all()],
        "consents": [
            {**_record(c), "organisation": c.organisation.code if c.organisation else None,
             "has_scan": bool(c.scan_content_type)}
            for c in case.consents.select_related("organisation")
        ],
        "rescues": [
            {**_record(r), "contacted": [e.name_en or e.name_ru for e in r.contacted.all()]}
            for r in case.rescues.prefetch_related("contacted")
        ],
        "repatriations": [_record(r) for r in case.repatriations.all()],
        "moves": [_record(m) for m in case.moves.all()],
        "medical_exams": [_record(m) for m in case.medical_exams.all()],
        "proceedings": [_record(p) for p in case.proceedings.all()],
    }
    audit(action=Action.EXPORT, actor=actor, case=case, detail={"format": EXPORT_FORMAT})
    return exported
