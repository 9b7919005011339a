"""Access expectations of the directory's read pages (urls_browse.py)."""

from __future__ import annotations

from typing import Any

from homeward.core.tests.access_matrix import LOGIN, OK, Expect
from homeward.directory.tests.factories import make_entry


def _public_entry(cast: Any) -> dict[str, Any]:
    return {"pk": make_entry(cast.home, name_en="Matrix entry", name_ru="Запись матрицы").pk}


EXPECTATIONS: list[Expect] = [
    Expect("directory:entry-list", anonymous=OK, public=True),
    Expect("directory:entry-detail", kwargs=_public_entry, anonymous=OK, public=True),
    Expect("directory:map", anonymous=OK, public=True),
    Expect("directory:map-data", anonymous=OK, public=True),
    Expect("directory:who-can-help", anonymous=LOGIN),
    Expect("directory:who-can-help-fragment", anonymous=LOGIN),
]
