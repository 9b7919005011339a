"""Pieces the shelter services share."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from homeward.shelters.eligibility import MAX_CHILD_MONTHS


def require(allowed: bool) -> None:
    """403 unless ``allowed`` (called after the access gate found the record)."""
    if not allowed:
        raise PermissionDenied


def children_months_checked(values: Iterable[int], field: str = "children_months") -> list[int]:
    """Ages of accompanying children in months, each 0 to 17 years."""
    months: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not (
            0 <= value <= MAX_CHILD_MONTHS
        ):
            raise ValidationError({field: _(
                "Give each child's age in months, from 0 to %(max)d."
            ) % {"max": MAX_CHILD_MONTHS}})
        months.append(value)
    return months
