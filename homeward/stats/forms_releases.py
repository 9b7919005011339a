"""The form of a new differentially private release."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.stats import reports, scope
from homeward.stats.choices import DateBasis, Family, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report


class _OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.code})"


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ReleaseForm(forms.Form):
    """Report, period, organisations (those the user may publish, each of
    which they count), ε and the noise. The budget check is the service's."""

    report = forms.ChoiceField(label=_("Report"))
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    basis = forms.ChoiceField(label=_("Date counted"), choices=DateBasis.choices,
                              initial=DateBasis.REGISTRATION, required=False)
    organisations = _OrganisationsField(
        label=_("Organisations"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each organisation's records are a dataset with its own privacy budget. "
                    "Not used for CTDC reference data."),
    )
    epsilon = forms.DecimalField(
        label=_("Privacy loss ε"), min_value=Decimal("0.001"), max_digits=7, decimal_places=3,
        initial=Decimal("1"),
        help_text=_("Smaller ε: more noise, more privacy. Spent from the budget of every "
                    "dataset counted."),
    )
    mechanism = forms.ChoiceField(label=_("Noise"), choices=Mechanism.choices,
                                  initial=Mechanism.GEOMETRIC)
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("What the release is for (shown with it)."))

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data)
        self.user = user
        self.publishable: QuerySet[Organisation] = scope.publish_organisations(user).filter(
            pk__in=scope.report_organisations(user).values("pk")
        )
        organisations = self.fields["organisations"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)  # noqa: S101
        organisations.queryset = self.publishable
        report = self.fields["report"]
        assert isinstance(report, forms.ChoiceField)  # noqa: S101
        # Only reports on closed categories have a noisy release (the
        # service refuses the others).
        report.choices = [
            (spec.name, str(spec.title)) for spec in reports.all_reports()
            if spec.rows.categories is not None and spec.columns.categories is not None
        ]
        self.fields["epsilon"].widget.attrs["max"] = str(
            Decimal(int(settings.HOMEWARD_DP_BUDGET_MILLI)) / 1000
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        name = data.get("report")
        if name:
            spec = self.report_spec()
            chosen = list(data.get("organisations") or self.publishable)
            if spec.family != Family.CTDC and not chosen:
                self.add_error("organisations", _("Choose at least one organisation."))
            data["organisation_ids"] = tuple(sorted(org.pk for org in chosen))
        return data

    def report_spec(self) -> Report:
        return reports.get(self.cleaned_data["report"])

    def report_filter(self) -> ReportFilter:
        data = self.cleaned_data
        spec = self.report_spec()
        return ReportFilter.from_data(
            data, organisations=() if spec.family == Family.CTDC else data["organisation_ids"],
        )
