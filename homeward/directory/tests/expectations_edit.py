"""Access expectations for editing the directory.

The records are a HOME entry (and contact point) visible to the whole
coalition: members of AWAY can see them, so they get 403, not 404.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect
from homeward.directory import services
from homeward.directory.models import Entry, Visibility

EDITORS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def _home_entry(cast: Any) -> Entry:
    return services.entry_create(
        actor=None, owner=cast.home, kind="ngo", name_en="Home shelter",
        name_ru="Домашний приют", country="RU", city="Moscow",
        visibility=Visibility.COALITION,
    )


def _entry(cast: Any) -> dict[str, Any]:
    return {"pk": _home_entry(cast).pk}


def _contact(cast: Any) -> dict[str, Any]:
    contact = services.contact_point_create(
        actor=None, entry=_home_entry(cast), label_en="Office", label_ru="Офис",
        phone="+7 495 123-45-67", visibility=Visibility.COALITION,
    )
    return {"cpk": contact.pk}


EXPECTATIONS: list[Expect] = [
    Expect("directory:entry-create", allowed=EDITORS),
    Expect("directory:stale-list", allowed=EDITORS),
    Expect("directory:entry-edit", kwargs=_entry, allowed=EDITORS, away=FORBIDDEN),
    Expect(
        "directory:entry-verify", method="POST", kwargs=_entry, allowed=EDITORS, away=FORBIDDEN
    ),
    Expect("directory:entry-delete", kwargs=_entry, allowed=EDITORS, away=FORBIDDEN),
    Expect("directory:contact-create", kwargs=_entry, allowed=EDITORS, away=FORBIDDEN),
    Expect("directory:contact-edit", kwargs=_contact, allowed=EDITORS, away=FORBIDDEN),
    Expect("directory:contact-delete", kwargs=_contact, allowed=EDITORS, away=FORBIDDEN),
]
