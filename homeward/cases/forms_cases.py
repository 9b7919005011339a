"""Forms of the main case pages: the list filters, editing a case and its
person, and the actions on a case (advance, close, reopen, found, team).

The intake wizard's form is in :mod:`homeward.cases.forms_intake`. The forms
only parse and check the shape of the input; the services
(:mod:`homeward.cases.services`) apply the rules of case work and save.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.accounts.models import Organisation, User
from homeward.cases.choices import (
    CaseKind,
    CaseStatus,
    IdentityDocumentKind,
    Step,
    TeamRole,
)
from homeward.cases.models import Case, MissingReport, Person
from homeward.cases.selectors import CaseFilters
from homeward.core.fields import EncryptedDateField, EncryptedTextField
from homeward.directory.models import Entry

DATE_INPUT_FORMAT = "%Y-%m-%d"
ANY: tuple[str, Any] = ("", _("Any"))
# Rows offered for identity documents (one more than the person has).
DOCUMENT_ROWS = 2
MAX_PHONES = 10
EARLIEST_BIRTH_YEAR = 1900


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


def _set_choices(form: forms.Form, name: str, choices: Iterable[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = list(choices)


def set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    cast("forms.ModelChoiceField[Any]", form.fields[name]).queryset = queryset


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


def today() -> datetime.date:
    return timezone.localdate()


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names
    when the form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- small fields --------------------------------------------------------------


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


def user_label(user: User) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else str(user.username)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


def entry_label(entry: Entry) -> str:
    """A directory entry as a choice: its name and place."""
    place = ", ".join(str(part) for part in (entry.city, entry.country.name) if part)
    return f"{entry.name} ({place})" if place else str(entry.name)


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return entry_label(obj)


# --- the case list ---------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """The case list's filters; every field optional."""

    q = forms.CharField(
        label=_("Case code or name"), required=False, max_length=100,
        help_text=_("A case code, or one whole word of a name."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    step = forms.ChoiceField(label=_("Step"), required=False,
                             choices=[ANY, *Step.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[ANY, *CaseKind.choices])
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    assignee = forms.ChoiceField(label=_("Worker"), required=False)
    nationality = forms.ChoiceField(label=_("Citizenship"), required=False)
    destination = forms.ChoiceField(label=_("Country of exploitation"), required=False)
    minor = forms.ChoiceField(
        label=_("Minor"), required=False,
        choices=[ANY, ("yes", _("Minors only")), ("no", _("Adults only"))],
    )
    overdue = forms.BooleanField(label=_("Review overdue"), required=False)

    def __init__(
        self, *args: Any, organisations: Iterable[Organisation], assignees: Iterable[User],
        nationalities: Iterable[str], destinations: Iterable[str], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "status", [
            ANY, ("open", pgettext_lazy("cases", "Open (active or follow-up)")),
            *CaseStatus.choices,
        ])
        organisations = list(organisations)
        if len(organisations) > 1:
            _set_choices(self, "organisation", [ANY, *((o.code, o.name) for o in organisations)])
        else:
            del self.fields["organisation"]
        _set_choices(self, "assignee", [ANY, *((str(u.pk), user_label(u)) for u in assignees)])
        _set_choices(self, "nationality", [
            ANY, *sorted(((c, country_name(c)) for c in nationalities), key=lambda c: c[1])
        ])
        _set_choices(self, "destination", [
            ANY, *sorted(((c, country_name(c)) for c in destinations), key=lambda c: c[1])
        ])

    def filters(self) -> CaseFilters | None:
        """The selector's filters; an unbound form lists the open cases. None
        when a value is not a choice: that finds nothing rather than everything."""
        if not self.is_bound:
            return CaseFilters(status="open")
        if not self.is_valid():
            return None
        data = self.cleaned_data
        minor = {"yes": True, "no": False}.get(data["minor"])
        return CaseFilters(
            q=data["q"].strip(), status=data["status"], step=data["step"], kind=data["kind"],
            organisation=data.get("organisation", ""),
            assignee=int(data["assignee"]) if data["assignee"] else None,
            nationality=data["nationality"], destination=data["destination"], minor=minor,
            overdue=bool(data["overdue"]),
        )


# --- the person ----------------------------------------------------------------

PERSON_FIELDS = [
    "first_name", "middle_name", "last_name", "first_name_latin", "last_name_latin",
    "other_names", "birth_date", "birth_year", "birth_year_estimated", "gender",
    "citizenships", "phones", "email", "address", "primary_language",
    "secondary_language", "education", "marital_status", "number_of_children",
    "children_accompanying", "origin_country", "origin_region", "origin_city",
]


class PersonFieldsForm(forms.Form):
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


# --- the case ------------------------------------------------------------------

CASE_EDIT_FIELDS = [
    "case_owner", "review_due_on", "referral_source", "referring_entry",
    "referring_organisation_name", "referring_worker", "incoming_referral_date",
    "referral_details", "trafficking_status", "trafficking_status_decided_by",
    "relationship_to_trafficker", "age_when_trafficked", "recruitment_methods",
    "recruitment_channels", "methods_of_control", "exploitation_types",
    "forced_labour_industry", "sex_exploitation_types", "destination_country",
    "destination_city", "current_country", "current_city",
]


class CaseEditForm(GroupedFormMixin, forms.Form):
    groups = [
        (_("Follow-up"), ["case_owner", "review_due_on"]),
        (_("Referral"), ["referral_source", "referring_entry", "referring_organisation_name",
                         "referring_worker", "incoming_referral_date", "referral_details"]),
        (_("Trafficking"), ["trafficking_status", "trafficking_status_decided_by",
                            "relationship_to_trafficker", "age_when_trafficked",
                            "recruitment_methods", "recruitment_channels",
                            "methods_of_control", "exploitation_types",
                            "forced_labour_industry", "sex_exploitation_types"]),
        (_("Places"), ["destination_country", "destination_city", "current_country",
                       "current_city"]),
    ]
    case_owner = UserChoiceField(
        label=_("Lead case worker"), queryset=User.objects.none(), required=False
    )
    review_due_on = model_field(Case, "review_due_on")
    referral_source = model_field(Case, "referral_source")
    referring_entry = EntryChoiceField(
        label=_("Referring organisation (directory)"), queryset=Entry.objects.none(),
        required=False,
    )
    referring_organisation_name = model_field(Case, "referring_organisation_name")
    referring_worker = model_field(Case, "referring_worker")
    incoming_referral_date = model_field(Case, "incoming_referral_date")
    referral_details = model_field(Case, "referral_details")
    trafficking_status = model_field(Case, "trafficking_status")
    trafficking_status_decided_by = model_field(Case, "trafficking_status_decided_by")
    relationship_to_trafficker = model_field(Case, "relationship_to_trafficker")
    age_when_trafficked = model_field(Case, "age_when_trafficked")
    recruitment_methods = model_field(Case, "recruitment_methods")
    recruitment_channels = model_field(Case, "recruitment_channels")
    methods_of_control = model_field(Case, "methods_of_control")
    exploitation_types = model_field(Case, "exploitation_types")
    forced_labour_industry = model_field(Case, "forced_labour_industry")
    sex_exploitation_types = model_field(Case, "sex_exploitation_types")
    destination_country = model_field(Case, "destination_country")
    destination_city = model_field(Case, "destination_city")
    current_country = model_field(Case, "current_country")
    current_city = model_field(Case, "current_city")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, owners: QuerySet[User], entries: QuerySet[Entry],
        current_entry_id: int | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "case_owner", owners)
        if current_entry_id is not None and not entries.filter(pk=current_entry_id).exists():
            # The referral came from a directory entry this user may not see:
            # neither shown nor changed (saving must not drop it).
            del self.fields["referring_entry"]
        else:
            set_queryset(self, "referring_entry", entries)

    def case_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CASE_EDIT_FIELDS
                if name in self.fields}


def case_initial(case: Case) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(case, name) for name in CASE_EDIT_FIELDS}
    initial["case_owner"] = case.case_owner_id
    initial["referring_entry"] = case.referring_entry_id
    for name in ("destination_country", "current_country"):
        initial[name] = getattr(case, name).code if getattr(case, name) else ""
    initial["version"] = case.version
    return initial


