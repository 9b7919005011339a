"""Call events: the calls a telephony system reports, so operators log
contacts for them.

How a telephony system connects: the API knows one authentication, the
session of a user signed in with password and second factor
(``SessionAuthentication``; there are no API tokens). The integration uses a
dedicated account holding the hotline operator role in the organisation
whose lines it serves: it signs in through the sign-in pages (password, then
a TOTP code computed from the account's authenticator secret), keeps the
session cookie and sends the ``csrftoken`` cookie's value as
``X-CSRFToken`` with every POST. Every call it records is audited under
that account.

It posts each call as it knows it, naming it by its own call id
(``external_id``): once when the phone rings (``started_at``), again when it
is answered (``answered_at``, ``operator_username``) and when it ends
(``ended_at``). A repeat post fills in what was not known and is answered
200; the first one 201. Operators then find the answered calls they have
not logged yet with ``?state=pending&operator=me``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.api.common import refusals, request_user
from homeward.hotline import selectors, services
from homeward.hotline.api.common import call_event_for, require_logger, require_logging_in
from homeward.hotline.api.serializers import (
    CallEventAttachSerializer,
    CallEventInputSerializer,
    CallEventListSerializer,
    CallEventQuerySerializer,
    CallEventSerializer,
)
from homeward.hotline.models import CallEvent


class CallEventListView(ListAPIView[CallEvent]):
    """The calls the telephony system reported, newest first, without the
    callers' numbers (read one call for its number).

    ``state=pending``: answered and not yet logged as a contact;
    ``state=missed``: never answered and not logged; ``operator=me`` (or a
    user id): the calls one operator answered. Hotline operators and
    coordinators only (403 for the other roles).
    """

    serializer_class = CallEventListSerializer

    @extend_schema(parameters=[CallEventQuerySerializer], operation_id="hotline_call_events_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_logger(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        user = request_user(self.request)
        query = CallEventQuerySerializer(
            data=self.request.query_params, context={"request": self.request}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        operator: Any = None
        if data.get("operator") == "me":
            operator = user
        elif data.get("operator"):
            operator = int(data["operator"])
        state = data.get("state") or "all"
        if state == "pending":
            events = selectors.call_events_pending_for_user(user=user, operator=operator)
        else:
            events = (
                selectors.call_events_missed_for_user(user=user) if state == "missed"
                else selectors.call_event_list_for_user(user=user)
            )
            if operator is not None:
                events = events.filter(operator=operator)
        if data.get("line") is not None:
            events = events.filter(line=data["line"])
        return events.select_related("organisation")

    @extend_schema(
        request=CallEventInputSerializer,
        responses={
            201: CallEventSerializer,
            200: OpenApiResponse(
                CallEventSerializer, description="The call was already recorded (same "
                "external_id): what was not known before is filled in.",
            ),
        },
        operation_id="hotline_call_events_create",
    )
    def post(self, request: Request) -> Response:
        """Record a call on a line of an organisation where the caller logs
        contacts (else 403). 201 for a new call; 200 for a repeat post of a
        recorded ``external_id``, which fills in the answer, the end and the
        operator when they were not known and refuses (400, per field) any
        other difference."""
        user = require_logger(request)
        serializer = CallEventInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        require_logging_in(user, data["line"].organisation)
        with refusals():
            event, created = services.call_event_record(actor=user, **data)
        return Response(
            CallEventSerializer(event).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CallEventDetailView(APIView):
    @extend_schema(responses=CallEventSerializer, operation_id="hotline_call_events_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The call with the caller's number (audited)."""
        user, event = call_event_for(request, pk)
        services.call_event_view_record(actor=user, call_event=event)
        return Response(CallEventSerializer(event).data)

    @extend_schema(
        request=CallEventAttachSerializer, responses=CallEventSerializer,
        operation_id="hotline_call_events_attach",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Link the contact logged for this call (which leaves the pending
        queue). A call has one contact and a contact one call."""
        user, event = call_event_for(request, pk)
        serializer = CallEventAttachSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with refusals():
            event = services.call_event_attach(
                actor=user, call_event=event, contact=serializer.validated_data["contact"]
            )
        return Response(CallEventSerializer(event).data)
