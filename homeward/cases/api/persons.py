"""Persons: reading and editing one, and the duplicate check."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import User
from homeward.accounts.roles import Capability
from homeward.accounts.selectors import capabilities_in
from homeward.cases import matching, selectors, services
from homeward.cases.api.common import CONFLICT, refusals, request_user
from homeward.cases.api.serializers_persons import (
    MatchQuerySerializer,
    MatchReportSerializer,
    PersonDetailSerializer,
    PersonUpdateSerializer,
    person_fields,
)
from homeward.cases.models import Person


def may_edit_person(user: User, person: Person) -> bool:
    """Case workers and coordinators of the organisation that recorded the
    person, or of an organisation running one of their cases."""
    if Capability.CASES_MANAGE in capabilities_in(user, person.organisation):
        return True
    return any(
        selectors.can_manage_case(user, case)
        for case in selectors.cases_of_person_for_user(user=user, person=person)
    )


def _detail(request: Request, person: Person) -> Response:
    return Response(PersonDetailSerializer(person, context={"request": request}).data)


class PersonDetailView(APIView):
    @extend_schema(responses=PersonDetailSerializer, operation_id="persons_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """A person seen through one of their cases (audited)."""
        user = request_user(request)
        person = selectors.person_get_for_user(user=user, pk=pk)
        services.person_view_record(actor=user, person=person, where="api")
        return _detail(request, person)

    @extend_schema(
        request=PersonUpdateSerializer, responses={200: PersonDetailSerializer, 409: CONFLICT},
        operation_id="persons_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Edit the fields given. Send the ``version`` you read: if someone saved
        the person since, nothing is changed and the answer is 409."""
        user = request_user(request)
        person = selectors.person_get_for_user(user=user, pk=pk)
        if not may_edit_person(user, person):
            raise PermissionDenied
        serializer = PersonUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = person_fields(serializer.validated_data)
        version = data.pop("version")
        with refusals():
            person = services.person_update(
                actor=user, person=person, expected_version=version, **data
            )
        return _detail(request, selectors.person_get_for_user(user=user, pk=pk))


class PersonMatchesView(APIView):
    @extend_schema(
        request=MatchQuerySerializer, responses={200: MatchReportSerializer},
        operation_id="persons_matches",
    )
    def post(self, request: Request) -> Response:
        """Possible duplicates across the coalition (case workers and coordinators).

        Persons you may see come with their case codes; for the others only
        the names of the organisations holding them are given — ask them.
        Every check is audited.
        """
        user = request_user(request)
        openable = selectors.case_opening_organisations(user=user)
        if not openable.exists():
            raise PermissionDenied
        serializer = MatchQuerySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = (
            openable.filter(code=data["organisation"]).first() if "organisation" in data
            else openable.first()
        )
        if organisation is None:
            raise PermissionDenied(_("You cannot open cases in this organisation."))
        exclude = None
        if "exclude_person" in data:
            try:
                exclude = selectors.person_get_for_user(user=user, pk=data["exclude_person"])
            except Http404 as exc:
                raise serializers.ValidationError(
                    {"exclude_person": [_("No such person.")]}
                ) from exc
        identifiers = matching.Identifiers(
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            first_name_latin=data.get("first_name_latin", ""),
            last_name_latin=data.get("last_name_latin", ""),
            middle_name=data.get("middle_name", ""), other_names=data.get("other_names", ""),
            birth_year=data.get("birth_year"), phones=tuple(data.get("phones", ())),
            documents=tuple(data.get("documents", ())), email=data.get("email", ""),
        )
        with refusals():
            report = services.person_match_check(
                actor=user, organisation=organisation, identifiers=identifiers,
                exclude_person=exclude,
            )
        visible = [
            {
                "person_id": match.person.pk,
                "case_codes": list(
                    selectors.cases_of_person_for_user(user=user, person=match.person)
                    .values_list("code", flat=True)
                ),
                "strength": match.strength,
            }
            for match in report.visible
        ]
        elsewhere = [organisation.name for organisation in report.elsewhere]
        return Response(MatchReportSerializer({"visible": visible, "elsewhere": elsewhere}).data)