# --- actions -------------------------------------------------------------------


class StepField(forms.ChoiceField):
    """Offers the allowed next steps but accepts any step of the path, so
    that a step no longer allowed (someone moved the case on meanwhile) is
    refused by the service with the rule in words."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in Step.values


class AdvanceForm(forms.Form):
    step = StepField(label=_("Next step"))
    happened_on = forms.DateField(label=_("Date"), widget=date_input(), initial=today)
    done_by = forms.CharField(
        label=_("Done by"), required=False, max_length=200,
        help_text=_("The worker or partner who did it, e.g. the police task force."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, steps: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Step.choices)
        _set_choices(self, "step", [(step, labels.get(step, step)) for step in steps])


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=date_input(), initial=today)
    reason = forms.CharField(
        label=_("Reason for closure"), widget=forms.Textarea(attrs={"rows": 3})
    )
    referred_to = forms.ModelChoiceField(
        label=_("Referred to"), queryset=Organisation.objects.none(), required=False,
        help_text=_("When another organisation takes the case over."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self, "referred_to",
            Organisation.objects.filter(is_active=True).exclude(pk=case.organisation_id)
            .order_by("code"),
        )


class ReopenForm(forms.Form):
    reopened_on = forms.DateField(label=_("Reopened on"), widget=date_input(), initial=today)
    notes = forms.CharField(
        label=_("Why it is reopened"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FoundForm(forms.Form):
    found_on = forms.DateField(label=_("Found on"), widget=date_input(), initial=today)
    found_where = model_field(MissingReport, "found_where")
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


MISSING_FIELDS = [
    "reported_on", "reporter_name", "reporter_relationship", "reporter_contact",
    "last_seen_on", "last_seen_country", "last_seen_city", "circumstances",
    "police_report_country", "police_report_authority", "police_report_reference",
    "police_reported_on",
]


class MissingReportForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MISSING_FIELDS:
            self.fields[name] = model_field(MissingReport, name)


def missing_initial(report: MissingReport) -> dict[str, Any]:
    initial = {name: getattr(report, name) for name in MISSING_FIELDS}
    for name in ("last_seen_country", "police_report_country"):
        initial[name] = getattr(report, name).code if getattr(report, name) else ""
    return initial


class AssignForm(forms.Form):
    user = UserChoiceField(label=_("Worker"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role in the case"), choices=TeamRole.choices)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "user", users)
