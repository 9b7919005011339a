"""Filters of the directory's read pages: the list search and "who can help"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.directory.models import Entry, EntryKind, Service

ANY = ("", _("Any"))


def _country_choices(entries: QuerySet[Entry]) -> list[tuple[str, str]]:
    """The countries of ``entries`` (already narrowed to what the user may see),
    named in the active language."""
    codes = set(
        entries.prefetch_related(None).order_by().values_list("country", flat=True).distinct()
    )
    return sorted(((code, str(countries.name(code))) for code in codes), key=lambda c: c[1])


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _language_choices(entries: QuerySet[Entry]) -> list[tuple[str, str]]:
    codes: set[str] = set()
    for languages in entries.prefetch_related(None).order_by().values_list("languages", flat=True):
        codes.update(str(code).lower() for code in languages or [] if code)
    return sorted(((code, _language_name(code)) for code in codes), key=lambda c: c[1])


def _service_choices() -> list[tuple[str, str]]:
    return sorted(((s.code, s.name) for s in Service.objects.all()), key=lambda c: c[1])


def _with_any(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [ANY, *choices]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class EntryFilterForm(forms.Form):
    """The list page's search box and filters; every field optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    service = forms.ChoiceField(label=_("Service"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_any(EntryKind.choices)
    )

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "country", _with_any(_country_choices(entries)))
        _set_choices(self, "service", _with_any(_service_choices()))
        _set_choices(self, "language", _with_any(_language_choices(entries)))

    def filters(self) -> dict[str, str]:
        """Keyword arguments for ``entry_list_for_user``.

        A value that is not a choice (a country nobody lists) still filters,
        so it finds nothing rather than everything.
        """
        self.is_valid()
        values: dict[str, str] = {}
        for name in self.fields:
            value = self.cleaned_data.get(name, self.data.get(name, "")) or ""
            values["query" if name == "q" else name] = str(value).strip()[:120]
        return values


class WhoCanHelpForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "country", [("", _("Choose a country")), *_country_choices(entries)])
        _set_choices(self, "service", _with_any(_service_choices()))
