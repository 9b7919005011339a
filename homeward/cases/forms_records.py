"""Forms of a case's tabs: the trafficking story, rescue, repatriation and
moves, medical examinations and guardians, criminal proceedings, consents.

The forms parse and check the shape of the input; the services
(:mod:`homeward.cases.services`) apply the rules of case work (consents,
minors, escorts, versions) and save.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.choices import ConsentGivenBy, ConsentPurpose, EventType
from homeward.cases.models import (
    Consent,
    CriminalProceeding,
    Guardian,
    MedicalExam,
    Move,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)
from homeward.directory.models import Entry

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _field(model: type[models.Model], name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field (label, length,
    help, choices), with a date picker for dates and short text areas."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - only concrete fields are named
    kwargs.setdefault("label", capfirst(field.verbose_name))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", DATE_INPUT)
    elif isinstance(field, models.TextField) and getattr(field, "max_length", None) is None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return field.formfield(**kwargs)


def entry_label(entry: Entry) -> str:
    """A directory entry as a choice: its name, kind and place."""
    place = ", ".join(str(part) for part in (entry.city, entry.country.name) if part)
    return f"{entry.name} — {entry.get_kind_display()}" + (f" ({place})" if place else "")


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return entry_label(obj)


class EntryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return entry_label(obj)


class GroupedForm(forms.Form):
    """A form shown as fieldsets: ``groups`` is ``[(legend, [field names])]``
    (a ``None`` legend shows the fields without a frame)."""

    groups: list[tuple[Any, list[str]]] = []
    # Fieldsets shown only while a select holds one of some values
    # (progressive enhancement, see static/cases/records.js):
    # {index in groups: (field name, [values])}.
    shown_when: dict[int, tuple[str, list[str]]] = {}

    def fieldsets(self) -> Iterator[dict[str, Any]]:
        for index, (legend, names) in enumerate(self.groups):
            condition = self.shown_when.get(index)
            yield {
                "legend": legend,
                "fields": [self[name] for name in names if name in self.fields],
                "show_field": self.add_prefix(condition[0]) if condition else "",
                "show_values": ",".join(condition[1]) if condition else "",
            }


# --- the trafficking story -----------------------------------------------------


class EventForm(GroupedForm):
    type = _field(TraffickingEvent, "type")
    date = _field(TraffickingEvent, "date", label=_("From"))
    end_date = _field(TraffickingEvent, "end_date")
    duration_days = _field(TraffickingEvent, "duration_days")
    country = _field(TraffickingEvent, "country")
    state = _field(TraffickingEvent, "state")
    city = _field(TraffickingEvent, "city")
    recruitment_methods = _field(TraffickingEvent, "recruitment_methods")
    recruitment_channels = _field(TraffickingEvent, "recruitment_channels")
    recruiter_relationship = _field(TraffickingEvent, "recruiter_relationship")
    transport_modes = _field(TraffickingEvent, "transport_modes")
    worked_in_transit = forms.NullBooleanField(
        label=_("Worked in this country"), required=False
    )
    official_checkpoint_crossed = forms.NullBooleanField(
        label=_("Crossed an official border checkpoint"), required=False
    )
    exploitation_types = _field(TraffickingEvent, "exploitation_types")
    forced_labour_industry = _field(TraffickingEvent, "forced_labour_industry")
    sex_exploitation_types = _field(TraffickingEvent, "sex_exploitation_types")
    methods_of_control = _field(TraffickingEvent, "methods_of_control")
    description = _field(
        TraffickingEvent, "description",
        help_text=_("Only the people working on this case can read it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    groups = [
        (_("When and where"), ["type", "date", "end_date", "duration_days", "country",
                               "state", "city"]),
        (_("Recruitment"), ["recruitment_methods", "recruitment_channels",
                            "recruiter_relationship"]),
        (_("Transit"), ["transport_modes", "worked_in_transit", "official_checkpoint_crossed"]),
        (_("Exploitation"), ["exploitation_types", "forced_labour_industry",
                             "sex_exploitation_types", "methods_of_control"]),
        (None, ["description"]),
    ]
    shown_when = {
        1: ("type", [EventType.RECRUITMENT]),
        2: ("type", [EventType.TRANSIT]),
        3: ("type", [EventType.EXPLOITATION]),
    }


def event_initial(event: TraffickingEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EventForm.base_fields}


# --- rescue --------------------------------------------------------------------


class RescueForm(forms.Form):
    country = _field(RescueRecord, "country")
    city = _field(RescueRecord, "city")
    location = _field(RescueRecord, "location")
    contacted = EntryMultipleChoiceField(
        label=_("Who was contacted"), queryset=Entry.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Directory entries you may see in the country above the form."),
    )
    contacted_other = _field(RescueRecord, "contacted_other")
    contacted_at = forms.DateTimeField(
        label=_("Contacted at"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    rescued_on = _field(RescueRecord, "rescued_on")
    outcome = _field(RescueRecord, "outcome")
    notes = _field(RescueRecord, "notes")

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted"].queryset = entries  # type: ignore[attr-defined]


# --- repatriation and moves ----------------------------------------------------


class RepatriationForm(GroupedForm):
    document_status = _field(Repatriation, "document_status")
    document_authority = EntryChoiceField(
        label=_("Consulate or embassy"), queryset=Entry.objects.none(), required=False,
    )
    document_applied_on = _field(Repatriation, "document_applied_on")
    document_issued_on = _field(Repatriation, "document_issued_on")
    itinerary = _field(Repatriation, "itinerary")
    departure_on = _field(Repatriation, "departure_on")
    arrival_on = _field(Repatriation, "arrival_on")
    arrival_place = _field(Repatriation, "arrival_place")
    met_by = _field(Repatriation, "met_by")
    escort_name = _field(Repatriation, "escort_name")
    escort_organisation = _field(Repatriation, "escort_organisation")
    destination_kind = _field(Repatriation, "destination_kind", widget=forms.RadioSelect)
    destination_region = _field(Repatriation, "destination_region")
    destination_city = _field(Repatriation, "destination_city")
    cost = _field(Repatriation, "cost")
    cost_currency = forms.RegexField(
        label=_("Currency"), regex=r"^[A-Za-z]{3}$", max_length=3, required=False,
        initial="EUR", help_text=_("ISO 4217 code, for example EUR, USD, RUB."),
        error_messages={"invalid": _("Use a three-letter currency code.")},
    )
    notes = _field(Repatriation, "notes")

    groups = [
        (_("Travel document"), ["document_status", "document_authority",
                                "document_applied_on", "document_issued_on"]),
        (_("Journey"), ["itinerary", "departure_on", "arrival_on", "arrival_place", "met_by"]),
        (_("Escort"), ["escort_name", "escort_organisation"]),
        (_("Destination"), ["destination_kind", "destination_region", "destination_city"]),
        (_("Costs and notes"), ["cost", "cost_currency", "notes"]),
    ]

    def __init__(self, *args: Any, embassies: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_authority"].queryset = embassies  # type: ignore[attr-defined]

    def clean_cost_currency(self) -> str:
        return str(self.cleaned_data.get("cost_currency") or "").upper()


def repatriation_initial(repatriation: Repatriation) -> dict[str, Any]:
    values = {name: getattr(repatriation, name) for name in RepatriationForm.base_fields}
    values["document_authority"] = repatriation.document_authority_id
    return values


def mark_escort_required(form: forms.Form) -> None:
    """Say next to the escort fields that a minor needs one (the services refuse
    a minor's journey without it)."""
    for name in ("escort_name", "escort_organisation"):
        form.fields[name].help_text = _(
            "An escort is required: the person is a minor. Name the escort or their "
            "organisation."
        )


class MoveForm(forms.Form):
    kind = _field(Move, "kind")
    moved_on = _field(Move, "moved_on")
    from_place = _field(Move, "from_place")
    to_place = _field(Move, "to_place")
    escort_name = _field(Move, "escort_name")
    escort_organisation = _field(Move, "escort_organisation")
    notes = _field(Move, "notes")


# --- medical -------------------------------------------------------------------


class MedicalExamForm(forms.Form):
    kind = _field(MedicalExam, "kind")
    planned_on = _field(MedicalExam, "planned_on")
    facility = EntryChoiceField(
        label=_("Clinic"), queryset=Entry.objects.none(), required=False,
        help_text=_("Medical facilities in the directory."),
    )
    facility_other = _field(
        MedicalExam, "facility_other", help_text=_("When the clinic is not in the directory.")
    )
    purpose = _field(MedicalExam, "purpose")

    def __init__(self, *args: Any, clinics: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = clinics  # type: ignore[attr-defined]


class EmergencyExamForm(MedicalExamForm):
    """The override for a minor without the guardian's consent: life in danger."""

    emergency_justification = forms.CharField(
        label=_("Why it cannot wait for the guardian's consent"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the danger to life. The coordinator is notified and the "
                    "override is recorded in the audit log."),
    )


class GuardianForm(forms.Form):
    kind = _field(Guardian, "kind")
    name = _field(Guardian, "name")
    department = _field(Guardian, "department")
    contact = _field(Guardian, "contact")
    recorded_on = _field(Guardian, "recorded_on", initial=timezone.localdate)


# --- justice -------------------------------------------------------------------


class ProceedingForm(GroupedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    jurisdiction = _field(CriminalProceeding, "jurisdiction")
    authority = _field(CriminalProceeding, "authority")
    article = _field(CriminalProceeding, "article")
    article_other = _field(CriminalProceeding, "article_other",
                           help_text=_("When the article is “other”."))
    stage = _field(CriminalProceeding, "stage")
    stage_since = _field(CriminalProceeding, "stage_since")
    person_role = _field(CriminalProceeding, "person_role")
    reference = _field(CriminalProceeding, "reference")
    protection_measures = _field(CriminalProceeding, "protection_measures")
    allegation = _field(
        CriminalProceeding, "allegation",
        help_text=_("Shown only on this tab, to the people working on this case."),
    )
    reported_on = _field(CriminalProceeding, "reported_on")
    verdict_on = _field(CriminalProceeding, "verdict_on")
    verdict = _field(CriminalProceeding, "verdict")

    groups = [
        (_("Proceeding"), ["jurisdiction", "authority", "article", "article_other", "reference",
                           "reported_on"]),
        (_("Stage"), ["stage", "stage_since", "verdict_on", "verdict"]),
        (_("The person"), ["person_role", "protection_measures"]),
        (_("Allegation"), ["allegation"]),
    ]

    def values(self) -> dict[str, Any]:
        """What the services take (without the version)."""
        values = dict(self.cleaned_data)
        values.pop("version", None)
        return values


def proceeding_initial(proceeding: CriminalProceeding) -> dict[str, Any]:
    return {name: getattr(proceeding, name) for name in ProceedingForm.base_fields}


# --- consents ------------------------------------------------------------------


class ConsentRecordForm(GroupedForm):
    purpose = _field(Consent, "purpose")
    organisation = forms.ModelChoiceField(
        label=_("Shared with"), required=False,
        queryset=Organisation.objects.filter(is_coalition_member=True, is_active=True)
        .order_by("code"),
        help_text=_("Only for sharing data: the coalition organisation the data goes to."),
    )
    decision = _field(Consent, "decision", widget=forms.RadioSelect)
    decided_on = _field(Consent, "decided_on", initial=timezone.localdate)
    given_by = _field(Consent, "given_by")
    given_by_name = _field(Consent, "given_by_name")
    form = _field(Consent, "form", widget=forms.RadioSelect)
    scan = forms.FileField(
        label=_("Scan of the signed form"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_("PDF, JPEG or PNG, up to 10 MB. It is stored encrypted."),
    )
    notes = _field(Consent, "notes")

    groups = [
        (None, ["purpose"]),
        (None, ["organisation"]),
        (None, ["decision", "decided_on", "given_by", "given_by_name", "form", "scan", "notes"]),
    ]
    shown_when = {1: ("purpose", [ConsentPurpose.DATA_SHARING])}

    def __init__(self, *args: Any, minor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if minor and "given_by" not in self.initial:
            self.initial["given_by"] = ConsentGivenBy.GUARDIAN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("purpose") == ConsentPurpose.DATA_SHARING:
            if not cleaned.get("organisation"):
                self.add_error(
                    "organisation",
                    _("Name the organisation the data would be shared with."),
                )
        else:
            cleaned["organisation"] = None
        return cleaned


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the
    form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def purpose_from_query(value: str | None) -> str | None:
    """A purpose named in the query string (?purpose=Medical), if it is one."""
    return value if value in ConsentPurpose.values else None
