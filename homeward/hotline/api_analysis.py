"""REST API of the hotline analysis: the same aggregate tables as the pages.

For coordinators and researchers (``HOTLINE_ANALYSE``), over the contacts of
their own organisations; everyone else gets 403. The query parameters are
the pages' filters. Every count is suppressed as on the pages: a count from
1 to k-1 (and a second one wherever a shown total would give the first
away) comes as the string ``"<k"``, e.g. ``"<11"``, never as a number; a
change, percentage or average computed from a hidden count is ``null``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import Organisation, User
from homeward.hotline import analysis
from homeward.hotline.analysis.suppression import Cell, min_cell_count
from homeward.hotline.forms_analysis import GRAIN_CHOICES, AnalysisFilterForm

COUNT_SCHEMA = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": "^<[0-9]+$", "example": "<11"},
    ],
    "description": "A count, or the string \"<k\" (e.g. \"<11\") when it is suppressed.",
}


@extend_schema_field(COUNT_SCHEMA)
class CountField(serializers.Field):
    """A suppressed count: the number, or ``"<k"``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Cell) -> int | str:
        return value.display if value.value is None else value.value


# --- query --------------------------------------------------------------------


class AnalysisQuerySerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(required=False, help_text=gettext_lazy(
        "First day (default: the first day of the month eleven months ago)."))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy(
        "Last day, included (default: today)."))
    grain = serializers.ChoiceField(choices=GRAIN_CHOICES, required=False,
                                    help_text=gettext_lazy("Count per day, week or month."))
    organisation = serializers.CharField(required=False, help_text=gettext_lazy(
        "One of your organisations, by code (default: all of them)."))
    line = serializers.IntegerField(required=False, help_text=gettext_lazy("One line, by id."))


class CampaignQuerySerializer(AnalysisQuerySerializer):
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=26,
                                     help_text=gettext_lazy("Weeks before and after (4)."))
    cities_only = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "Count only callers from the campaign's cities."))


def _organisations(request: Request) -> QuerySet[Organisation]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsVerifiedMember ran first
    organisations = analysis.analysis_organisations(user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _filters(request: Request, query_class: type[AnalysisQuerySerializer]) -> dict[str, Any]:
    """The validated filters (scope, period, weeks, cities_only), or 400."""
    organisations = _organisations(request)
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = {name: value for name, value in query.validated_data.items() if value is not None}
    code = data.pop("organisation", "")
    if code:
        organisation = organisations.filter(code=code).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("Not one of your organisations.")]})
        data["organisation"] = organisation.pk
    form = AnalysisFilterForm(data, organisations=organisations)
    if not form.is_valid():
        raise serializers.ValidationError({
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in form.errors.items()
        })
    return form.cleaned_data


# --- answers ------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    grain = serializers.CharField(read_only=True, help_text="day, week or month")


class RowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    count = CountField()


class TableSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    column = serializers.CharField(read_only=True)
    rows = RowSerializer(many=True, read_only=True)
    total = CountField()


class ScopeFieldsMixin(serializers.Serializer[Any]):
    period = PeriodSerializer(read_only=True)
    organisations = serializers.ListField(child=serializers.CharField(), read_only=True)
    line = serializers.IntegerField(read_only=True, allow_null=True)
    k = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "Counts from 1 to k-1 are given as \"<k\"."))


class OverviewSerializer(ScopeFieldsMixin):
    total = CountField()
    tables = TableSerializer(many=True, read_only=True)


class RankRowSerializer(RowSerializer):
    previous = CountField()
    change = serializers.IntegerField(read_only=True, allow_null=True)
    change_percent = serializers.IntegerField(read_only=True, allow_null=True)
    trend = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "up, down, same, new (none before), or empty when a hidden count hides it."))


class RankingSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    column = serializers.CharField(read_only=True)
    rows = RankRowSerializer(many=True, read_only=True)
    total = CountField()
    previous_total = CountField()
    more = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "Rows left out of the ranking."))


class RegionsSerializer(ScopeFieldsMixin):
    previous_period = PeriodSerializer(read_only=True)
    rankings = RankingSerializer(many=True, read_only=True)


class PhaseSerializer(serializers.Serializer[Any]):
    phase = serializers.CharField(read_only=True, help_text="before, during or after")
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    days = serializers.IntegerField(read_only=True)
    total = CountField()
    daily_average = serializers.FloatField(read_only=True, allow_null=True)


class WeekSerializer(serializers.Serializer[Any]):
    phase = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    count = CountField()


class CampaignResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="campaign.pk", read_only=True)
    name = serializers.CharField(source="campaign.name", read_only=True)
    organisation = serializers.CharField(source="campaign.organisation.code", read_only=True)
    starts_on = serializers.DateField(source="campaign.starts_on", read_only=True)
    ends_on = serializers.DateField(source="campaign.ends_on", read_only=True)
    cities = serializers.ListField(child=serializers.CharField(), read_only=True)
    cities_only = serializers.BooleanField(read_only=True)
    change_during_percent = serializers.IntegerField(read_only=True, allow_null=True)
    phases = PhaseSerializer(many=True, read_only=True)
    weeks = WeekSerializer(many=True, read_only=True)


class CampaignsSerializer(ScopeFieldsMixin):
    weeks_around = serializers.IntegerField(read_only=True)
    campaigns = CampaignResultSerializer(many=True, read_only=True)


def _scope_fields(data: dict[str, Any]) -> dict[str, Any]:
    scope: analysis.Scope = data["scope"]
    return {
        "period": data["period"], "k": min_cell_count(),
        "organisations": [org.code for org in scope.organisations],
        "line": scope.line.pk if scope.line is not None else None,
    }


class OverviewView(APIView):
    @extend_schema(parameters=[AnalysisQuerySerializer], responses=OverviewSerializer,
                   operation_id="hotline_analysis_overview")
    def get(self, request: Request) -> Response:
        """Contacts in the period, over time and per line, caller type, topic and channel."""
        data = _filters(request, AnalysisQuerySerializer)
        result = analysis.overview(data["scope"], data["period"])
        return Response(OverviewSerializer({
            **_scope_fields(data), "total": result.total, "tables": result.tables,
        }).data)


class RegionsView(APIView):
    @extend_schema(parameters=[AnalysisQuerySerializer], responses=RegionsSerializer,
                   operation_id="hotline_analysis_regions")
    def get(self, request: Request) -> Response:
        """Callers' regions and cities and the destination countries, ranked, each with
        the previous period of the same length."""
        data = _filters(request, AnalysisQuerySerializer)
        result = analysis.regions(data["scope"], data["period"])
        return Response(RegionsSerializer({
            **_scope_fields(data), "previous_period": result.previous_period,
            "rankings": result.rankings,
        }).data)


class CampaignsView(APIView):
    @extend_schema(parameters=[CampaignQuerySerializer], responses=CampaignsSerializer,
                   operation_id="hotline_analysis_campaigns")
    def get(self, request: Request) -> Response:
        """Contacts per week before, during and after each campaign in the period."""
        data = _filters(request, CampaignQuerySerializer)
        result = analysis.campaigns(data["scope"], data["period"], weeks_around=data["weeks"],
                                    cities_only=data["cities_only"])
        return Response(CampaignsSerializer({
            **_scope_fields(data), "weeks_around": data["weeks"], "campaigns": result,
        }).data)
