"""Forms of the shelter side's work with a person: declining or admitting a
referral, the discharge, the standard package, the service log and the
medical screening.

They only parse the input; the services check who may, the dates, the
capacity and the medical lock, and save.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import User
from homeward.cases.forms_common import model_field, set_queryset, today
from homeward.directory.models import Entry
from homeward.shelters.choices import DiagnosisGroup, LeaveReason, OfferStatus, StandardService
from homeward.shelters.models import (
    Diagnosis,
    MedicalScreening,
    ServiceOffer,
    ServiceSession,
    ShelterReferral,
    ShelterStay,
)
from homeward.shelters.services.stays import ChildIn

# The ages of accompanying children, in months: "6, 48".
_AGES = re.compile(r"^\s*\d{1,3}(\s*[,;]\s*\d{1,3})*\s*$")
MAX_CHILD_AGE_MONTHS = 18 * 12


def parse_children_months(text: str) -> list[int]:
    """The ages typed as "6, 48" (months), youngest first; [] when empty."""
    if not text.strip():
        return []
    if not _AGES.match(text):
        raise ValidationError(
            _("Write the ages in months, separated by commas, for example: 6, 48."),
            code="invalid",
        )
    ages = sorted(int(part) for part in re.split(r"[,;]", text))
    if any(age >= MAX_CHILD_AGE_MONTHS for age in ages):
        raise ValidationError(_("A child is younger than 18 years (216 months)."),
                              code="invalid")
    return ages


def children_text(months: list[int] | tuple[int, ...]) -> str:
    return ", ".join(str(age) for age in months)


class DeclineForm(forms.Form):
    reason = model_field(ShelterReferral, "decline_reason", required=True)


class AdmitForm(forms.Form):
    """The admission: the date and the children who came with the person
    (a child under 3 sleeps in a cot, an older one in a bed)."""

    admitted_on = model_field(ShelterStay, "admitted_on", initial=today)
    children = forms.CharField(
        label=_("Ages of the accompanying children, in months"), required=False, max_length=200,
        help_text=_("Separated by commas, for example: 6, 48. Leave empty when no child "
                    "came with the person."),
    )

    def clean_children(self) -> list[ChildIn]:
        return [ChildIn(age_months=age) for age in
                parse_children_months(self.cleaned_data["children"])]


class DischargeForm(forms.Form):
    discharged_on = model_field(ShelterStay, "discharged_on", required=True, initial=today)
    reason = model_field(ShelterStay, "leave_reason", required=True,
                         choices=[("", "---------"), *LeaveReason.choices])
    note = model_field(ShelterStay, "leave_note", required=False)


NO_CHANGE = ""


class PackageForm(forms.Form):
    """The standard package at once: one decision per service (offered,
    accepted, refused). Only the services whose decision changes are
    recorded; participation is voluntary, so a refusal is recorded like an
    acceptance."""

    decided_on = model_field(ServiceOffer, "decided_on", initial=today)
    note = model_field(ServiceOffer, "note", required=False)

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        choices = [(NO_CHANGE, _("Not decided")), *OfferStatus.choices]
        for value, label in StandardService.choices:
            self.fields[self.field_name(value)] = forms.ChoiceField(
                label=label, choices=choices, required=False,
                initial=current.get(value, NO_CHANGE),
            )
        self.order_fields([*(self.field_name(value) for value in StandardService.values),
                           "decided_on", "note"])

    @staticmethod
    def field_name(service: str) -> str:
        return f"service_{service}"

    def service_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(value)] for value in StandardService.values]

    def decisions(self) -> dict[str, str]:
        """The services whose decision changes, with the new decision."""
        return {
            service: self.cleaned_data[self.field_name(service)]
            for service in StandardService.values
            if self.cleaned_data[self.field_name(service)] not in
            (NO_CHANGE, self.current.get(service, NO_CHANGE))
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.decisions():
            raise ValidationError(_("Choose a decision for at least one service."),
                                  code="nothing")
        return cleaned


class SessionForm(forms.Form):
    kind = model_field(ServiceSession, "kind")
    held_on = model_field(ServiceSession, "held_on", initial=today)
    duration_minutes = model_field(ServiceSession, "duration_minutes")
    provided_by = forms.ModelChoiceField(
        label=_("Provided by"), queryset=User.objects.none(), required=False,
    )
    provider_name = model_field(ServiceSession, "provider_name")
    notes = model_field(ServiceSession, "notes")

    def __init__(self, *args: Any, providers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "provided_by", providers)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("provided_by") and not cleaned.get("provider_name", "").strip():
            self.add_error("provider_name", _("Say who provided it: a colleague or a name."))
        return cleaned


class ScreeningForm(forms.Form):
    examined_on = model_field(MedicalScreening, "examined_on", initial=today)
    clinic = forms.ModelChoiceField(
        label=_("Clinic"), queryset=Entry.objects.none(), required=False,
        help_text=_("From the directory; otherwise write its name below."),
    )
    clinic_other = model_field(MedicalScreening, "clinic_other")
    examinations = model_field(MedicalScreening, "examinations")
    treatment = model_field(MedicalScreening, "treatment")
    notes = model_field(MedicalScreening, "notes")

    def __init__(self, *args: Any, clinics: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "clinic", clinics)


class DiagnosisForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Diagnosis group"), required=False,
        choices=[("", "---------"), *DiagnosisGroup.choices],
    )
    icd10 = model_field(Diagnosis, "icd10", required=False,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}))
    detail = model_field(Diagnosis, "detail", required=False,
                         widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("group") and (cleaned.get("icd10") or cleaned.get("detail")):
            self.add_error("group", _("Choose the diagnosis group."))
        return cleaned


DiagnosisFormSet = forms.formset_factory(DiagnosisForm, extra=3, max_num=20)
