"""REST API for the directory: entries, and "who can help in <country> now?".

The same selectors as the pages, so the same access gate: anonymous callers
get the public part only, restricted lines only reach the roles named on them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.audit.services import Action, audit_record
from homeward.core.api import IsVerifiedMember, PublicOrVerifiedMember
from homeward.directory.models import ContactPoint, Entry, Service, roles_from_text
from homeward.directory.selectors import entry_get_for_user, entry_list_for_user, who_can_help


class ContactPointSerializer(serializers.ModelSerializer[ContactPoint]):
    restricted_roles = serializers.SerializerMethodField()

    class Meta:
        model = ContactPoint
        fields = [
            "id", "label_en", "label_ru", "phone", "email", "is_24_7", "hours", "languages",
            "visibility", "restricted_roles", "notes",
        ]

    def get_restricted_roles(self, contact: ContactPoint) -> list[str]:
        return roles_from_text(contact.restricted_roles)


class EntrySerializer(serializers.ModelSerializer[Entry]):
    country = serializers.CharField(source="country.code", read_only=True)
    owner = serializers.CharField(source="owner.code", read_only=True)
    services: serializers.SlugRelatedField[Service] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Entry
        fields = [
            "id", "owner", "kind", "name_ru", "name_en", "country", "region", "city", "address",
            "latitude", "longitude", "services", "languages", "is_24_7", "hours", "website",
            "emails", "visibility", "last_verified_on", "is_demo",
        ]


class EntryDetailSerializer(EntrySerializer):
    contact_points = ContactPointSerializer(many=True, read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "notes", "contact_points"]


FILTERS = ["q", "country", "region", "city", "service", "language", "kind"]


@extend_schema(
    parameters=[OpenApiParameter(name, str, required=False) for name in FILTERS],
)
class EntryListView(ListAPIView[Entry]):
    """Entries the caller may see (anonymous callers: the public ones)."""

    serializer_class = EntrySerializer
    permission_classes = [PublicOrVerifiedMember]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return entry_list_for_user(
            user=self.request.user,
            query=params.get("q", "")[:200],
            **{name: params.get(name, "")[:100] for name in FILTERS if name != "q"},
        ).select_related("owner")


class EntryDetailView(RetrieveAPIView[Entry]):
    serializer_class = EntryDetailSerializer
    permission_classes = [PublicOrVerifiedMember]

    def get_object(self) -> Entry:
        return entry_get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))


class HelperSerializer(serializers.Serializer[Any]):
    entry = EntrySerializer()
    contact = ContactPointSerializer()
    in_city = serializers.BooleanField()
    offers_service = serializers.BooleanField()


class WhoCanHelpQuery(serializers.Serializer[Any]):
    country = serializers.ChoiceField(choices=list(countries), help_text=_("ISO 3166 code"))
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    service = serializers.SlugField(required=False, allow_blank=True, max_length=40)


class WhoCanHelpView(APIView):
    """The contact points to call for someone in a country now, best first."""

    permission_classes = [IsVerifiedMember]

    @extend_schema(
        parameters=[WhoCanHelpQuery], responses=HelperSerializer(many=True),
        operation_id="directory_who_can_help",
    )
    def get(self, request: Request) -> Response:
        query = WhoCanHelpQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        helpers = who_can_help(
            user=request.user, country=data["country"], city=data.get("city", ""),
            service=data.get("service", ""),
        )
        audit_record(
            action=Action.VIEW, actor=request.user, target_type="directory.ContactPoint",
            detail={"query": "who_can_help", "country": data["country"], "results": len(helpers)},
        )
        return Response(HelperSerializer(helpers, many=True).data)
