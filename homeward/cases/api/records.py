"""Records of a case: the trafficking story (events) and consents."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases import selectors, services
from homeward.cases.api.common import case_for, refusals
from homeward.cases.api.serializers_records import (
    ConsentInputSerializer,
    ConsentSerializer,
    TraffickingEventSerializer,
)
from homeward.cases.models import Case, Consent, TraffickingEvent
from homeward.core import access


def _event(request: Request, case: Case, pk: int) -> TraffickingEvent:
    return access.get_for_user(request.user, TraffickingEvent, pk=pk, case=case)


class EventListView(APIView):
    @extend_schema(
        responses=TraffickingEventSerializer(many=True), operation_id="cases_events_list"
    )
    def get(self, request: Request, code: str) -> Response:
        """The stages of the trafficking story, in date order (audited)."""
        user, case = case_for(request, code)
        services.case_view_record(actor=user, case=case, tab="api:events")
        events = access.for_user(user, TraffickingEvent).filter(case=case).order_by("date", "id")
        return Response(TraffickingEventSerializer(events, many=True).data)

    @extend_schema(
        request=TraffickingEventSerializer, responses={201: TraffickingEventSerializer},
        operation_id="cases_events_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Add a stage (members of the case's team)."""
        user, case = case_for(request, code, need="work")
        serializer = TraffickingEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            event = services.event_create(actor=user, case=case, **serializer.validated_data)
        return Response(TraffickingEventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    @extend_schema(responses=TraffickingEventSerializer, operation_id="cases_events_retrieve")
    def get(self, request: Request, code: str, pk: int) -> Response:
        user, case = case_for(request, code)
        event = _event(request, case, pk)
        services.case_view_record(actor=user, case=case, tab="api:events")
        return Response(TraffickingEventSerializer(event).data)

    @extend_schema(
        request=TraffickingEventSerializer, responses=TraffickingEventSerializer,
        operation_id="cases_events_partial_update",
    )
    def patch(self, request: Request, code: str, pk: int) -> Response:
        """Change the fields given (members of the case's team)."""
        user, case = case_for(request, code, need="work")
        event = _event(request, case, pk)
        serializer = TraffickingEventSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with refusals():
            event = services.event_update(actor=user, event=event, **serializer.validated_data)
        return Response(TraffickingEventSerializer(event).data)

    @extend_schema(responses={204: None}, operation_id="cases_events_destroy")
    def delete(self, request: Request, code: str, pk: int) -> Response:
        """Remove a stage recorded by mistake (members of the case's team; audited)."""
        user, case = case_for(request, code, need="work")
        event = _event(request, case, pk)
        with refusals():
            services.event_delete(actor=user, event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentListView(APIView):
    @extend_schema(responses=ConsentSerializer(many=True), operation_id="cases_consents_list")
    def get(self, request: Request, code: str) -> Response:
        """Every decision recorded, newest first; ``in_force`` marks the newest
        one per purpose (and organisation, for data sharing). Audited."""
        user, case = case_for(request, code)
        services.case_view_record(actor=user, case=case, tab="api:consents")
        consents = (
            access.for_user(user, Consent).filter(case=case).select_related("organisation")
            .order_by("-decided_on", "-id")
        )
        return Response(
            ConsentSerializer(consents, many=True, context=_consent_context(case)).data
        )

    @extend_schema(
        request=ConsentInputSerializer, responses={201: ConsentSerializer},
        operation_id="cases_consents_create",
        description=(
            "Record a decision (case workers and coordinators). A scan of a signed "
            "form cannot be uploaded through the API: attach it on the case's "
            "Consents page."
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        user, case = case_for(request, code, need="manage")
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            consent = services.consent_record(actor=user, case=case, **serializer.validated_data)
        return Response(
            ConsentSerializer(consent, context=_consent_context(case)).data,
            status=status.HTTP_201_CREATED,
        )


def _consent_context(case: Case) -> dict[str, set[int]]:
    return {
        "in_force": {
            consent.pk for _purpose, _label, consent in selectors.consent_panel(case=case)
            if consent is not None
        }
    }
