"""What the case forms share: form fields derived from model fields, the date
picker, today's date as an initial value, fieldsets for long forms, and a
service's refusal shown on the form that asked for the write.

Used by :mod:`homeward.cases.forms_person`, :mod:`homeward.cases.forms_cases`,
:mod:`homeward.cases.forms_intake` and :mod:`homeward.cases.forms_records`.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone
from django.utils.text import capfirst

from homeward.core.fields import EncryptedDateField, EncryptedTextField

DATE_INPUT_FORMAT = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    return forms.DateInput(format=DATE_INPUT_FORMAT, attrs={"type": "date"})


def model_field(model: type[models.Model], name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field (label, length,
    help, choices), with a date picker for dates and small text areas."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - only concrete fields are named
    if isinstance(field, models.DateField | EncryptedDateField) and not isinstance(
        field, models.DateTimeField
    ):
        kwargs.setdefault("widget", date_input())
    elif isinstance(field, models.TextField | EncryptedTextField) and field.max_length is None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    kwargs.setdefault("label", capfirst(field.verbose_name))
    return field.formfield(**kwargs)


def set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    cast("forms.ModelChoiceField[Any]", form.fields[name]).queryset = queryset


def today() -> datetime.date:
    return timezone.localdate()




class GroupedFormMixin:
    """A long form shown as fieldsets: ``groups`` is ``[(legend, [names])]``."""

    groups: list[tuple[Any, list[str]]] = []

    def field_groups(self) -> list[tuple[Any, list[BoundField]]]:
        form = cast(forms.Form, self)
        return [
            (legend, [form[name] for name in names if name in form.fields])
            for legend, names in self.all_groups()
        ]

    def all_groups(self) -> list[tuple[Any, list[str]]]:
        return self.groups
