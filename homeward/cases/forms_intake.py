"""The intake wizard's form: referral, person, situation, consents.

One form in four fieldsets (``static/cases/intake.js`` shows them one at a
time; without script it is one long form). The same person may already be
known: :func:`identifiers_from_data` reads what a duplicate check needs from
the submitted fields, even half-typed, and ``existing_person`` carries the
person the worker recognised.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.choices import (
    CaseKind,
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
)
from homeward.cases.forms_cases import MISSING_FIELDS, EntryChoiceField
from homeward.cases.forms_common import date_input, model_field, set_queryset, today
from homeward.cases.forms_person import EARLIEST_BIRTH_YEAR, PersonFieldsForm
from homeward.cases.matching import Identifiers
from homeward.cases.models import Case, MissingReport
from homeward.directory.models import Entry

REFERRAL_FIELDS = [
    "organisation", "is_urgent", "referral_source", "referring_entry",
    "referring_organisation_name", "referring_worker", "incoming_referral_date",
    "referral_details", "kind",
]
# The fields a duplicate check reads (the page checks again when they change).
MATCH_FIELDS = [
    "first_name", "middle_name", "last_name", "first_name_latin", "last_name_latin",
    "other_names", "birth_date", "birth_year", "birth_year_estimated", "phones", "email",
]
OTHER_PERSON_FIELDS = [
    "gender", "citizenships", "primary_language", "secondary_language", "education",
    "marital_status", "number_of_children", "children_accompanying", "origin_country",
    "origin_region", "origin_city", "address",
]
SITUATION_FIELDS = [
    "trafficking_status", "trafficking_status_decided_by", "current_country", "current_city",
    "destination_country", "destination_city", "methods_of_control", "exploitation_types",
    "review_due_on",
]
CASE_FIELDS = [name for name in REFERRAL_FIELDS if name not in ("organisation", "kind",
                                                               "referral_source")]
CASE_FIELDS += SITUATION_FIELDS
# The consents asked at intake, by the prefix of their fields.
INTAKE_CONSENTS = [
    ("assistance", ConsentPurpose.ASSISTANCE),
    ("statistics", ConsentPurpose.STATISTICS),
    ("phone_contact", ConsentPurpose.PHONE_CONTACT),
]


class IntakeForm(PersonFieldsForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation opening the case"), queryset=Organisation.objects.none()
    )
    is_urgent = model_field(
        Case, "is_urgent", label=_("Urgent case"),
        help_text=_("A rescue in progress: listed first, and the case workers are told at "
                    "once."),
    )
    referral_source = model_field(Case, "referral_source")
    referring_entry = EntryChoiceField(
        label=_("Referring organisation (directory)"), queryset=Entry.objects.none(),
        required=False,
    )
    referring_organisation_name = model_field(Case, "referring_organisation_name")
    referring_worker = model_field(Case, "referring_worker")
    incoming_referral_date = model_field(Case, "incoming_referral_date", initial=today)
    referral_details = model_field(Case, "referral_details")
    kind = forms.ChoiceField(
        label=_("Kind of case"), choices=CaseKind.choices, initial=CaseKind.VICTIM,
        widget=forms.RadioSelect(attrs={"data-intake-kind": ""}),
        help_text=_("A missing-person case becomes a victim case when the person is found."),
    )
    trafficking_status = model_field(Case, "trafficking_status")
    trafficking_status_decided_by = model_field(Case, "trafficking_status_decided_by")
    current_country = model_field(Case, "current_country")
    current_city = model_field(Case, "current_city")
    destination_country = model_field(Case, "destination_country")
    destination_city = model_field(Case, "destination_city")
    methods_of_control = model_field(Case, "methods_of_control")
    exploitation_types = model_field(Case, "exploitation_types")
    review_due_on = model_field(Case, "review_due_on")
    consent_given_by = forms.ChoiceField(
        label=_("Consents given by"), choices=ConsentGivenBy.choices,
        initial=ConsentGivenBy.PERSON,
        help_text=_("For a minor: the parent, guardian or social support department."),
    )
    consent_given_by_name = forms.CharField(
        label=_("Name of who consented"), required=False, max_length=200,
        help_text=_("When it is not the person."),
    )
    existing_person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    ref = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], entries: QuerySet[Entry],
        urgent_only: frozenset[int] = frozenset(), **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Organisations where the user opens only urgent cases (from the hotline).
        self.urgent_only = urgent_only
        if urgent_only and {o.pk for o in organisations} <= urgent_only:
            self.fields["is_urgent"].disabled = True
            self.fields["is_urgent"].initial = True
            self.fields["is_urgent"].help_text = _(
                "From the hotline you open only urgent cases: a case worker of the "
                "organisation takes the lead."
            )
        set_queryset(self, "organisation", organisations)
        set_queryset(self, "referring_entry", entries)
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        for name in MISSING_FIELDS:
            field = model_field(MissingReport, name, required=False)
            self.fields[f"missing_{name}"] = field
        self.fields["missing_reported_on"].initial = today
        for key, purpose in INTAKE_CONSENTS:
            label = dict(ConsentPurpose.choices)[purpose]
            self.fields[f"consent_{key}_decision"] = forms.ChoiceField(
                label=_("Consent: %(purpose)s") % {"purpose": label}, required=False,
                label_suffix="",
                choices=[("", _("Not asked yet")), (ConsentDecision.GIVEN, _("Given")),
                         (ConsentDecision.REFUSED, _("Refused"))],
            )
            self.fields[f"consent_{key}_form"] = forms.ChoiceField(
                label=_("How (%(purpose)s)") % {"purpose": label}, required=False,
                choices=[("", "—"), *ConsentForm.choices],
            )
            self.fields[f"consent_{key}_on"] = forms.DateField(
                label=_("Date (%(purpose)s)") % {"purpose": label}, required=False,
                widget=date_input(), initial=today,
            )

    # --- the sections, for the template ------------------------------------

    def _bound(self, names: list[str]) -> list[BoundField]:
        return [self[name] for name in names if name in self.fields]

    def referral_fields(self) -> list[BoundField]:
        return self._bound(REFERRAL_FIELDS)

    def missing_fields(self) -> list[BoundField]:
        return self._bound([f"missing_{name}" for name in MISSING_FIELDS])

    def match_fields(self) -> list[BoundField]:
        return self._bound([*MATCH_FIELDS, *self.document_field_names()])

    def other_person_fields(self) -> list[BoundField]:
        return self._bound(OTHER_PERSON_FIELDS)

    def situation_fields(self) -> list[BoundField]:
        return self._bound(SITUATION_FIELDS)

    def consent_by_fields(self) -> list[BoundField]:
        return self._bound(["consent_given_by", "consent_given_by_name"])

    def consent_rows(self) -> list[tuple[Any, list[BoundField]]]:
        """(purpose label, [decision, how, date]) for each consent asked at intake."""
        labels = dict(ConsentPurpose.choices)
        return [
            (labels[purpose], self._bound(
                [f"consent_{key}_decision", f"consent_{key}_form", f"consent_{key}_on"]
            ))
            for key, purpose in INTAKE_CONSENTS
        ]

    def match_param_names(self) -> str:
        """What the duplicate check sends (``hx-params``): nothing else leaves
        (the person already chosen, to keep the choice)."""
        return ",".join(
            ["organisation", "existing_person", *MATCH_FIELDS, *self.document_field_names()]
        )

    # --- checks and values ---------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is not None and organisation.pk in self.urgent_only:
            self.cleaned_data["is_urgent"] = True
        if cleaned.get("kind") == CaseKind.MISSING_PERSON:
            for name in ("reported_on", "reporter_name", "reporter_relationship"):
                if not cleaned.get(f"missing_{name}") and f"missing_{name}" not in self.errors:
                    self.add_error(
                        f"missing_{name}", _("Needed for a missing-person case.")
                    )
        for key, _purpose in INTAKE_CONSENTS:
            if cleaned.get(f"consent_{key}_decision"):
                if not cleaned.get(f"consent_{key}_form"):
                    self.add_error(f"consent_{key}_form", _("Oral or signed?"))
                if not cleaned.get(f"consent_{key}_on"):
                    self.add_error(f"consent_{key}_on", _("When was it decided?"))
        return cleaned

    def case_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CASE_FIELDS}

    def missing_report_values(self) -> dict[str, Any] | None:
        if self.cleaned_data["kind"] != CaseKind.MISSING_PERSON:
            return None
        return {name: self.cleaned_data[f"missing_{name}"] for name in MISSING_FIELDS}

    def consent_values(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        consents: list[dict[str, Any]] = []
        for key, purpose in INTAKE_CONSENTS:
            if data.get(f"consent_{key}_decision"):
                consents.append({
                    "purpose": purpose,
                    "decision": data[f"consent_{key}_decision"],
                    "decided_on": data[f"consent_{key}_on"],
                    "form": data[f"consent_{key}_form"],
                    "given_by": data["consent_given_by"],
                    "given_by_name": data["consent_given_by_name"],
                })
        return consents


def _text(data: Any, name: str, limit: int = 200) -> str:
    value = data.get(name, "")
    return str(value).strip()[:limit] if isinstance(value, str) else ""


def _birth_year(data: Any) -> int | None:
    try:
        return datetime.date.fromisoformat(_text(data, "birth_date", 10)).year
    except ValueError:
        pass
    try:
        year = int(_text(data, "birth_year", 4))
    except ValueError:
        return None
    return year if EARLIEST_BIRTH_YEAR <= year <= today().year else None


def identifiers_from_data(data: Any) -> Identifiers:
    """What a duplicate check compares, read leniently from submitted fields
    (the person section may be half-typed)."""
    documents = tuple(
        _text(data, key, 60) for key in sorted(data)
        if re.fullmatch(r"document_number_\d+", key) and _text(data, key, 60)
    )
    return Identifiers(
        first_name=_text(data, "first_name"), last_name=_text(data, "last_name"),
        first_name_latin=_text(data, "first_name_latin"),
        last_name_latin=_text(data, "last_name_latin"),
        middle_name=_text(data, "middle_name"), other_names=_text(data, "other_names", 300),
        birth_year=_birth_year(data),
        phones=tuple(line.strip() for line in _text(data, "phones", 400).splitlines()
                     if line.strip())[:10],
        documents=documents[:10],
        email=_text(data, "email", 254),
    )


def has_identifiers(identifiers: Identifiers) -> bool:
    return bool(identifiers.match_keys())


def organisation_from_data(
    data: Any, organisations: QuerySet[Organisation]
) -> Organisation | None:
    """The organisation chosen in the form, if the user may open cases in it;
    the only one when there is a single choice."""
    chosen = _text(data, "organisation", 20)
    if chosen.isdigit():
        found = organisations.filter(pk=int(chosen)).first()
        if found is not None:
            return found
    return organisations.first() if len(organisations) == 1 else None
