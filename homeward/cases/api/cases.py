"""Cases: the list, opening one, reading and editing it, its path and export."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases import selectors, services
from homeward.cases.api.common import (
    CONFLICT,
    case_for,
    refusals,
    request_user,
    require_case_work_role,
)
from homeward.cases.api.serializers_cases import (
    AdvanceSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListQuerySerializer,
    CaseListSerializer,
    CaseUpdateSerializer,
    CloseSerializer,
)
from homeward.cases.api.serializers_persons import person_fields
from homeward.cases.models import Case


def _detail(request: Request, case: Case, code: int = status.HTTP_200_OK) -> Response:
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=code)


class CaseListView(ListAPIView[Case]):
    """The cases the caller may see, newest first, filtered as on the page.

    Rows carry the pseudonymous code and facts, never a name. Roles that do
    not work on cases get 403.
    """

    serializer_class = CaseListSerializer

    @extend_schema(parameters=[CaseListQuerySerializer], operation_id="cases_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_case_work_role(request_user(request))
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = CaseListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = selectors.CaseFilters(
            q=data.get("q", ""), status=data.get("status", ""), step=data.get("step", ""),
            organisation=data.get("organisation", ""), assignee=data.get("assignee"),
            nationality=data.get("nationality", ""), destination=data.get("destination", ""),
            minor=data.get("minor"), overdue=data.get("overdue", False),
            kind=data.get("kind", ""), urgent=data.get("urgent", False),
        )
        return selectors.case_list_for_user(user=request_user(self.request), filters=filters)

    @extend_schema(
        request=CaseCreateSerializer, responses={201: CaseDetailSerializer},
        operation_id="cases_create",
    )
    def post(self, request: Request) -> Response:
        """Open a case. Needs the case worker or coordinator role in ``organisation``."""
        user = request_user(request)
        openable = selectors.case_opening_organisations(user=user)
        if not openable.exists():
            raise PermissionDenied
        serializer = CaseCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = openable.filter(code=data.pop("organisation")).first()
        if organisation is None:
            raise PermissionDenied(_("You cannot open cases in this organisation."))
        person = None
        if "person_id" in data:
            try:
                person = selectors.person_get_for_user(user=user, pk=data.pop("person_id"))
            except Http404 as exc:
                raise serializers.ValidationError({"person_id": [_("No such person.")]}) from exc
        new_person = data.pop("person", None)
        missing_report = data.pop("missing_report", None)
        with refusals():
            case = services.case_open(
                actor=user, organisation=organisation, person=person,
                person_fields=person_fields(new_person) if new_person is not None else None,
                missing_report=dict(missing_report) if missing_report is not None else None,
                consents=[dict(consent) for consent in data.pop("consents", [])],
                **data,
            )
        return _detail(request, case, status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses=CaseDetailSerializer, operation_id="cases_retrieve")
    def get(self, request: Request, code: str) -> Response:
        """The case, with the person's summary, team and timeline (audited)."""
        user, case = case_for(request, code)
        services.case_view_record(actor=user, case=case, tab="api")
        return _detail(request, case)

    @extend_schema(
        request=CaseUpdateSerializer, responses={200: CaseDetailSerializer, 409: CONFLICT},
        operation_id="cases_partial_update",
    )
    def patch(self, request: Request, code: str) -> Response:
        """Edit the case's facts. Send the ``version`` you read: if someone saved
        the case since, nothing is changed and the answer is 409 with their
        changes. Case workers and coordinators only."""
        user, case = case_for(request, code, need="manage")
        serializer = CaseUpdateSerializer(
            data=request.data, context={"request": request, "case": case}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        with refusals():
            case = services.case_update(actor=user, case=case, expected_version=version, **data)
        return _detail(request, selectors.case_get_for_user(user=user, code=case.code))


class CaseAdvanceView(APIView):
    @extend_schema(
        request=AdvanceSerializer, responses={200: CaseDetailSerializer},
        operation_id="cases_advance",
    )
    def post(self, request: Request, code: str) -> Response:
        """Move the case to its next step (members of the case's team).

        Refused with 400 when the path does not allow it or a consent is missing.
        """
        user, case = case_for(request, code, need="work")
        serializer = AdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            services.case_advance(actor=user, case=case, **serializer.validated_data)
        return _detail(request, selectors.case_get_for_user(user=user, code=code))


class CaseCloseView(APIView):
    @extend_schema(
        request=CloseSerializer, responses={200: CaseDetailSerializer},
        operation_id="cases_close",
    )
    def post(self, request: Request, code: str) -> Response:
        """Close the case, giving a reason (case workers and coordinators)."""
        user, case = case_for(request, code, need="manage")
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            services.case_close(actor=user, case=case, **serializer.validated_data)
        return _detail(request, selectors.case_get_for_user(user=user, code=code))


class CaseExportView(APIView):
    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The case file.")},
        operation_id="cases_export",
    )
    def get(self, request: Request, code: str) -> Response:
        """The whole case file as JSON (case workers and coordinators; audited)."""
        user, case = case_for(request, code, need="manage")
        return Response(services.case_export(actor=user, case=case))
