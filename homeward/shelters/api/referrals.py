"""Referrals: the queue, asking a shelter to take a person, one referral,
and the shelter's answers (accept, decline, admit) — and the case's
organisation taking its request back.

The case's organisation sends (case workers and coordinators); the shelter's
organisation answers and admits (shelter staff and coordinators). Rows of the
queue carry the case code, never a name; one referral in full carries the
person's name for the case's team and the shelter's side (audited).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases import selectors as case_selectors
from homeward.cases.api.common import refusals, request_user
from homeward.cases.services import case_view_record
from homeward.shelters import selectors
from homeward.shelters.api.common import referral_for
from homeward.shelters.api.serializers import (
    AdmitSerializer,
    DeclineSerializer,
    ReferralDetailSerializer,
    ReferralInputSerializer,
    ReferralQuerySerializer,
    ReferralSerializer,
    StayDetailSerializer,
    WithdrawSerializer,
)
from homeward.shelters.models import ShelterReferral
from homeward.shelters.services.referrals import (
    referral_accept,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from homeward.shelters.services.stays import ChildIn, stay_admit


def _detail(
    request: Request, referral: ShelterReferral, code: int = status.HTTP_200_OK
) -> Response:
    user = request_user(request)
    referral = selectors.referral_get_for_user(user=user, pk=referral.pk)
    return Response(ReferralDetailSerializer(referral).data, status=code)


def _on_either_side(request: Request) -> None:
    """403 for roles that neither work on cases nor run shelters (researchers,
    organisation administrators, site administrators)."""
    user = request_user(request)
    if not (
        case_selectors.works_on_cases(user)
        or selectors.organisation_ids(user, selectors.SHELTER_SIDE_ROLES).exists()
    ):
        raise PermissionDenied


class ReferralListView(ListAPIView[ShelterReferral]):
    """The referrals the caller sees, newest first: a shelter's inbox (the
    shelter side) and the requests sent for the caller's cases. Rows carry
    the case code, never a name. Roles that work on no case and run no
    shelter get 403."""

    serializer_class = ReferralSerializer

    @extend_schema(parameters=[ReferralQuerySerializer], operation_id="shelters_referrals_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _on_either_side(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = ReferralQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        queryset = selectors.referral_list_for_user(
            user=request_user(self.request), status=data.get("status", "")
        )
        if "shelter" in data:
            queryset = queryset.filter(shelter_id=data["shelter"])
        return queryset

    @extend_schema(
        request=ReferralInputSerializer, responses={201: ReferralDetailSerializer},
        operation_id="shelters_referrals_create",
    )
    def post(self, request: Request) -> Response:
        """Ask a shelter to take the case's person (the case's case workers and
        coordinators; 404 when the case or the shelter is not one the caller
        sees). Refused with 400 when the shelter cannot take the person now
        (every reason listed), when a request to it is already open, or — for
        a shelter of another organisation — without the person's consent to
        share data with it."""
        user = request_user(request)
        serializer = ReferralInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_selectors.case_get_for_user(user=user, code=data.pop("case"))
        shelter = selectors.shelter_get_for_user(user=user, pk=data.pop("shelter"))
        with refusals():
            referral = referral_send(actor=user, case=case, shelter=shelter, **data)
        return _detail(request, referral, status.HTTP_201_CREATED)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralDetailSerializer, operation_id="shelters_referrals_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The referral with the person it is about (audited as a look at the case)."""
        user, referral = referral_for(request, pk)
        case_view_record(actor=user, case=referral.case, tab="api:shelter-referral")
        return Response(ReferralDetailSerializer(referral).data)


class ReferralAcceptView(APIView):
    @extend_schema(
        request=None, responses=ReferralDetailSerializer,
        operation_id="shelters_referrals_accept",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The shelter agrees to take the person (its shelter staff and
        coordinators; a pending request only)."""
        user, referral = referral_for(request, pk)
        with refusals():
            referral = referral_accept(actor=user, referral=referral)
        return _detail(request, referral)


class ReferralDeclineView(APIView):
    @extend_schema(
        request=DeclineSerializer, responses=ReferralDetailSerializer,
        operation_id="shelters_referrals_decline",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The shelter cannot take the person, and says why (its shelter staff
        and coordinators; a pending or accepted request)."""
        user, referral = referral_for(request, pk)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            referral = referral_decline(actor=user, referral=referral, **serializer.validated_data)
        return _detail(request, referral)


class ReferralWithdrawView(APIView):
    @extend_schema(
        request=WithdrawSerializer, responses=ReferralDetailSerializer,
        operation_id="shelters_referrals_withdraw",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The case's organisation takes its request back (its case workers and
        coordinators; a pending or accepted request)."""
        user, referral = referral_for(request, pk)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            referral = referral_withdraw(
                actor=user, referral=referral, **serializer.validated_data
            )
        return _detail(request, referral)


class ReferralAdmitView(APIView):
    @extend_schema(
        request=AdmitSerializer, responses={201: StayDetailSerializer},
        operation_id="shelters_referrals_admit",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Admit the referred person, with the children who come along (the
        shelter's staff and coordinators). Refused with 400 when beds or cots
        are short — counted under a lock, so two admissions at once never
        exceed the capacity — or when the person already stays somewhere."""
        user, referral = referral_for(request, pk)
        serializer = AdmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        children = [
            ChildIn(**{key: value for key, value in child.items() if value is not None})
            for child in data.get("children", [])
        ]
        with refusals():
            stay = stay_admit(
                actor=user, shelter=referral.shelter, case=referral.case,
                admitted_on=data.get("admitted_on") or timezone.localdate(),
                children=children, referral=referral,
            )
        stay = selectors.stay_get_for_user(user=user, pk=stay.pk)
        return Response(StayDetailSerializer(stay).data, status=status.HTTP_201_CREATED)
