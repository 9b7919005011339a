"""Shared pieces of the escalation tests: a Turkish task force in the
directory, a rescue request about Istanbul, and the intake form posted as
the wizard pre-fills it."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from homeward.directory.models import EntryKind
from homeward.directory.tests.factories import make_contact, make_entry
from homeward.hotline.choices import CallerType
from homeward.hotline.models import Contact
from homeward.hotline.tests.factories import log_contact

TASK_FORCE = "Istanbul Anti-Trafficking Task Force"


def make_task_force(cast: Any) -> Any:
    """A Turkish police task force answering 24/7, in Istanbul."""
    entry = make_entry(cast.home, kind=EntryKind.TASK_FORCE, name_en=TASK_FORCE,
                       name_ru="Оперативная группа Стамбула", country="TR", city="Istanbul")
    make_contact(entry, label_en="Duty line", label_ru="Дежурная линия",
                 phone="+90 212 555 0101", is_24_7=True)
    return entry


def rescue_contact(cast: Any, **overrides: Any) -> Contact:
    """A possible victim calling from Istanbul, held and without documents."""
    values: dict[str, Any] = {
        "caller_type": CallerType.POSSIBLE_VICTIM,
        "caller_country": "TR",
        "caller_city": "Istanbul",
        "concern_country": "TR",
        "concern_city": "Istanbul",
        "topics": ["RescueRequest"],
        "indicators": ["WithholdsDocuments", "RestrictedMovement"],
        "assessment": "PossibleVictimOfTrafficking",
        "caller_name": "Anna Ivanova",
        "caller_phone": "+90 532 111 22 33",
        **overrides,
    }
    return log_contact(cast, **values)


def posted(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser posts for ``form`` as the page shows it (initial data)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif name == "phones" and isinstance(value, list | tuple):
            data[name] = "\n".join(str(v) for v in value)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data
