"""Access expectations of the import/export pages, and the test data they use."""

from __future__ import annotations

from typing import Any

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import OK, Expect
from homeward.directory import services
from homeward.directory.models import ContactPoint, Entry, Service, Visibility

EDITORS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def exchange_entry(
    owner: Organisation,
    *,
    name_en: str = "Safe Harbour",
    name_ru: str = "Тихая гавань",
    country: str = "RU",
    visibility: str = Visibility.COALITION,
    service_codes: tuple[str, ...] = (),
    **values: Any,
) -> Entry:
    """An entry created through the audited service (system actor)."""
    values.setdefault("kind", "ngo")
    return services.entry_create(
        actor=None, owner=owner, name_en=name_en, name_ru=name_ru, country=country,
        visibility=visibility, services=Service.objects.filter(code__in=service_codes),
        **values,
    )


def exchange_contact(entry: Entry, **values: Any) -> ContactPoint:
    values.setdefault("label_en", "Reception")
    values.setdefault("label_ru", "Приёмная")
    values.setdefault("visibility", entry.visibility)
    return services.contact_point_create(actor=None, entry=entry, **values)


def _public_contact(cast: Any) -> dict[str, Any]:
    entry = exchange_entry(cast.home, name_en="Open Door", visibility=Visibility.PUBLIC)
    contact = exchange_contact(entry, phone="+7 495 123-45-67", visibility=Visibility.PUBLIC)
    return {"cpk": contact.pk}


EXPECTATIONS: list[Expect] = [
    Expect("directory:import", allowed=EDITORS),
    Expect("directory:import-confirm", method="POST", allowed=EDITORS),
    # Every signed-in role may export what it sees (after confirming the password).
    Expect("directory:export", kwargs=lambda cast: {"fmt": "csv"}),
    Expect("directory:contact-vcard", kwargs=_public_contact, anonymous=OK, public=True),
]
