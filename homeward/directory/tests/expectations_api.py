from __future__ import annotations

from typing import Any

from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, OK, Expect
from homeward.directory.services import entry_create


def _coalition_entry(cast: Any) -> dict[str, Any]:
    entry = entry_create(
        actor=None, owner=cast.home, kind="ngo", name_en="Matrix NGO", name_ru="НКО",
        country="TR", visibility="coalition",
    )
    return {"pk": entry.pk}


EXPECTATIONS = [
    Expect("api:directory-entry-list", anonymous=OK, public=True),
    # A coalition entry: every member sees it, anonymous callers get 404.
    Expect("api:directory-entry-detail", kwargs=_coalition_entry, anonymous=NOT_FOUND),
    Expect("api:directory-who-can-help", query="country=TR", anonymous=FORBIDDEN),
]
