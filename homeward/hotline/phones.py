"""The blind index of a caller's phone.

Numbers are read as ``cases.matching.phone_number`` reads them (E.164, as
Russian when written without a country code; digits only when unreadable),
so "+7 912 345-67-89" and "89123456789" give the same index.
"""

from __future__ import annotations

from homeward.cases.matching import phone_number
from homeward.core.crypto import blind_index

PURPOSE = "hotline.caller.phone"


def phone_index(raw: str) -> str:
    """The keyed index of ``raw`` ("" for no number)."""
    return blind_index(phone_number(raw or ""), purpose=PURPOSE, normaliser=lambda text: text)
