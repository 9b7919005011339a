"""Forms of the shelter side's work with a person: declining or admitting a
referral, the discharge and the medical screening (the package and the
service log: :mod:`homeward.shelters.forms_care`).

They only parse the input; the services check who may, the dates, the
capacity and the medical lock, and save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms_common import model_field, set_queryset, today
from homeward.directory.models import Entry
from homeward.shelters.choices import DiagnosisGroup, LeaveReason
from homeward.shelters.forms_common import ChildrenAgesField
from homeward.shelters.models import (
    Diagnosis,
    MedicalScreening,
    ShelterReferral,
    ShelterStay,
)
from homeward.shelters.services.stays import ChildIn


class DeclineForm(forms.Form):
    reason = model_field(ShelterReferral, "decline_reason", required=True)


class AdmitForm(forms.Form):
    """The admission: the date and the children who came with the person
    (a child under 3 sleeps in a cot, an older one in a bed)."""

    admitted_on = model_field(ShelterStay, "admitted_on", initial=today)
    children = ChildrenAgesField()

    def clean_children(self) -> list[ChildIn]:
        return [ChildIn(age_months=age) for age in self.cleaned_data["children"]]


class DischargeForm(forms.Form):
    discharged_on = model_field(ShelterStay, "discharged_on", required=True, initial=today)
    reason = model_field(ShelterStay, "leave_reason", required=True,
                         choices=[("", "---------"), *LeaveReason.choices])
    note = model_field(ShelterStay, "leave_note", required=False)


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
