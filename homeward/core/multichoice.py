"""A model field for several values of one picklist (HTCDS "Multiselect Picklist").

Stored as delimited text, ``",ForcedLabour,SexualExploitation,"``, so that
"has this value" is one portable lookup on SQLite and PostgreSQL alike::

    Case.objects.filter(exploitation_types__contains=",ForcedLabour,")

(:func:`has_value` builds that condition). The Python value is a list of
strings in picklist order. The picklist is ``item_choices``, not ``choices``,
because ``choices`` would make Django and DRF treat the list as one value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def to_text(values: list[str] | tuple[str, ...]) -> str:
    return f",{','.join(values)}," if values else ""


def from_text(text: str | None) -> list[str]:
    return [value for value in (text or "").split(",") if value]


def has_value(field: str, value: str) -> Q:
    """Records whose multi-choice ``field`` holds ``value``."""
    return Q(**{f"{field}__contains": f",{value},"})


class MultiChoiceField(models.CharField):
    description = _("Several values of a picklist")
    _pyi_private_set_type: list[str] | tuple[str, ...] | str  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(
        self, *args: Any, item_choices: type[models.TextChoices] | list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        if isinstance(item_choices, type) and issubclass(item_choices, models.TextChoices):
            item_choices = list(item_choices.choices)
        self.item_choices: list[tuple[str, Any]] = list(item_choices)
        kwargs.setdefault("max_length", 600)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def _ordered(self, values: list[str]) -> list[str]:
        order = {value: index for index, (value, _label) in enumerate(self.item_choices)}
        unique = list(dict.fromkeys(values))
        return sorted(unique, key=lambda value: order.get(value, len(order)))

    def to_python(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return from_text(value) if "," in value else [value]
        return self._ordered([str(item) for item in value])

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> list[str]:
        return from_text(value)

    def get_prep_value(self, value: Any) -> Any:
        # A plain string is a lookup operand (",Value,"), passed through as is.
        if isinstance(value, str):
            return value
        return to_text(self.to_python(value))

    def value_to_string(self, obj: models.Model) -> str:
        return to_text(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        allowed = {choice for choice, _label in self.item_choices}
        for item in self.to_python(value):
            if item not in allowed:
                raise ValidationError(
                    _("“%(value)s” is not one of the available choices."),
                    code="invalid_choice", params={"value": item},
                )
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value: Any) -> None:
        super().run_validators(self.get_prep_value(value))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        defaults: dict[str, Any] = {
            "form_class": form_class or forms.MultipleChoiceField,
            "choices": self.item_choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        field_class: type[forms.Field] = defaults.pop("form_class")
        for key in ("max_length", "empty_value"):
            defaults.pop(key, None)
        return field_class(**defaults)
