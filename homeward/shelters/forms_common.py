"""What the shelters' forms share: the accompanying children's ages, typed
the way people say them ("6 months, 4 years", "8 мес., 3 года") and kept in
months, which the eligibility rules use — the same on the placement search,
a referral, the waiting list and the admission.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from homeward.shelters.eligibility import MAX_CHILD_MONTHS

_AGE = re.compile(r"^(\d+(?:[.]\d+)?)\s*([^\d\s.]*)\.?$")
# Units by how they start (English and Russian); no unit means years.
_MONTH_UNITS = ("mo", "m", "мес", "м")
_YEAR_UNITS = ("y", "г", "л")


def parse_age(text: str) -> int:
    """Months of one age: "6 months" → 6, "4 years" → 48, "1.5 y" → 18, "3" → 36."""
    match = _AGE.match(text.strip().lower())
    if match is None:
        raise ValueError(text)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits numbers only
        raise ValueError(text) from exc
    unit = match.group(2)
    if unit.startswith(_MONTH_UNITS):
        months = number
    elif unit == "" or unit.startswith(_YEAR_UNITS):
        months = number * 12
    else:
        raise ValueError(text)
    return int(months)


def age_words(months: int) -> str:
    """One age as a person would write it: "6 months", "4 years", "30 months"
    (whole years when the months make whole years)."""
    if months >= 12 and months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def format_ages(months: Iterable[int]) -> str:
    """The ages as a person would write them (and :func:`parse_age` reads back)."""
    return ", ".join(age_words(age) for age in months)


class ChildrenAgesField(forms.CharField):
    """Ages of accompanying children, separated by commas, as a tuple of months."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Accompanying children's ages"))
        kwargs.setdefault("help_text", _(
            "Separate them by commas, for example “6 months, 4 years”. "
            "A number alone counts as years."
        ))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", _("6 months, 4 years"))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return format_ages(value)
        return value

    def to_python(self, value: Any) -> tuple[int, ...]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return tuple(int(age) for age in value)
        text = super().to_python(value) or ""
        ages = []
        for part in re.split(r"[,;]", text):
            if not part.strip():
                continue
            try:
                months = parse_age(part)
            except ValueError:
                raise ValidationError(
                    _("“%(age)s” is not an age: write for example “6 months” or “4 years”."),
                    code="invalid", params={"age": part.strip()},
                ) from None
            if months > MAX_CHILD_MONTHS:
                raise ValidationError(
                    _("A child's age must be under 18 years (“%(age)s”)."),
                    code="adult", params={"age": part.strip()},
                )
            ages.append(months)
        return tuple(ages)

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        return None
