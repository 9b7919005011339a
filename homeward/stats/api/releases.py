"""REST API of the differentially private releases and the privacy-budget
ledgers they spend.

Report readers (coordinators, researchers) list and read the releases that
count only organisations whose figures they count, and the budgets of
those datasets; coordinators make a release (``release_create``: it
refuses — 400 — when a dataset's budget has less than ε left, and 403 when
the caller does not coordinate every counted organisation). A release's
table is noisy: non-negative integers whose totals are the sums of the
noisy cells, never suppressed, labelled with its ε. Everyone else gets 403.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.api.common import request_user
from homeward.stats import reports, scope, selectors
from homeward.stats.api.reports import (
    StatsFilterQuerySerializer,
    StatsTableSerializer,
    report_filter,
    require_viewer,
    table_data,
)
from homeward.stats.choices import Family, Mechanism
from homeward.stats.models import Release
from homeward.stats.publication import release_table
from homeward.stats.selectors import BudgetState
from homeward.stats.services.releases import release_create, release_view


def _organisation_codes(release: Release) -> list[str]:
    return sorted(organisation.code for organisation in release.organisations.all())


class StatsReleaseSerializer(serializers.ModelSerializer[Release]):
    title = serializers.SerializerMethodField()
    epsilon = serializers.FloatField(read_only=True, help_text=gettext_lazy(
        "The privacy loss spent by this release on every dataset it counts."))
    organisations = serializers.SerializerMethodField()
    filter = serializers.JSONField(source="params", read_only=True, help_text=gettext_lazy(
        "The filter counted (organisation ids, dates, categories)."))

    class Meta:
        model = Release
        fields = ["id", "report", "title", "mechanism", "epsilon", "organisations", "filter",
                  "note", "created_at"]
        read_only_fields = fields

    def get_title(self, release: Release) -> str:
        try:
            return str(reports.get(release.report).title)
        except KeyError:
            return release.report

    def get_organisations(self, release: Release) -> list[str]:
        return _organisation_codes(release)


class StatsReleaseDetailSerializer(StatsReleaseSerializer):
    table = serializers.SerializerMethodField()

    class Meta(StatsReleaseSerializer.Meta):
        fields = [*StatsReleaseSerializer.Meta.fields, "table"]
        read_only_fields = fields

    @extend_schema_field(StatsTableSerializer(allow_null=True))
    def get_table(self, release: Release) -> dict[str, Any] | None:
        try:
            report = reports.get(release.report)
        except KeyError:
            return None
        # The table the view published (audited); else — the answer to a
        # new release, audited as its creation — the release's own.
        table = self.context.get("table") or release_table(release)
        return table_data(table, report)


class StatsReleaseInputSerializer(StatsFilterQuerySerializer):
    report = serializers.CharField(help_text=gettext_lazy(
        "The report released, by name, e.g. nationality-by-destination."))
    epsilon = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=Decimal("0.001"), help_text=gettext_lazy(
            "Privacy loss to spend (charged to every counted dataset's budget)."))
    mechanism = serializers.ChoiceField(choices=Mechanism.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_report(self, value: str) -> str:
        try:
            reports.get(value)
        except KeyError:
            raise serializers.ValidationError(_("No such report.")) from None
        return value


class StatsBudgetSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "null while nothing has been spent from the dataset's budget."))
    family = serializers.ChoiceField(choices=Family.choices, read_only=True)
    organisation = serializers.CharField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "The organisation whose records the dataset holds, by code; null for CTDC data."))
    epsilon_total = serializers.FloatField(read_only=True)
    epsilon_spent = serializers.FloatField(read_only=True)
    epsilon_remaining = serializers.FloatField(read_only=True)


def _budget_data(state: BudgetState) -> dict[str, Any]:
    return {
        "id": state.budget.pk if state.budget is not None else None,
        "family": state.family,
        "organisation": state.organisation.code if state.organisation else None,
        "epsilon_total": state.total,
        "epsilon_spent": state.spent,
        "epsilon_remaining": state.remaining,
    }


class ReleaseListView(ListAPIView[Release]):
    """The releases you may read: those counting only organisations whose
    figures you count, newest first."""

    serializer_class = StatsReleaseSerializer

    @extend_schema(operation_id="stats_releases_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_viewer(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Release]:
        return selectors.release_list_for_user(user=request_user(self.request))

    @extend_schema(
        request=StatsReleaseInputSerializer, responses={201: StatsReleaseDetailSerializer},
        operation_id="stats_releases_create",
    )
    def post(self, request: Request) -> Response:
        """Release one report's table with differentially private noise
        (coordinators; the organisations counted default to those you
        coordinate). Refused (400) when a counted dataset's privacy budget
        has less than ε left."""
        user = require_viewer(request)
        if not scope.may_publish(user):
            raise PermissionDenied
        serializer = StatsReleaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        filter_ = report_filter(user, data, default=scope.publish_organisations(user))
        try:
            release = release_create(
                actor=user, report=reports.get(data["report"]), filter=filter_,
                epsilon=data["epsilon"], mechanism=data["mechanism"],
                note=data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"detail": exc.messages}) from exc
        return Response(StatsReleaseDetailSerializer(release).data, status=status.HTTP_201_CREATED)


class ReleaseDetailView(APIView):
    @extend_schema(responses=StatsReleaseDetailSerializer, operation_id="stats_releases_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """One release with its noisy table (404 for a release counting an
        organisation whose figures you do not count); audited as a view."""
        user = require_viewer(request)
        release = selectors.release_get_for_user(user=user, pk=pk)
        table = release_view(actor=user, release=release, source="api")
        return Response(StatsReleaseDetailSerializer(release, context={"table": table}).data)


class BudgetListView(APIView):
    @extend_schema(responses=StatsBudgetSerializer(many=True), operation_id="stats_budgets_list")
    def get(self, request: Request) -> Response:
        """The privacy budget of every dataset whose figures you count: ε in
        total, spent by releases, and left."""
        user = require_viewer(request)
        budgets = selectors.budget_list_for_user(user=user)
        return Response(StatsBudgetSerializer([_budget_data(b) for b in budgets], many=True).data)
