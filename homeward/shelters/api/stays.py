"""Stays: one stay (the resident's record), its discharge, and a case's stays.

A stay is seen by the case's team and by the shelter side of the shelter's
organisation. The stay in full carries the person's name (audited as a look
at the case); a case's list of stays does not.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.api.common import refusals
from homeward.cases.services import case_view_record
from homeward.shelters import selectors
from homeward.shelters.api.common import case_for_care, stay_for
from homeward.shelters.api.serializers import (
    DischargeSerializer,
    StayDetailSerializer,
    StaySerializer,
)
from homeward.shelters.services.stays import stay_discharge


class StayDetailView(APIView):
    @extend_schema(responses=StayDetailSerializer, operation_id="shelters_stays_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The stay with the person and the children who came along (audited
        as a look at the case)."""
        user, stay = stay_for(request, pk)
        case_view_record(actor=user, case=stay.case, tab="api:shelter-stay")
        return Response(StayDetailSerializer(stay).data)


class StayDischargeView(APIView):
    @extend_schema(
        request=DischargeSerializer, responses=StayDetailSerializer,
        operation_id="shelters_stays_discharge",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record that the person left, when and why (the shelter's staff and
        coordinators, or the case's case workers and coordinators). The bed is
        free from then on."""
        user, stay = stay_for(request, pk)
        serializer = DischargeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("discharged_on", timezone.localdate())
        with refusals():
            stay = stay_discharge(actor=user, stay=stay, **data)
        stay = selectors.stay_get_for_user(user=user, pk=stay.pk)
        return Response(StayDetailSerializer(stay).data)


class CaseStayListView(APIView):
    @extend_schema(
        responses=StaySerializer(many=True), operation_id="cases_shelter_stays_list"
    )
    def get(self, request: Request, code: str) -> Response:
        """The person's stays the caller sees, newest admission first: where,
        from when to when, why they left, the children. No name. For the
        case's team and the shelter side of the person's shelters (audited)."""
        user, case = case_for_care(request, code)
        case_view_record(actor=user, case=case, tab="api:shelter-stays")
        stays = selectors.stays_of_case(user=user, case=case)
        return Response(StaySerializer(stays, many=True).data)
