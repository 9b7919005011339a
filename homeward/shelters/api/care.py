"""A person's care in the shelter network: the standard package of services,
the service log and the medical screening.

The package and the log are seen by the case's team and by the shelter side
of the person's shelter, and recorded by the case's team and by those who
run the shelter (medical staff of a shelter: 403). Medical screenings are
for medical staff only — on the case's team or at the person's shelter —
never any other role, not even coordinators: 403 for those who see the
case, 404 for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import User
from homeward.cases.api.common import refusals, require
from homeward.cases.models import Case
from homeward.cases.services import case_view_record
from homeward.shelters import selectors_care
from homeward.shelters.api.common import case_for_care
from homeward.shelters.api.serializers import (
    MedicalScreeningInputSerializer,
    MedicalScreeningSerializer,
    ServiceOfferInputSerializer,
    ServiceOfferSerializer,
    ServiceSessionInputSerializer,
    ServiceSessionSerializer,
)
from homeward.shelters.models import ServiceOffer
from homeward.shelters.services.medical import (
    DiagnosisIn,
    screening_record,
    screening_view_record,
)
from homeward.shelters.services.package import service_offer_record, service_session_record


def _in_force(user: User, case: Case) -> set[int]:
    return {
        offer.pk for _service, _label, offer in selectors_care.package_panel(user=user, case=case)
        if offer is not None
    }


def _offer(user: User, case: Case, offer: ServiceOffer) -> dict[str, Any]:
    """The recorded decision as read back, with whether it is in force."""
    offer = selectors_care.offers_of_case(user=user, case=case).get(pk=offer.pk)
    return dict(ServiceOfferSerializer(offer, context={"in_force": _in_force(user, case)}).data)


class ServiceOfferListView(APIView):
    @extend_schema(
        responses=ServiceOfferSerializer(many=True), operation_id="cases_service_offers_list"
    )
    def get(self, request: Request, code: str) -> Response:
        """Every decision about the standard package, newest first; ``in_force``
        marks the newest one per service (audited as a look at the case)."""
        user, case = case_for_care(request, code)
        case_view_record(actor=user, case=case, tab="api:service-offers")
        offers = selectors_care.offers_of_case(user=user, case=case)
        return Response(ServiceOfferSerializer(
            offers, many=True, context={"in_force": _in_force(user, case)}
        ).data)

    @extend_schema(
        request=ServiceOfferInputSerializer, responses={201: ServiceOfferSerializer},
        operation_id="cases_service_offers_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Record a decision about a service: offered, accepted or refused, on a
        date (the case's team, or who runs the person's shelter). A decision is
        never changed: a new one is recorded, and the newest is in force."""
        user, case = case_for_care(request, code)
        require(selectors_care.may_record_care(user, case))
        serializer = ServiceOfferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("decided_on", timezone.localdate())
        with refusals():
            offer = service_offer_record(actor=user, case=case, **data)
        return Response(_offer(user, case, offer), status=status.HTTP_201_CREATED)


class ServiceSessionListView(APIView):
    @extend_schema(
        responses=ServiceSessionSerializer(many=True),
        operation_id="cases_service_sessions_list",
    )
    def get(self, request: Request, code: str) -> Response:
        """The service log, newest first (audited as a look at the case)."""
        user, case = case_for_care(request, code)
        case_view_record(actor=user, case=case, tab="api:service-sessions")
        sessions = selectors_care.sessions_of_case(user=user, case=case)
        return Response(ServiceSessionSerializer(sessions, many=True).data)

    @extend_schema(
        request=ServiceSessionInputSerializer, responses={201: ServiceSessionSerializer},
        operation_id="cases_service_sessions_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Log a psychological session, a consultation or a training, and who
        provided it: a colleague (``provided_by``) or, by name, someone who
        does not use Homeward (the case's team, or who runs the person's
        shelter)."""
        user, case = case_for_care(request, code)
        require(selectors_care.may_record_care(user, case))
        serializer = ServiceSessionInputSerializer(
            data=request.data, context={"request": request, "case": case}
        )
        serializer.is_valid(raise_exception=True)
        with refusals():
            session = service_session_record(actor=user, case=case, **serializer.validated_data)
        session = selectors_care.sessions_of_case(user=user, case=case).get(pk=session.pk)
        return Response(ServiceSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class MedicalScreeningListView(APIView):
    @extend_schema(
        responses=MedicalScreeningSerializer(many=True),
        operation_id="cases_medical_screenings_list",
    )
    def get(self, request: Request, code: str) -> Response:
        """The medical screenings with their diagnoses, newest first. Medical
        staff only (on the case's team or at the person's shelter); audited."""
        user, case = case_for_care(request, code)
        require(selectors_care.may_see_medical(user, case))
        with refusals():
            screening_view_record(actor=user, case=case)
        screenings = selectors_care.screenings_of_case(user=user, case=case)
        return Response(MedicalScreeningSerializer(screenings, many=True).data)

    @extend_schema(
        request=MedicalScreeningInputSerializer, responses={201: MedicalScreeningSerializer},
        operation_id="cases_medical_screenings_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Record a screening: examinations, diagnoses (group, optional ICD-10
        code), treatment, clinic. Medical staff only. Refused with 400 without
        consent to medical care — for a minor, a parent's, guardian's or the
        social support department's — and for a code that is not ICD-10."""
        user, case = case_for_care(request, code)
        require(selectors_care.may_see_medical(user, case))
        serializer = MedicalScreeningInputSerializer(
            data=request.data, context={"request": request, "case": case}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        diagnoses = [DiagnosisIn(**diagnosis) for diagnosis in data.pop("diagnoses", [])]
        with refusals():
            screening = screening_record(actor=user, case=case, diagnoses=diagnoses, **data)
        screening = selectors_care.screenings_of_case(user=user, case=case).get(pk=screening.pk)
        return Response(
            MedicalScreeningSerializer(screening).data, status=status.HTTP_201_CREATED
        )
