"""Contacts: the list and logging one, reading and changing one, its
follow-up and escalation calls; the follow-up queue, the lines and the
repeat-caller check.

Authentication is the project's: a session signed in with password and
second factor (``SessionAuthentication``, so writes carry the CSRF token).
Contacts are for the hotline operators and coordinators of the owning
organisation (see :mod:`homeward.hotline.api.common`); lists never carry who
called, and every read of a contact in full is audited.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import Organisation
from homeward.cases.api.common import refusals, request_user
from homeward.core import access
from homeward.hotline import selectors, services
from homeward.hotline.api.common import contact_for, require_logger
from homeward.hotline.api.serializers import (
    ContactCreateSerializer,
    ContactDetailSerializer,
    ContactInputSerializer,
    ContactListQuerySerializer,
    ContactListSerializer,
    EscalationCallInputSerializer,
    EscalationCallSerializer,
    FollowUpDoneSerializer,
    FollowUpQuerySerializer,
    FollowUpSerializer,
    LineSerializer,
    PhoneCheckResultSerializer,
    PhoneCheckSerializer,
)
from homeward.hotline.models import Contact, EscalationCall, Line

# The newest earlier contacts shown by the repeat-caller check.
PHONE_CHECK_ROWS = 50


def _detail(request: Request, contact: Contact, code: int = status.HTTP_200_OK) -> Response:
    return Response(
        ContactDetailSerializer(contact, context={"request": request}).data, status=code
    )


def _organisation_of_new_contact(request: Request, data: dict[str, Any]) -> Organisation | None:
    """The line's organisation, or the one named (by code) for a contact
    without a line; 403 when the caller does not log contacts there. None
    when neither is given: the service then asks for the line."""
    user = request_user(request)
    line: Line | None = data.get("line")
    code = data.pop("organisation", "")
    if line is not None:
        organisation: Organisation | None = line.organisation
    elif code:
        organisation = selectors.logging_organisations(user).filter(code=code).first()
    else:
        return None
    if organisation is None or not selectors.can_log_contacts(user, organisation):
        raise PermissionDenied(_("You cannot log hotline contacts in this organisation."))
    return organisation


class ContactListView(ListAPIView[Contact]):
    """The contacts the caller may see, newest first, filtered as on the page.

    Rows carry the facts of a contact, never who called. Only hotline
    operators and coordinators (403 for the other roles).
    """

    serializer_class = ContactListSerializer

    @extend_schema(parameters=[ContactListQuerySerializer], operation_id="hotline_contacts_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_logger(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = ContactListQuerySerializer(
            data=self.request.query_params, context={"request": self.request}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.contact_search_for_user(
            user=request_user(self.request), line=data.get("line"),
            started_from=data.get("since"), started_to=data.get("until"),
            caller_type=data.get("caller_type", ""), topic=data.get("topic", ""),
            open_follow_up=data.get("follow_up_open", False),
        ).select_related("organisation", "follow_up_assignee")

    @extend_schema(
        request=ContactCreateSerializer, responses={201: ContactDetailSerializer},
        operation_id="hotline_contacts_create",
    )
    def post(self, request: Request) -> Response:
        """Log a contact handled by the caller, on a line of an organisation
        where they log contacts (else 403); with ``call_event``, the
        telephony system's call is linked in the same step. Refused with 400,
        per field and in the request's language, when a rule is broken:
        nothing is saved."""
        user = require_logger(request)
        serializer = ContactCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = _organisation_of_new_contact(request, data)
        referrals = data.pop("referrals", [])
        call_event = data.pop("call_event", None)
        with refusals():
            if call_event is not None:
                contact = services.contact_log_for_call(
                    actor=user, call_event=call_event, organisation=organisation,
                    referrals=referrals, **data,
                )
            else:
                contact = services.contact_log(
                    actor=user, organisation=organisation, referrals=referrals, **data
                )
        return _detail(request, contact, status.HTTP_201_CREATED)


class ContactDetailView(APIView):
    @extend_schema(responses=ContactDetailSerializer, operation_id="hotline_contacts_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The contact in full, with who called (audited, like its page)."""
        user, contact = contact_for(request, pk)
        services.contact_view_record(actor=user, contact=contact)
        return _detail(request, contact)

    @extend_schema(
        request=ContactInputSerializer, responses=ContactDetailSerializer,
        operation_id="hotline_contacts_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the fields given (hotline operators and coordinators of the
        contact's organisation)."""
        user, contact = contact_for(request, pk)
        serializer = ContactInputSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referrals = data.pop("referrals", None)
        with refusals():
            contact = services.contact_update(
                actor=user, contact=contact, referrals=referrals, **data
            )
        return _detail(request, contact)


class FollowUpDoneView(APIView):
    @extend_schema(
        request=FollowUpDoneSerializer, responses=ContactDetailSerializer,
        operation_id="hotline_contacts_follow_up_done",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record that the contact's follow-up was done (once; 400 when there
        is none or it is already done)."""
        user, contact = contact_for(request, pk)
        serializer = FollowUpDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            contact = services.follow_up_done(
                actor=user, contact=contact, **serializer.validated_data
            )
        return _detail(request, contact)


class EscalationCallListView(APIView):
    @extend_schema(
        responses=EscalationCallSerializer(many=True),
        operation_id="hotline_contacts_escalation_calls_list",
    )
    def get(self, request: Request, pk: int) -> Response:
        """Who was called for the contact, in time order (audited as a look at it)."""
        user, contact = contact_for(request, pk)
        services.contact_view_record(actor=user, contact=contact)
        calls = (
            access.for_user(user, EscalationCall).filter(contact=contact)
            .select_related("recorded_by").order_by("called_at", "id")
        )
        return Response(EscalationCallSerializer(calls, many=True).data)

    @extend_schema(
        request=EscalationCallInputSerializer, responses={201: EscalationCallSerializer},
        operation_id="hotline_contacts_escalation_calls_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record who was called to help with the contact, and when."""
        user, contact = contact_for(request, pk)
        serializer = EscalationCallInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        with refusals():
            call = services.escalation_call_record(
                actor=user, contact=contact, **serializer.validated_data
            )
        return Response(EscalationCallSerializer(call).data, status=status.HTTP_201_CREATED)


class FollowUpListView(ListAPIView[Contact]):
    """Open follow-ups the caller may see: overdue first, then by due date.

    ``assignee=me`` (or a user id) narrows to one queue, ``line`` to one line.
    Rows carry no caller identity. Hotline operators and coordinators only.
    """

    serializer_class = FollowUpSerializer

    @extend_schema(parameters=[FollowUpQuerySerializer], operation_id="hotline_follow_ups_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_logger(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        user = request_user(self.request)
        query = FollowUpQuerySerializer(
            data=self.request.query_params, context={"request": self.request}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        assignee: Any = None
        if data.get("assignee") == "me":
            assignee = user
        elif data.get("assignee"):
            # Anyone else's id shows an empty queue, telling nothing about them.
            assignee = int(data["assignee"])
        return selectors.follow_up_queue_for_user(
            user=user, assignee=assignee, line=data.get("line")
        ).select_related("organisation", "operator", "case")


class LineListView(ListAPIView[Line]):
    """The coalition's lines in service (every member sees them, as on the page)."""

    serializer_class = LineSerializer

    @extend_schema(operation_id="hotline_lines_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.line_list(user=request_user(self.request))


class PhoneCheckView(APIView):
    @extend_schema(
        request=PhoneCheckSerializer, responses=PhoneCheckResultSerializer,
        operation_id="hotline_contacts_phone_check",
    )
    def post(self, request: Request) -> Response:
        """Earlier contacts from this number that the caller may see, newest
        first (a repeat caller). A POST, so the number stays out of URLs and
        logs; the audit row keeps how many were found, never the number."""
        user = require_logger(request)
        serializer = PhoneCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        earlier = selectors.earlier_contacts_from_phone(
            user=user, phone=serializer.validated_data["phone"]
        ).select_related("organisation", "follow_up_assignee", "case")
        count = earlier.count()
        services.contact_phone_lookup_record(actor=user, organisation=None, found=count)
        return Response(PhoneCheckResultSerializer(
            {"count": count, "contacts": earlier[:PHONE_CHECK_ROWS]}, context={"request": request}
        ).data)
