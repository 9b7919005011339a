"""Directory test data, made through the services (so phones are normalised
and search keys filled in exactly as in production)."""

from __future__ import annotations

import itertools
from typing import Any

from homeward.accounts.models import Organisation
from homeward.directory.models import ContactPoint, Entry, EntryKind, Service, Visibility
from homeward.directory.services import contact_point_create, entry_create

_numbers = itertools.count(1)


def make_entry(owner: Organisation, **kw: Any) -> Entry:
    """An entry of ``owner``: public NGO in Turkey unless told otherwise.

    ``services`` may be a list of service codes or of :class:`Service`.
    """
    n = next(_numbers)
    actor = kw.pop("actor", None)
    services = [
        s if isinstance(s, Service) else Service.objects.get(code=s)
        for s in kw.pop("services", [])
    ]
    values: dict[str, Any] = {
        "kind": EntryKind.NGO,
        "name_en": f"Test entry {n}",
        "name_ru": f"Тестовая запись {n}",
        "country": "TR",
        "city": "Istanbul",
        "visibility": Visibility.PUBLIC,
        **kw,
    }
    return entry_create(actor=actor, owner=owner, services=services, **values)


def make_contact(entry: Entry, **kw: Any) -> ContactPoint:
    """A contact point of ``entry``, as visible as its entry unless told otherwise."""
    n = next(_numbers)
    actor = kw.pop("actor", None)
    values: dict[str, Any] = {
        "label_en": f"Line {n}",
        "label_ru": f"Линия {n}",
        "visibility": entry.visibility,
        "restricted_roles": entry.restricted_roles,
        **kw,
    }
    if isinstance(values["restricted_roles"], str):
        values["restricted_roles"] = [r for r in values["restricted_roles"].split(",") if r]
    return contact_point_create(actor=actor, entry=entry, **values)
