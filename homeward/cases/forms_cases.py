"""Forms of the main case pages: the list filters, editing a case, and the
actions on a case (advance, close, reopen, found, missing report, team).

The person's fields are in :mod:`homeward.cases.forms_person`, the intake
wizard's form in :mod:`homeward.cases.forms_intake`, and what they share in
:mod:`homeward.cases.forms_common`. The forms only parse and check the shape
of the input; the services (:mod:`homeward.cases.services`) apply the rules
of case work and save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.accounts.models import Organisation, User
from homeward.cases.choices import CaseKind, CaseStatus, Step, TeamRole
from homeward.cases.forms_common import (
    GroupedFormMixin,
    date_input,
    model_field,
    set_queryset,
    today,
)
from homeward.cases.forms_person import country_name
from homeward.cases.models import Case, MissingReport
from homeward.cases.selectors import CaseFilters
from homeward.core.widgets import FastSelectsMixin
from homeward.directory.models import Entry

ANY: tuple[str, Any] = ("", _("Any"))


def _set_choices(form: forms.Form, name: str, choices: Iterable[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = list(choices)


# --- choosing users and directory entries --------------------------------------


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


class CaseFilterForm(FastSelectsMixin, forms.Form):
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
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)

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
            overdue=bool(data["overdue"]), urgent=bool(data["urgent"]),
        )


# --- the case ------------------------------------------------------------------

CASE_EDIT_FIELDS = [
    "case_owner", "is_urgent", "review_due_on", "referral_source", "referring_entry",
    "referring_organisation_name", "referring_worker", "incoming_referral_date",
    "referral_details", "trafficking_status", "trafficking_status_decided_by",
    "relationship_to_trafficker", "age_when_trafficked", "recruitment_methods",
    "recruitment_channels", "methods_of_control", "exploitation_types",
    "forced_labour_industry", "sex_exploitation_types", "destination_country",
    "destination_city", "current_country", "current_city",
]


class CaseEditForm(FastSelectsMixin, GroupedFormMixin, forms.Form):
    groups = [
        (_("Follow-up"), ["case_owner", "is_urgent", "review_due_on"]),
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
    is_urgent = model_field(Case, "is_urgent")
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


class CloseForm(FastSelectsMixin, forms.Form):
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


class MissingReportForm(FastSelectsMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MISSING_FIELDS:
            self.fields[name] = model_field(MissingReport, name)


def missing_initial(report: MissingReport) -> dict[str, Any]:
    initial = {name: getattr(report, name) for name in MISSING_FIELDS}
    for name in ("last_seen_country", "police_report_country"):
        initial[name] = getattr(report, name).code if getattr(report, name) else ""
    return initial


class AssignForm(FastSelectsMixin, forms.Form):
    user = UserChoiceField(label=_("Worker"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role in the case"), choices=TeamRole.choices)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "user", users)
