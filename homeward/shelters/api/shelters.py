"""Shelters: the network's list and one shelter, the placement search for a
case, and the network's occupancy for coordinators.

Shelters are the network's shared knowledge: every active member of an
active organisation sees their facts and free places (others, the site
administrator included, see none). The address and partner contact only go
to the operating organisation and to those placing someone there.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.api.common import case_for, request_user
from homeward.shelters import dashboard, selectors
from homeward.shelters.api.serializers import (
    NetworkOccupancySerializer,
    PlacementQuerySerializer,
    PlacementSerializer,
    ShelterDetailSerializer,
    ShelterListQuerySerializer,
    ShelterSerializer,
)
from homeward.shelters.eligibility import needs_for_case
from homeward.shelters.models import Shelter


class ShelterListView(ListAPIView[Shelter]):
    """The network's shelters with their eligibility rules and free places,
    by region and city, filtered as on the page. No address, no contact."""

    serializer_class = ShelterSerializer

    @extend_schema(parameters=[ShelterListQuerySerializer], operation_id="shelters_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shelters = self.paginate_queryset(self.get_queryset()) or []
        serializer = ShelterSerializer(
            shelters, many=True,
            context={"request": request, "occupancy": selectors.occupancy_of(shelters)},
        )
        return self.get_paginated_response(serializer.data)

    def get_queryset(self) -> Any:
        query = ShelterListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.shelter_list_for_user(
            user=request_user(self.request), region=data.get("region", ""),
            kind=data.get("kind", ""), open_only=data.get("open_only", False),
        )


class ShelterDetailView(APIView):
    @extend_schema(responses=ShelterDetailSerializer, operation_id="shelters_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The shelter's facts and free places; ``address`` and ``contact``
        are null unless the caller's organisation runs it or the caller sees
        a case with an open referral to it or a current stay in it."""
        user = request_user(request)
        shelter = selectors.shelter_get_for_user(user=user, pk=pk)
        context = {
            "request": request,
            "details_visible": selectors.shelter_details_visible(user, shelter),
        }
        return Response(ShelterDetailSerializer(shelter, context=context).data)


class PlacementSearchView(APIView):
    @extend_schema(
        parameters=[PlacementQuerySerializer], responses=PlacementSerializer,
        operation_id="cases_placement_search",
    )
    def get(self, request: Request, code: str) -> Response:
        """Shelters that can take the case's person now, and every other one
        with the reasons it cannot ("No free bed", "Adults only (18+)", "No
        infants under 1 year", …). Age and gender come from the case; the
        children, access and region from the query. For the case's case
        workers and coordinators (others who see the case: 403)."""
        user, case = case_for(request, code, need="manage")
        query = PlacementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        needs = needs_for_case(
            case, children_months=data.get("children") or (),
            needs_accessibility=data.get("accessibility", False),
            prefer_region=data.get("prefer_region", ""),
            avoid_region=data.get("avoid_region", ""),
        )
        fits, excluded = selectors.placement_search(user=user, case=case, needs=needs)
        occupancy = {c.shelter.pk: c.occupancy for c in (*fits, *excluded)}
        return Response(PlacementSerializer(
            {"case": case.code, "fits": fits, "excluded": excluded},
            context={"request": request, "occupancy": occupancy},
        ).data)


class OccupancyView(APIView):
    @extend_schema(responses=NetworkOccupancySerializer, operation_id="shelters_occupancy")
    def get(self, request: Request) -> Response:
        """The whole network's beds and cots (total, used, free) per shelter
        and region, admissions and average length of stay per month, and how
        many people wait. Counts only, never a case. Coordinators only."""
        if not selectors.sees_overview(request_user(request)):
            raise PermissionDenied
        return Response(NetworkOccupancySerializer(dashboard.network_overview()).data)
