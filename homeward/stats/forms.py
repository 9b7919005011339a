"""The filters of a report page, its downloads and the statistical abstract.

One form reads the query string (or the abstract's POST) into a
:class:`~homeward.stats.filters.ReportFilter` and the suppression threshold
k. The organisations offered are those the user counts
(``scope.report_organisations``) — never more; k below the configured 11 is
offered only to users who may publish unsuppressed figures of some of them,
and checked against the organisations actually chosen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.choices import Gender
from homeward.core import access
from homeward.stats import scope
from homeward.stats.choices import AGE_BANDS, UNKNOWN, DateBasis, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.models import CtdcDataset
from homeward.stats.reports import Report

# The filters each family's records can answer (the reports' method notes
# say how); the others are not offered on its page — a filter the counting
# ignores would label figures of everyone as figures of a few.
CASE_FILTERS = ("basis", "region", "sex", "age_band", "minority")
FAMILY_FILTERS: dict[str, tuple[str, ...]] = {
    Family.CASES: CASE_FILTERS,
    # Contacts have no sex or age.
    Family.HOTLINE: ("region",),
    Family.SHELTERS: ("region", "sex", "age_band", "minority"),
    # CTDC's records have gender and majority, no region of origin or age band.
    Family.CTDC: ("sex", "minority"),
}
OPTIONAL_FILTERS = ("basis", "region", "sex", "age_band", "minority", "dataset")


def _k_field() -> forms.IntegerField:
    # Declared per form (``min_cell`` is also the method that reads it).
    return forms.IntegerField(
        label=_("Hide counts below (k)"), min_value=1, required=False,
        help_text=_("1 shows every count. Only for figures of organisations you coordinate."),
        widget=forms.NumberInput(attrs={"placeholder": str(scope.default_min_cell())}),
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.code})"


class FilterForm(forms.Form):
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    basis = forms.ChoiceField(label=_("Date counted"), choices=DateBasis.choices,
                              required=False)
    organisations = OrganisationsField(
        label=_("Organisations"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all of them."),
    )
    region = forms.CharField(label=_("Region of origin"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Everyone")), *Gender.choices],
                            required=False)
    age_band = forms.ChoiceField(
        label=_("Age band"),
        choices=[("", _("All ages")), *((band, band) for band in AGE_BANDS),
                 (UNKNOWN, _("Age not recorded"))],
        required=False,
    )
    minority = forms.ChoiceField(label=_("Minors or adults"),
                                 choices=[("", _("Both")), *Minority.choices], required=False)
    dataset = forms.ModelChoiceField(label=_("CTDC dataset"), queryset=CtdcDataset.objects.none(),
                                     required=False, empty_label=_("The latest"))

    def __init__(self, data: Any = None, *, user: Any, report: Report | None = None) -> None:
        super().__init__(data)
        self.user = user
        self.report = report
        self.countable: QuerySet[Organisation] = scope.report_organisations(user)
        organisations = self.fields["organisations"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)  # noqa: S101
        organisations.queryset = self.countable
        dataset = self.fields["dataset"]
        assert isinstance(dataset, forms.ModelChoiceField)  # noqa: S101
        dataset.queryset = access.for_user(user, CtdcDataset)
        family = report.family if report is not None else None
        kept = FAMILY_FILTERS.get(family, CASE_FILTERS) if family else CASE_FILTERS
        if family == Family.CTDC:
            kept = (*kept, "dataset")
        for name in OPTIONAL_FILTERS:
            if name not in kept:
                del self.fields[name]
        if family == Family.HOTLINE:
            self.fields["region"].label = _("Region")
        # CTDC's figures are nobody's organisation's; one organisation needs no choice.
        if family == Family.CTDC or self.countable.count() < 2:
            del self.fields["organisations"]
        if self.may_lower_k:
            self.fields["min_cell"] = _k_field()

    @property
    def may_lower_k(self) -> bool:
        """Whether the user may publish some organisation's figures unsuppressed."""
        return scope.publish_organisations(self.user).filter(
            pk__in=self.countable.values("pk")
        ).exists()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        chosen = data.get("organisations") or list(self.countable)
        data["organisation_ids"] = tuple(sorted(org.pk for org in chosen))
        if not data["organisation_ids"] and self.report is not None \
                and self.report.family != Family.CTDC:
            raise forms.ValidationError(_("You count no organisation's figures."))
        k = data.get("min_cell") or scope.default_min_cell()
        floor = scope.min_cell_floor(self.user, data["organisation_ids"])
        if k < floor:
            self.add_error("min_cell", _(
                "At least %(floor)s for these organisations: you do not coordinate all of them."
            ) % {"floor": floor})
        data["k"] = k
        return data

    def report_filter(self) -> ReportFilter:
        """The filter of the valid form."""
        data = self.cleaned_data
        dataset = data.get("dataset")
        return ReportFilter.from_data(data, organisations=data["organisation_ids"],
                                      dataset=dataset.pk if dataset is not None else None)

    def min_cell(self) -> int:
        """k of the valid form (the configured 11 unless lowered)."""
        return int(self.cleaned_data["k"])

    def query(self) -> str:
        """The filters as a query string (download links, the abstract)."""
        return self.data.urlencode() if hasattr(self.data, "urlencode") else ""


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class AbstractForm(FilterForm):
    """The abstract's period, filters, k and language (every report)."""

    language = forms.ChoiceField(label=_("Language"), choices=_languages)

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, user=user, report=None)
        language = (get_language() or "en")[:2]
        codes = [code for code, _name in _languages()]
        self.fields["language"].initial = language if language in codes else codes[0]
