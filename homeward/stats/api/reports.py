"""REST API of the statistical reports: the list of reports, and one report's
table for a period and filters.

For the roles holding ``STATS_VIEW`` (coordinators and researchers) over
the organisations ``scope.report_organisations`` gives them; everyone
else gets 403. A table is published through ``figures_view`` exactly as on
the report page (audited): every figure is a ``{"value", "display"}`` pair
whose value is ``null`` when it is suppressed (``display`` then reads
``"<k"``, e.g. ``"<11"``). Researchers get figures only, never a record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import Organisation, User
from homeward.cases.api.common import request_user
from homeward.cases.choices import Gender
from homeward.core import access
from homeward.stats import reports, scope
from homeward.stats.choices import AGE_BANDS, UNKNOWN, DateBasis, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.models import CtdcDataset
from homeward.stats.reports import Report
from homeward.stats.services.figures import figures_view
from homeward.stats.tables import Cell, Table

AGE_BAND_CHOICES = [(band, band) for band in AGE_BANDS] + [(UNKNOWN, UNKNOWN)]


def require_viewer(request: Request) -> User:
    """The caller, if they may read reports (coordinators, researchers); else 403."""
    user = request_user(request)
    if not scope.may_view(user):
        raise PermissionDenied
    return user


def report_named(name: str) -> Report:
    """The registered report called ``name``; 404 when there is none."""
    try:
        return reports.get(name)
    except KeyError:
        raise Http404 from None


# --- query --------------------------------------------------------------------


class StatsFilterQuerySerializer(serializers.Serializer[Any]):
    """What a report counts: the period, the organisations and the filters."""

    date_from = serializers.DateField(required=False, help_text=gettext_lazy(
        "First day of the period, included (default: no lower bound)."))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy(
        "Last day of the period, included (default: no upper bound)."))
    basis = serializers.ChoiceField(
        choices=DateBasis.choices, required=False, help_text=gettext_lazy(
            "Which date of a case places it in the period (default: registration)."))
    organisation = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=gettext_lazy(
            "Organisations counted, by code; repeat for several (default: every "
            "organisation whose figures you may count)."))
    region = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy(
        "Region of origin of the person, as recorded."))
    sex = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    age_band = serializers.ChoiceField(
        choices=AGE_BAND_CHOICES, required=False, allow_blank=True,
        help_text=gettext_lazy("Age band at the case's date."))
    minority = serializers.ChoiceField(
        choices=Minority.choices, required=False, allow_blank=True,
        help_text=gettext_lazy("Minors (under 18) or adults only."))
    dataset = serializers.IntegerField(required=False, help_text=gettext_lazy(
        "CTDC reports: the reference dataset counted, by id (default: the latest)."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period comes before its start.")]})
        return attrs


class StatsReportQuerySerializer(StatsFilterQuerySerializer):
    min_cell = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy(
        "k: figures from 1 to k-1 are suppressed (default 11). Below 11 only for "
        "coordinators of every counted organisation; 1 turns suppression off."))


def report_filter(
    user: User, data: dict[str, Any], *, default: QuerySet[Organisation]
) -> ReportFilter:
    """The validated query as a :class:`ReportFilter`. Organisations must be
    among those whose figures ``user`` counts (else 400); ``default`` when
    none are named."""
    allowed = scope.report_organisations(user)
    codes = [code for code in data.get("organisation") or [] if code]
    if codes:
        found = dict(allowed.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted(set(codes) - set(found))
        if unknown:
            raise serializers.ValidationError({"organisation": [
                _("Not an organisation whose figures you may count: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            ]})
        organisations = tuple(sorted(found.values()))
    else:
        organisations = tuple(default.filter(pk__in=allowed.values("pk"))
                              .order_by("pk").values_list("pk", flat=True))
    if not organisations:
        raise PermissionDenied
    dataset = data.get("dataset")
    if dataset is not None and not access.for_user(user, CtdcDataset).filter(
        pk=dataset
    ).exists():
        raise serializers.ValidationError({"dataset": [_("No such CTDC dataset.")]})
    return ReportFilter.from_data(data, organisations=organisations, dataset=dataset)


# --- answers ------------------------------------------------------------------


def cell_data(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "display": cell.display}


def table_data(table: Table, report: Report) -> dict[str, Any]:
    """A published table as the API answers it (keys and labels under the
    active language; suppressed figures as ``null`` values)."""
    return {
        "name": report.name,
        "title": str(report.title),
        "family": report.family,
        "unit": str(report.unit),
        "method": str(report.method),
        "chart": report.chart,
        "k": table.k,
        "noisy": table.noisy,
        "epsilon": table.epsilon,
        "release": table.release_id,
        "suppressed": table.suppressed,
        "rows_title": str(report.rows.title),
        "columns_title": str(report.columns.title),
        "rows": [
            {"key": key, "label": report.rows.label(key), "total": cell_data(table.row_totals[key]),
             "percent": table.row_percent(key)}
            for key in table.rows
        ],
        "columns": [
            {"key": key, "label": report.columns.label(key),
             "total": cell_data(table.column_totals[key]),
             "percent": table.column_percent(key)}
            for key in table.columns
        ],
        "cells": [
            [cell_data(table.cell(row, column)) for column in table.columns]
            for row in table.rows
        ],
        "total": cell_data(table.total),
    }


class StatsFigureSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "The figure; null when it is suppressed."))
    display = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The figure as printed: the number, or \"<k\" (e.g. \"<11\") when suppressed."))


class StatsLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "ISO 3166-1 alpha-2 code for countries, the picklist value otherwise; "
        "\"Unknown\" for not recorded."))
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    total = StatsFigureSerializer(read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "Share of the grand total, in per cent; null when a figure is hidden."))


class StatsTableSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    family = serializers.ChoiceField(choices=Family.choices, read_only=True)
    unit = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True)
    chart = serializers.CharField(read_only=True, help_text="bar or stacked")
    k = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "Suppression threshold used (1: nothing suppressed)."))
    noisy = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "Differentially private release: every figure is noisy."))
    epsilon = serializers.FloatField(read_only=True, allow_null=True)
    release = serializers.IntegerField(read_only=True, allow_null=True)
    suppressed = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "How many figures (cells and totals) are hidden."))
    rows_title = serializers.CharField(read_only=True)
    columns_title = serializers.CharField(read_only=True)
    rows = StatsLineSerializer(many=True, read_only=True)
    columns = StatsLineSerializer(many=True, read_only=True)
    cells = serializers.ListField(
        child=serializers.ListField(child=StatsFigureSerializer()), read_only=True,
        help_text=gettext_lazy("One list per row, one figure per column."))
    total = StatsFigureSerializer(read_only=True)


class StatsReportTableSerializer(StatsTableSerializer):
    filter = serializers.DictField(read_only=True, help_text=gettext_lazy(
        "The filter counted (organisation ids, dates, categories)."))
    organisations = serializers.ListField(child=serializers.CharField(), read_only=True)


class StatsReportSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    family = serializers.ChoiceField(choices=Family.choices, read_only=True)
    unit = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True)


# --- views --------------------------------------------------------------------


class ReportListView(APIView):
    @extend_schema(responses=StatsReportSerializer(many=True), operation_id="stats_reports_list")
    def get(self, request: Request) -> Response:
        """Every report: its name (for the detail URL), title, family and unit."""
        require_viewer(request)
        return Response(StatsReportSerializer([
            {"name": spec.name, "title": str(spec.title), "family": spec.family,
             "unit": str(spec.unit), "method": str(spec.method)}
            for spec in reports.all_reports()
        ], many=True).data)


class ReportDetailView(APIView):
    @extend_schema(
        parameters=[
            StatsReportQuerySerializer,
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="The report, e.g. nationality-by-destination."),
        ],
        responses=StatsReportTableSerializer, operation_id="stats_reports_retrieve",
    )
    def get(self, request: Request, name: str) -> Response:
        """One report's table for the period and filters, suppressed with k
        (audited as a view with every parameter)."""
        user = require_viewer(request)
        report = report_named(name)
        query = StatsReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filter_ = report_filter(user, data, default=scope.report_organisations(user))
        k = data.get("min_cell") or scope.default_min_cell()
        # Refuses (403) a k below the caller's floor.
        table = figures_view(actor=user, report=report, filter=filter_, k=k, source="api")
        codes = list(Organisation.objects.filter(pk__in=filter_.organisations)
                     .order_by("code").values_list("code", flat=True))
        return Response(StatsReportTableSerializer({
            **table_data(table, report), "filter": filter_.params(), "organisations": codes,
        }).data)
