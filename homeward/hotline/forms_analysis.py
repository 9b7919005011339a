"""The analysis filters (the pages, the export and the API read the same ones)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.accounts.models import Organisation
from homeward.hotline.analysis import Grain, Period, Scope, analysis_lines
from homeward.hotline.analysis.campaigns import WEEKS_AROUND
from homeward.hotline.models import Line

GRAIN_CHOICES = [
    ("day", pgettext_lazy("analysis grain", "Day")),
    ("week", pgettext_lazy("analysis grain", "Week")),
    ("month", pgettext_lazy("analysis grain", "Month")),
]
# Longer day-by-day series are unreadable as a chart and heavy as a table.
MAX_DAYS_PER_DAY_GRAIN = 366
MAX_YEARS = 10


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Line) -> str:
        return f"{obj.label} ({obj.organisation.code})"


class AnalysisFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    grain = forms.ChoiceField(label=_("Count per"), choices=GRAIN_CHOICES, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All my organisations"),
    )
    line = LineChoiceField(
        label=_("Line"), queryset=Line.objects.none(), required=False,
        empty_label=_("All lines"),
    )
    weeks = forms.IntegerField(label=_("Weeks before and after"), min_value=1, max_value=26,
                               required=False)
    cities_only = forms.BooleanField(label=_("Only callers from the campaign's cities"),
                                     required=False)

    def __init__(self, data: Any = None, *, organisations: QuerySet[Organisation]) -> None:
        if data is not None:
            # The form shows the default period and grain it applies.
            data = data.copy()
            if not data.get("date_from") and not data.get("date_to"):
                default = Period.last_months(12)
                data["date_from"], data["date_to"] = default.start, default.end
            data.setdefault("grain", "month")
            data.setdefault("weeks", WEEKS_AROUND)
        super().__init__(data)
        self.organisations = organisations
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)  # noqa: S101
        organisation_field.queryset = organisations
        line_field = self.fields["line"]
        assert isinstance(line_field, forms.ModelChoiceField)  # noqa: S101
        line_field.queryset = analysis_lines(organisations).select_related("organisation")
        if organisations.count() < 2:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = Period.last_months(12)
        start = data.get("date_from") or default.start
        end = data.get("date_to") or (default.end if data.get("date_from") is None
                                      else max(start, timezone.localdate()))
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days > MAX_YEARS * 366:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        grain = cast(Grain, data.get("grain") or "month")
        if grain == "day" and (end - start).days + 1 > MAX_DAYS_PER_DAY_GRAIN:
            self.add_error("grain", _("Count per week or month over more than a year."))
        data["period"] = Period(start=start, end=end, grain=grain)
        organisation = data.get("organisation")
        line = data.get("line")
        if line is not None and organisation is not None \
                and line.organisation_id != organisation.pk:
            self.add_error("line", _("This line is not one of the organisation's."))
        chosen = [organisation] if organisation is not None else list(self.organisations)
        data["scope"] = Scope(organisations=tuple(chosen), line=line)
        data["weeks"] = data.get("weeks") or WEEKS_AROUND
        return data
