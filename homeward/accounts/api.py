"""REST API for the signed-in user, organisations and members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Capability
from homeward.accounts.selectors import (
    active_memberships,
    membership_list_for_organisation,
    organisation_get_for_user,
    organisation_list_for_user,
    require_capability_in,
)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "code", "name_ru", "name_en", "org_type", "country", "region", "city",
            "is_coalition_member", "is_active",
        ]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "full_name", "organisation", "role", "is_active"]


class MeSerializer(serializers.Serializer[User]):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    language = serializers.CharField()
    is_site_admin = serializers.BooleanField()
    memberships = serializers.SerializerMethodField()

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        """Only the active memberships in active organisations."""
        return list(MembershipSerializer(active_memberships(user), many=True).data)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsVerifiedMember ran first
    return user


class MeView(APIView):
    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(_user(request)).data)


class OrganisationListView(ListAPIView[Organisation]):
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        return organisation_list_for_user(user=_user(self.request))


class OrganisationDetailView(RetrieveAPIView[Organisation]):
    serializer_class = OrganisationSerializer

    def get_object(self) -> Organisation:
        return organisation_get_for_user(user=_user(self.request), code=self.kwargs["code"])


class MemberListView(ListAPIView[Membership]):
    serializer_class = MembershipSerializer

    def get_queryset(self) -> Any:
        user = _user(self.request)
        organisation = organisation_get_for_user(user=user, code=self.kwargs["code"])
        try:
            require_capability_in(user, organisation, Capability.MEMBERS_MANAGE)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        return membership_list_for_organisation(user=user, organisation=organisation)
