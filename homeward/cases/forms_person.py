"""The person's fields, shared by the intake wizard and "edit the person":
names, birth, contact, identity documents, citizenship and background, with
the helpers that name countries and languages in the active language and
the one-value-per-line field used for phones.

The forms only parse and check the shape of the input; the services
(:mod:`homeward.cases.services`) apply the rules and save.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.cases.choices import IdentityDocumentKind
from homeward.cases.forms_common import GroupedFormMixin, model_field, today
from homeward.cases.models import Person
from homeward.core.widgets import FastSelectsMixin

# Rows offered for identity documents (one more than the person has).
DOCUMENT_ROWS = 2
MAX_PHONES = 10
EARLIEST_BIRTH_YEAR = 1900


# --- countries and languages ----------------------------------------------------


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the active language."""
    return [(str(code), str(name)) for code, name in countries]


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def _language_choices() -> list[tuple[str, str]]:
    """Languages by their ISO 639-1 code, named in the active language."""
    named = [
        (code, str(get_language_info(code)["name_translated"]))
        for code in LANG_INFO
        if len(code) == 2 and "name" in LANG_INFO[code]
    ]
    return [("", "—"), *sorted(named, key=lambda item: item[1])]


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


# --- one value per line (phones) -----------------------------------------------


class LinesField(forms.CharField):
    """One value per line → a list of non-empty, distinct lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, max_lines: int = MAX_PHONES, **kwargs: Any) -> None:
        self.max_lines = max_lines
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            value = "\n".join(str(item) for item in value)
        lines: list[str] = []
        for line in str(super().to_python(value)).splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
        if len(lines) > self.max_lines:
            raise ValidationError(
                _("Write at most %(count)d lines."), code="too_many",
                params={"count": self.max_lines},
            )
        return lines


# --- the person ----------------------------------------------------------------

PERSON_FIELDS = [
    "first_name", "middle_name", "last_name", "first_name_latin", "last_name_latin",
    "other_names", "birth_date", "birth_year", "birth_year_estimated", "gender",
    "citizenships", "phones", "email", "address", "primary_language",
    "secondary_language", "education", "marital_status", "number_of_children",
    "children_accompanying", "origin_country", "origin_region", "origin_city",
]


class PersonFieldsForm(FastSelectsMixin, forms.Form):
    """The fields of a person (intake and "edit person"); identity documents
    are rows of a kind and a number (``document_kind_<n>``, ``document_number_<n>``)."""

    first_name = model_field(Person, "first_name")
    middle_name = model_field(Person, "middle_name")
    last_name = model_field(Person, "last_name")
    first_name_latin = model_field(Person, "first_name_latin")
    last_name_latin = model_field(Person, "last_name_latin")
    other_names = model_field(Person, "other_names")
    birth_date = model_field(Person, "birth_date")
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=EARLIEST_BIRTH_YEAR,
        help_text=_("When only the age is known, the year it gives."),
    )
    birth_year_estimated = model_field(Person, "birth_year_estimated")
    gender = model_field(Person, "gender")
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenship"), required=False, choices=country_choices,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Several when the person has more than one."),
    )
    phones = LinesField(label=_("Phones"), help_text=_("One per line, with the country code."))
    email = model_field(Person, "email")
    address = model_field(Person, "address")
    primary_language = forms.ChoiceField(
        label=_("Primary language"), required=False, choices=_language_choices
    )
    secondary_language = forms.ChoiceField(
        label=_("Second language"), required=False, choices=_language_choices
    )
    education = model_field(Person, "education")
    marital_status = model_field(Person, "marital_status")
    number_of_children = model_field(Person, "number_of_children")
    children_accompanying = model_field(Person, "children_accompanying")
    origin_country = model_field(Person, "origin_country")
    origin_region = model_field(Person, "origin_region")
    origin_city = model_field(Person, "origin_city")

    def __init__(self, *args: Any, document_rows: int = DOCUMENT_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = self.initial.get("identity_documents") or []
        rows = max(document_rows, len(documents) + 1)
        if self.is_bound:
            rows = max(rows, *(
                int(match.group(1)) + 1 for key in self.data
                if (match := re.fullmatch(r"document_number_(\d+)", key))
            ), 0)
        rows = min(rows, 10)
        self.document_rows = rows
        for index in range(rows):
            self.fields[f"document_kind_{index}"] = forms.ChoiceField(
                label=_("Document %(number)d") % {"number": index + 1}, required=False,
                choices=[("", "—"), *IdentityDocumentKind.choices],
            )
            self.fields[f"document_number_{index}"] = forms.CharField(
                label=_("Number of document %(number)d") % {"number": index + 1},
                required=False, max_length=60,
            )
            if index < len(documents) and isinstance(documents[index], dict):
                self.initial[f"document_kind_{index}"] = documents[index].get("kind", "")
                self.initial[f"document_number_{index}"] = documents[index].get("number", "")

    def document_field_names(self) -> list[str]:
        names: list[str] = []
        for index in range(self.document_rows):
            names += [f"document_kind_{index}", f"document_number_{index}"]
        return names

    def person_field_names(self) -> list[str]:
        return [*PERSON_FIELDS[:12], *self.document_field_names(), *PERSON_FIELDS[12:]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        birth_date = cleaned.get("birth_date")
        birth_year = cleaned.get("birth_year")
        if birth_date is not None:
            if birth_date > today():
                self.add_error("birth_date", _("The date of birth is in the future."))
            elif birth_year is not None and birth_year != birth_date.year:
                self.add_error(
                    "birth_year", _("The year of birth does not match the date of birth.")
                )
            else:
                cleaned["birth_year"] = birth_date.year
                cleaned["birth_year_estimated"] = False
        elif birth_year is not None and birth_year > today().year:
            self.add_error("birth_year", _("The year of birth is in the future."))
        for index in range(self.document_rows):
            kind = cleaned.get(f"document_kind_{index}")
            number = (cleaned.get(f"document_number_{index}") or "").strip()
            if number and not kind:
                self.add_error(f"document_kind_{index}", _("Which document is it?"))
            elif kind and not number:
                self.add_error(f"document_number_{index}", _("Write the document's number."))
        return cleaned

    def person_values(self) -> dict[str, Any]:
        """Keyword arguments for ``person_create`` / ``person_update``."""
        data = self.cleaned_data
        values = {name: data[name] for name in PERSON_FIELDS}
        values["identity_documents"] = [
            {"kind": data[f"document_kind_{index}"],
             "number": data[f"document_number_{index}"].strip()}
            for index in range(self.document_rows)
            if data.get(f"document_kind_{index}") and data.get(f"document_number_{index}")
        ]
        values["children_accompanying"] = data["children_accompanying"] or 0
        return values


def person_initial(person: Person) -> dict[str, Any]:
    """The form's starting values for an existing person."""
    initial: dict[str, Any] = {
        name: getattr(person, name) for name in PERSON_FIELDS
        if name not in ("citizenships", "origin_country")
    }
    initial["citizenships"] = person.citizenship_list
    initial["origin_country"] = person.origin_country.code if person.origin_country else ""
    initial["identity_documents"] = list(person.identity_documents or [])
    initial["version"] = person.version
    return initial


class PersonEditForm(GroupedFormMixin, PersonFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    groups = [
        (_("Names"), ["first_name", "middle_name", "last_name", "first_name_latin",
                      "last_name_latin", "other_names"]),
        (_("Birth and gender"), ["birth_date", "birth_year", "birth_year_estimated",
                                 "gender"]),
        (_("Contact"), ["phones", "email", "address"]),
        (_("Identity documents and citizenship"), ["citizenships"]),
        (_("Background"), ["primary_language", "secondary_language", "education",
                           "marital_status", "number_of_children", "children_accompanying",
                           "origin_country", "origin_region", "origin_city"]),
    ]

    def all_groups(self) -> list[tuple[Any, list[str]]]:
        groups = list(self.groups)
        legend, names = groups[3]
        groups[3] = (legend, [*names, *self.document_field_names()])
        return groups
