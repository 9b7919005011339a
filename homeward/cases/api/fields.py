"""Fields the case API's serializers share: countries as ISO codes,
picklists as lists, records chosen through the access gate, and input that
refuses fields it does not take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import Organisation
from homeward.cases import selectors
from homeward.directory.selectors import entry_list_for_user


@extend_schema_field(OpenApiTypes.STR)
class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 country code ("" when unknown)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("ISO 3166-1 alpha-2 country code"))
        super().__init__(choices=list(countries), **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            data = data.strip().upper()
        return str(super().to_internal_value(data))

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value) or "")


class PicklistField(serializers.MultipleChoiceField):
    """Several values of one picklist (a model ``MultiChoiceField``)."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty", True)
        super().__init__(choices=choices, **kwargs)

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        return sorted(super().to_internal_value(data))

    def to_representation(self, value: Any) -> list[str]:  # type: ignore[override]
        return [str(item) for item in value or []]


class CitizenshipsField(serializers.ListField):
    """The person's citizenships as a list of country codes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=CountryCodeField(), **kwargs)

    def to_representation(self, data: Any) -> list[str]:
        if isinstance(data, str):
            return [code for code in data.split(",") if code]
        return [str(code) for code in data]


class VisibleEntryField(serializers.PrimaryKeyRelatedField):
    """A directory entry the caller may see, by id."""

    def get_queryset(self) -> Any:
        return entry_list_for_user(user=self.context["request"].user)


class AssignableUserField(serializers.PrimaryKeyRelatedField):
    """A member of the case's organisation who works on cases, by user id."""

    def get_queryset(self) -> Any:
        return selectors.assignable_users(case=self.context["case"])


class ActiveOrganisationField(serializers.SlugRelatedField):
    """An active organisation of the coalition, by code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organisation.objects.filter(is_active=True))
        super().__init__(slug_field="code", **kwargs)


class StrictInput(serializers.Serializer[Any]):
    """Refuses fields it does not take: a client sending ``status`` to the
    edit endpoint must learn that the status changes elsewhere, not see it
    silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(name) for name in data if name not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field cannot be given here.")] for name in unknown}
                )
        return super().to_internal_value(data)


def optional_text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    if max_length is not None:
        kwargs["max_length"] = max_length
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


def optional_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    kwargs.setdefault("required", False)
    return serializers.ChoiceField(choices=choices, **kwargs)


def optional_date(**kwargs: Any) -> serializers.DateField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return serializers.DateField(**kwargs)
