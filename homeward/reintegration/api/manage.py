"""The network's reintegration reference data and overviews: the
assistance catalogue and the questionnaire in use (every member reads them),
the totals of assistance and the overdue monitoring reports (coordinators:
403 for everyone else). The totals and the overdue list carry case codes
and sums only, never a name.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.api.common import request_user
from homeward.core import access
from homeward.reintegration import selectors, selectors_assistance, selectors_monitoring
from homeward.reintegration.api.serializers import (
    AssistanceKindSerializer,
    OverdueReportSerializer,
    QuestionnaireSerializer,
    TotalRowSerializer,
    TotalsQuerySerializer,
)
from homeward.reintegration.models import AssistanceKind, MonitoringReport, Questionnaire
from homeward.reintegration.selectors_work import current_questionnaire


def _coordinators_only(request: Request) -> None:
    if not selectors.may_manage(request_user(request)):
        raise PermissionDenied


class KindListView(ListAPIView[AssistanceKind]):
    """The assistance catalogue: kinds in use, their default amounts and
    their eligibility rules (data: e.g. 150 EUR for citizens of RU, 50 EUR
    for others, +350 EUR for mothers with small children)."""

    serializer_class = AssistanceKindSerializer

    @extend_schema(operation_id="reintegration_kinds_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return (
            access.for_user(request_user(self.request), AssistanceKind)
            .filter(is_active=True).prefetch_related("rules").order_by("category", "code")
        )


class TotalsView(APIView):
    @extend_schema(
        parameters=[TotalsQuerySerializer], responses=TotalRowSerializer(many=True),
        operation_id="reintegration_totals",
    )
    def get(self, request: Request) -> Response:
        """Granted and paid per programme, donor, month, year or kind, per
        currency, over the ledgers of the organisations you coordinate
        (coordinators only)."""
        _coordinators_only(request)
        query = TotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = selectors_assistance.totals(
            user=request_user(request), group_by=data["group_by"],
            date_from=data.get("date_from"), date_to=data.get("date_to"),
        )
        return Response(TotalRowSerializer(rows, many=True).data)


class QuestionnaireView(APIView):
    @extend_schema(
        responses=QuestionnaireSerializer, operation_id="reintegration_questionnaire_retrieve"
    )
    def get(self, request: Request) -> Response:
        """The assessment questionnaire in use, with its questions in Russian
        and English (404 while none is published)."""
        current = current_questionnaire()
        if current is None:
            raise Http404
        questionnaire = access.get_for_user(
            request_user(request), Questionnaire.objects.prefetch_related("questions"),
            pk=current.pk,
        )
        return Response(QuestionnaireSerializer(questionnaire).data)


class OverdueView(ListAPIView[MonitoringReport]):
    """Monitoring reports still due after their date, for coordinators:
    those their organisation monitors or whose case it owns; oldest first."""

    serializer_class = OverdueReportSerializer

    @extend_schema(operation_id="reintegration_overdue_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _coordinators_only(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors_monitoring.overdue_reports(user=request_user(self.request))
