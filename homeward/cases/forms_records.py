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
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.choices import ConsentGivenBy, ConsentPurpose, EventType
from homeward.cases.forms_common import model_field
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
from homeward.core.widgets import FastSelectsMixin
from homeward.directory.models import Entry

SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


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


class GroupedForm(FastSelectsMixin, forms.Form):
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
    type = model_field(TraffickingEvent, "type")
    date = model_field(TraffickingEvent, "date", label=_("From"))
    end_date = model_field(TraffickingEvent, "end_date")
    duration_days = model_field(TraffickingEvent, "duration_days")
    country = model_field(TraffickingEvent, "country")
    state = model_field(TraffickingEvent, "state")
    city = model_field(TraffickingEvent, "city")
    recruitment_methods = model_field(TraffickingEvent, "recruitment_methods")
    recruitment_channels = model_field(TraffickingEvent, "recruitment_channels")
    recruiter_relationship = model_field(TraffickingEvent, "recruiter_relationship")
    transport_modes = model_field(TraffickingEvent, "transport_modes")
    worked_in_transit = forms.NullBooleanField(
        label=_("Worked in this country"), required=False
    )
    official_checkpoint_crossed = forms.NullBooleanField(
        label=_("Crossed an official border checkpoint"), required=False
    )
    exploitation_types = model_field(TraffickingEvent, "exploitation_types")
    forced_labour_industry = model_field(TraffickingEvent, "forced_labour_industry")
    sex_exploitation_types = model_field(TraffickingEvent, "sex_exploitation_types")
    methods_of_control = model_field(TraffickingEvent, "methods_of_control")
    description = model_field(
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


class RescueForm(FastSelectsMixin, forms.Form):
    country = model_field(RescueRecord, "country")
    city = model_field(RescueRecord, "city")
    location = model_field(RescueRecord, "location")
    contacted = EntryMultipleChoiceField(
        label=_("Who was contacted"), queryset=Entry.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Directory entries you may see in the country above the form."),
    )
    contacted_other = model_field(RescueRecord, "contacted_other")
    contacted_at = forms.DateTimeField(
        label=_("Contacted at"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    rescued_on = model_field(RescueRecord, "rescued_on")
    outcome = model_field(RescueRecord, "outcome")
    notes = model_field(RescueRecord, "notes")

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted"].queryset = entries  # type: ignore[attr-defined]


# --- repatriation and moves ----------------------------------------------------


class RepatriationForm(GroupedForm):
    document_status = model_field(Repatriation, "document_status")
    document_authority = EntryChoiceField(
        label=_("Consulate or embassy"), queryset=Entry.objects.none(), required=False,
    )
    document_applied_on = model_field(Repatriation, "document_applied_on")
    document_issued_on = model_field(Repatriation, "document_issued_on")
    itinerary = model_field(Repatriation, "itinerary")
    departure_on = model_field(Repatriation, "departure_on")
    arrival_on = model_field(Repatriation, "arrival_on")
    arrival_place = model_field(Repatriation, "arrival_place")
    met_by = model_field(Repatriation, "met_by")
    escort_name = model_field(Repatriation, "escort_name")
    escort_organisation = model_field(Repatriation, "escort_organisation")
    destination_kind = model_field(Repatriation, "destination_kind", widget=forms.RadioSelect)
    destination_region = model_field(Repatriation, "destination_region")
    destination_city = model_field(Repatriation, "destination_city")
    cost = model_field(Repatriation, "cost")
    cost_currency = forms.RegexField(
        label=_("Currency"), regex=r"^[A-Za-z]{3}$", max_length=3, required=False,
        initial="EUR", help_text=_("ISO 4217 code, for example EUR, USD, RUB."),
        error_messages={"invalid": _("Use a three-letter currency code.")},
    )
    notes = model_field(Repatriation, "notes")

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


class MoveForm(FastSelectsMixin, forms.Form):
    kind = model_field(Move, "kind")
    moved_on = model_field(Move, "moved_on")
    from_place = model_field(Move, "from_place")
    to_place = model_field(Move, "to_place")
    escort_name = model_field(Move, "escort_name")
    escort_organisation = model_field(Move, "escort_organisation")
    notes = model_field(Move, "notes")


# --- medical -------------------------------------------------------------------


class MedicalExamForm(FastSelectsMixin, forms.Form):
    kind = model_field(MedicalExam, "kind")
    planned_on = model_field(MedicalExam, "planned_on")
    facility = EntryChoiceField(
        label=_("Clinic"), queryset=Entry.objects.none(), required=False,
        help_text=_("Medical facilities in the directory."),
    )
    facility_other = model_field(
        MedicalExam, "facility_other", help_text=_("When the clinic is not in the directory.")
    )
    purpose = model_field(MedicalExam, "purpose")

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
    kind = model_field(Guardian, "kind")
    name = model_field(Guardian, "name")
    department = model_field(Guardian, "department")
    contact = model_field(Guardian, "contact")
    recorded_on = model_field(Guardian, "recorded_on", initial=timezone.localdate)


# --- justice -------------------------------------------------------------------


class ProceedingForm(GroupedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    jurisdiction = model_field(CriminalProceeding, "jurisdiction")
    authority = model_field(CriminalProceeding, "authority")
    article = model_field(CriminalProceeding, "article")
    article_other = model_field(CriminalProceeding, "article_other",
                           help_text=_("When the article is “other”."))
    stage = model_field(CriminalProceeding, "stage")
    stage_since = model_field(CriminalProceeding, "stage_since")
    person_role = model_field(CriminalProceeding, "person_role")
    reference = model_field(CriminalProceeding, "reference")
    protection_measures = model_field(CriminalProceeding, "protection_measures")
    allegation = model_field(
        CriminalProceeding, "allegation",
        help_text=_("Shown only on this tab, to the people working on this case."),
    )
    reported_on = model_field(CriminalProceeding, "reported_on")
    verdict_on = model_field(CriminalProceeding, "verdict_on")
    verdict = model_field(CriminalProceeding, "verdict")

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
    purpose = model_field(Consent, "purpose")
    organisation = forms.ModelChoiceField(
        label=_("Shared with"), required=False,
        queryset=Organisation.objects.filter(is_coalition_member=True, is_active=True)
        .order_by("code"),
        help_text=_("Only for sharing data: the coalition organisation the data goes to."),
    )
    decision = model_field(Consent, "decision", widget=forms.RadioSelect)
    decided_on = model_field(Consent, "decided_on", initial=timezone.localdate)
    given_by = model_field(Consent, "given_by")
    given_by_name = model_field(Consent, "given_by_name")
    form = model_field(Consent, "form", widget=forms.RadioSelect)
    scan = forms.FileField(
        label=_("Scan of the signed form"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_("PDF, JPEG or PNG, up to 10 MB. It is stored encrypted."),
    )
    notes = model_field(Consent, "notes")

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


def purpose_from_query(value: str | None) -> str | None:
    """A purpose named in the query string (?purpose=Medical), if it is one."""
    return value if value in ConsentPurpose.values else None
