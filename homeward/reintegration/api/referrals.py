"""Referrals between organisations: the two queues, sending a referral (or a
transfer of responsibility), one referral with what of the case its reader
may see, its export, and the answers — accept, decline — the sender's
revoke, and completion.

The sending side (the case's managers) sends and revokes; the receiving
side (members of the receiving organisation who do reintegration work or
manage cases) accepts, declines and assigns. Queue rows carry the case code,
never a name. One referral carries ``shared``: the parts of the case the
reader may see — identifying fields only while the person's consent to share
data with the receiving organisation is on record. Every read of one
referral is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases import selectors as case_selectors
from homeward.cases.api.common import refusals, request_user
from homeward.reintegration import selectors, selectors_referrals
from homeward.reintegration.api.serializers import (
    AcceptSerializer,
    ReasonSerializer,
    ReintegrationReferralDetailSerializer,
    ReintegrationReferralInputSerializer,
    ReintegrationReferralQuerySerializer,
    ReintegrationReferralSerializer,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.services.referrals import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_export_record,
    referral_revoke,
    referral_send,
    referral_view_record,
)


def _referral(request: Request, pk: int) -> Referral:
    """The referral if the caller is on either side of it, else 404."""
    return selectors_referrals.referral_get_for_user(user=request_user(request), pk=pk)


def _detail(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    """The referral read back for the caller, with what of the case they may
    see (audited: it may carry identifying fields)."""
    user = request_user(request)
    referral = selectors_referrals.referral_get_for_user(user=user, pk=pk)
    shared = selectors_referrals.shared_view(referral=referral, user=user)
    referral_view_record(actor=user, referral=referral, what="api")
    data = ReintegrationReferralDetailSerializer(referral, context={"shared": shared}).data
    return Response(data, status=code)


def _works_on_referrals(request: Request) -> None:
    """403 for roles that neither answer referrals nor work on cases
    (researchers, organisation administrators, site administrators)."""
    user = request_user(request)
    if not (selectors.may_receive(user) or case_selectors.works_on_cases(user)):
        raise PermissionDenied


class ReferralListView(ListAPIView[Referral]):
    """The referrals the caller sees: received by their organisations
    (``box=in``), sent by them (``box=out``), or both; open ones first, by
    the date an answer is due. Rows carry the case code, never a name."""

    serializer_class = ReintegrationReferralSerializer

    @extend_schema(
        parameters=[ReintegrationReferralQuerySerializer],
        operation_id="reintegration_referrals_list",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _works_on_referrals(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Referral]:
        query = ReintegrationReferralQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        box = query.validated_data.get("box")
        wanted = query.validated_data.get("status") or None
        user = request_user(self.request)
        if box == "in":
            return selectors_referrals.incoming_queue(user=user, status=wanted)
        if box == "out":
            return selectors_referrals.outgoing_queue(user=user, status=wanted)
        return selectors_referrals.referral_list_for_user(user=user, status=wanted)

    @extend_schema(
        request=ReintegrationReferralInputSerializer,
        responses={201: ReintegrationReferralDetailSerializer},
        operation_id="reintegration_referrals_create",
    )
    def post(self, request: Request) -> Response:
        """Refer a case to an organisation chosen from the directory (the
        case's case workers and coordinators; 404 for a case the caller does
        not see). The minimum is always shared; names, date of birth,
        contacts and documents — and any transfer — need the person's
        consent to share data with the receiver (else 400)."""
        user = request_user(request)
        serializer = ReintegrationReferralInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_selectors.case_get_for_user(user=user, code=data.pop("case"))
        entry = (
            selectors_referrals.receivers_for(user=user)
            .filter(pk=data.pop("receiver_entry")).first()
        )
        if entry is None or entry.organisation is None:
            raise serializers.ValidationError({"receiver_entry": [_(
                "Choose an organisation of the network from the directory."
            )]})
        with refusals():
            referral = referral_send(
                actor=user, case=case, receiver=entry.organisation, receiver_entry=entry,
                **data,
            )
        return _detail(request, referral.pk, status.HTTP_201_CREATED)


class ReferralDetailView(APIView):
    @extend_schema(
        responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        """The referral, its history, and in ``shared`` what of the case you
        may see: the receiving side the minimum while it waits for an answer,
        the shared parts once accepted, nothing once declined or revoked;
        identifying fields only with the person's consent (audited)."""
        _referral(request, pk)
        return _detail(request, pk)


class ReferralExportView(APIView):
    @extend_schema(
        responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_export",
    )
    def get(self, request: Request, pk: int) -> Response:
        """The referral and what of the case you may see, as a file to keep —
        exactly what the detail holds, no more (audited as an export)."""
        user = request_user(request)
        referral = _referral(request, pk)
        shared = selectors_referrals.shared_view(referral=referral, user=user)
        referral_export_record(actor=user, referral=referral)
        data = ReintegrationReferralDetailSerializer(referral, context={"shared": shared}).data
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.json"'
        return response


class ReferralAcceptView(APIView):
    @extend_schema(
        request=AcceptSerializer, responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_accept",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation takes the referral (its members who do
        reintegration work or manage cases; a pending referral). A transfer
        moves the case to it."""
        user = request_user(request)
        referral = _referral(request, pk)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignee = None
        assignee_id = serializer.validated_data.get("assignee")
        if assignee_id is not None:
            assignee = selectors_referrals.receiver_users(referral).filter(pk=assignee_id).first()
            if assignee is None:
                raise serializers.ValidationError({"assignee": [_(
                    "Choose a member of the receiving organisation who works on referrals."
                )]})
        with refusals():
            referral_accept(actor=user, referral=referral, assignee=assignee)
        return _detail(request, pk)


class ReferralDeclineView(APIView):
    @extend_schema(
        request=ReasonSerializer, responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_decline",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation cannot take it, and says why (a pending
        referral)."""
        user = request_user(request)
        referral = _referral(request, pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            referral_decline(actor=user, referral=referral, **serializer.validated_data)
        return _detail(request, pk)


class ReferralRevokeView(APIView):
    @extend_schema(
        request=ReasonSerializer, responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_revoke",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The sending side takes the referral back, and says why (pending or
        accepted; an accepted transfer cannot be). The receiver's monitoring
        attached to it ends."""
        user = request_user(request)
        referral = _referral(request, pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            referral_revoke(actor=user, referral=referral, **serializer.validated_data)
        return _detail(request, pk)


class ReferralCompleteView(APIView):
    @extend_schema(
        request=None, responses=ReintegrationReferralDetailSerializer,
        operation_id="reintegration_referrals_complete",
    )
    def post(self, request: Request, pk: int) -> Response:
        """The work asked for is done (either side; an accepted referral)."""
        user = request_user(request)
        referral = _referral(request, pk)
        with refusals():
            referral_complete(actor=user, referral=referral)
        return _detail(request, pk)
