"""Reintegration work on one case: assessments, the plan with its goals and
reviews, the assistance ledger with its totals, the eligible amount of a
kind of assistance, monitoring schedules and reports.

A case is reached by its own side (whoever sees it through the case gate)
and by an organisation that accepted a referral of it — which reads what it
wrote itself and the parts the sender shared. Everyone else gets 404; a
role that sees the case but does no reintegration work there gets 403 on
writes. Every read is audited. The ledger is append-only: there is no
PUT, PATCH or DELETE — a mistake is put right by a correction entry.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.models import User
from homeward.cases.api.common import CONFLICT, refusals, request_user, require
from homeward.core import access as gate
from homeward.reintegration import selectors_assistance, selectors_monitoring, selectors_work
from homeward.reintegration.api.common import access_for, record_read
from homeward.reintegration.api.serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    EligibilitySerializer,
    GoalInputSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    LedgerInputSerializer,
    LedgerSerializer,
    MonitoringReportSerializer,
    MonitoringScheduleSerializer,
    PlanInputSerializer,
    PlanReviewInputSerializer,
    PlanReviewSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    ReportInputSerializer,
    ScheduleInputSerializer,
)
from homeward.reintegration.eligibility import eligible_amount
from homeward.reintegration.models import AssistanceKind, Goal, MonitoringReport, Plan
from homeward.reintegration.selectors import CaseAccess, case_access
from homeward.reintegration.services.assessments import assessment_create
from homeward.reintegration.services.assistance import ledger_record
from homeward.reintegration.services.monitoring import report_submit, schedule_create
from homeward.reintegration.services.plans import (
    goal_add,
    goal_update,
    plan_create,
    plan_review,
    plan_update,
)

NO_PLAN = OpenApiResponse(description="The case has no plan you may read (yet).")


def _context(request: Request, access: CaseAccess) -> dict[str, Any]:
    return {"request": request, "case": access.case}


# --- assessments -----------------------------------------------------------------------


class AssessmentListView(APIView):
    @extend_schema(
        responses=AssessmentSerializer(many=True),
        operation_id="reintegration_assessments_list",
    )
    def get(self, request: Request, code: str) -> Response:
        """The case's pre-integration assessments you may read, newest first
        (a receiving organisation: its own, and all when the sender shared
        them). Audited."""
        user, access = access_for(request, code)
        record_read(user, access, "assessments")
        assessments = selectors_work.case_assessments(user=user, case=access.case)
        return Response(AssessmentSerializer(assessments, many=True).data)

    @extend_schema(
        request=AssessmentInputSerializer, responses={201: AssessmentSerializer},
        operation_id="reintegration_assessments_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Fill in the questionnaire in use for the case (reintegration work
        in the case's organisation or in one that accepted a referral).
        Answers are checked against the questions (errors keyed
        ``answer_<key>``)."""
        user, access = access_for(request, code)
        require(access.may_write)
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            assessment = assessment_create(actor=user, access=access, **serializer.validated_data)
        assessment = selectors_work.case_assessments(user=user, case=access.case).get(
            pk=assessment.pk
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


# --- the plan --------------------------------------------------------------------------


def _plan(user: User, access: CaseAccess) -> Plan:
    plan = selectors_work.case_plan(user=user, case=access.case)
    if plan is None:
        raise Http404
    return plan


class PlanView(APIView):
    @extend_schema(
        responses={200: PlanSerializer, 404: NO_PLAN}, operation_id="reintegration_plan_retrieve"
    )
    def get(self, request: Request, code: str) -> Response:
        """The case's reintegration plan with its goals and reviews (404 when
        there is none you may read). Audited."""
        user, access = access_for(request, code)
        plan = _plan(user, access)
        record_read(user, access, "plan")
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        request=PlanInputSerializer, responses={201: PlanSerializer},
        operation_id="reintegration_plan_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Write the case's plan, your organisation responsible (one plan per
        case; reintegration work in the case's organisation or a receiving
        one)."""
        user, access = access_for(request, code)
        require(access.may_write)
        serializer = PlanInputSerializer(data=request.data, context=_context(request, access))
        serializer.is_valid(raise_exception=True)
        with refusals():
            plan_create(actor=user, access=access, **serializer.validated_data)
        return Response(PlanSerializer(_plan(user, access)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanUpdateSerializer, responses={200: PlanSerializer, 409: CONFLICT},
        operation_id="reintegration_plan_update",
    )
    def patch(self, request: Request, code: str) -> Response:
        """Change the fields given. Send the ``version`` you read: 409 when
        someone saved the plan since."""
        user, access = access_for(request, code)
        plan = _plan(user, access)
        require(access.may_write)
        serializer = PlanUpdateSerializer(data=request.data, context=_context(request, access))
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        version = values.pop("version")
        with refusals():
            plan_update(actor=user, access=access, plan=plan, version=version, **values)
        return Response(PlanSerializer(_plan(user, access)).data)


class GoalListView(APIView):
    @extend_schema(
        request=GoalInputSerializer, responses={201: GoalSerializer},
        operation_id="reintegration_goals_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Add a goal to the plan (those who may edit the plan)."""
        user, access = access_for(request, code)
        plan = _plan(user, access)
        require(access.may_write)
        serializer = GoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            goal = goal_add(actor=user, access=access, plan=plan, **serializer.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(
        request=GoalUpdateSerializer, responses=GoalSerializer,
        operation_id="reintegration_goals_update",
    )
    def patch(self, request: Request, code: str, pk: int) -> Response:
        """Change a goal: its status (Achieved records the day), target date,
        description."""
        user, access = access_for(request, code)
        goal = get_object_or_404(gate.for_user(user, Goal), pk=pk, plan__case=access.case)
        require(access.may_write)
        serializer = GoalUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            goal = goal_update(actor=user, access=access, goal=goal, **serializer.validated_data)
        return Response(GoalSerializer(goal).data)


class PlanReviewView(APIView):
    @extend_schema(
        request=PlanReviewInputSerializer, responses={201: PlanReviewSerializer},
        operation_id="reintegration_plan_reviews_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Record a review of the plan; its next review moves on."""
        user, access = access_for(request, code)
        plan = _plan(user, access)
        require(access.may_write)
        serializer = PlanReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            review = plan_review(actor=user, access=access, plan=plan,
                                 **serializer.validated_data)
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)


# --- assistance --------------------------------------------------------------------------


def _ledger(user: User, access: CaseAccess) -> dict[str, Any]:
    entries = selectors_assistance.case_ledger(user=user, case=access.case)
    return {"entries": entries, "totals": selectors_assistance.ledger_totals(entries)}


class LedgerView(APIView):
    @extend_schema(responses=LedgerSerializer, operation_id="reintegration_ledger_retrieve")
    def get(self, request: Request, code: str) -> Response:
        """The case's grants, payments and corrections you may read, oldest
        first, with totals per currency (granted, paid, balance). Audited."""
        user, access = access_for(request, code)
        record_read(user, access, "ledger")
        return Response(LedgerSerializer(_ledger(user, access)).data)

    @extend_schema(
        request=LedgerInputSerializer, responses={201: LedgerSerializer},
        operation_id="reintegration_ledger_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Record a grant, a payment or a correction. Entries are never
        changed or deleted: a correction names the entry it puts right
        (``corrects``) and its amount may be negative. Approved by a
        coordinator of your organisation; grants and payments need the
        person's consent to assistance. Answers the whole ledger."""
        user, access = access_for(request, code)
        require(access.may_write)
        serializer = LedgerInputSerializer(data=request.data, context=_context(request, access))
        serializer.is_valid(raise_exception=True)
        with refusals():
            ledger_record(actor=user, access=access, **serializer.validated_data)
        return Response(
            LedgerSerializer(_ledger(user, access)).data, status=status.HTTP_201_CREATED
        )


class EligibilityView(APIView):
    @extend_schema(responses=EligibilitySerializer, operation_id="reintegration_eligibility")
    def get(self, request: Request, code: str, kind_pk: int) -> Response:
        """What the catalogue's rules give the person for a kind of
        assistance today, line by line (those who record assistance; a
        receiving organisation only when the sender shared the person's
        origin and children, which the rules read)."""
        user, access = access_for(request, code)
        kind = gate.get_for_user(user, AssistanceKind, pk=kind_pk)
        require(access.may_write and access.reads_eligibility)
        eligibility = eligible_amount(
            kind=kind, person=access.case.person, on=timezone.localdate()
        )
        return Response(EligibilitySerializer({
            "kind": kind.pk, "amount": eligibility.amount, "currency": eligibility.currency,
            "lines": [{"label": label, "amount": amount} for label, amount in eligibility.lines],
        }).data)


# --- monitoring ---------------------------------------------------------------------------


class MonitoringView(APIView):
    @extend_schema(
        responses=MonitoringScheduleSerializer(many=True),
        operation_id="reintegration_monitoring_list",
    )
    def get(self, request: Request, code: str) -> Response:
        """The case's monitoring schedules you may read, with their reports
        (a monitoring organisation: its own). Audited."""
        user, access = access_for(request, code)
        record_read(user, access, "monitoring")
        schedules = selectors_monitoring.case_monitoring(user=user, case=access.case)
        return Response(MonitoringScheduleSerializer(schedules, many=True).data)

    @extend_schema(
        request=ScheduleInputSerializer, responses={201: MonitoringScheduleSerializer},
        operation_id="reintegration_monitoring_create",
    )
    def post(self, request: Request, code: str) -> Response:
        """Set up monitoring: 3, 6 or 12 months (a report every three months)
        or custom dates, by the case's organisation or one that accepted a
        referral of it (default: yours)."""
        user, access = access_for(request, code)
        require(access.may_write)
        serializer = ScheduleInputSerializer(data=request.data, context=_context(request, access))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None) or access.organisation
        assert organisation is not None  # noqa: S101 - may_write: access names one
        with refusals():
            schedule = schedule_create(
                actor=user, access=access, organisation=organisation, **data
            )
        schedules = selectors_monitoring.case_monitoring(user=user, case=access.case)
        schedule = next(item for item in schedules if item.pk == schedule.pk)
        return Response(
            MonitoringScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED
        )


def _report(request: Request, pk: int) -> tuple[User, CaseAccess, MonitoringReport]:
    user = request_user(request)
    report = gate.get_for_user(
        user, MonitoringReport.objects.select_related("case", "organisation", "submitted_by"),
        pk=pk,
    )
    return user, case_access(user=user, code=report.case.code), report


class ReportDetailView(APIView):
    @extend_schema(
        responses=MonitoringReportSerializer, operation_id="reintegration_reports_retrieve"
    )
    def get(self, request: Request, pk: int) -> Response:
        """One monitoring report (the case's side and the monitoring
        organisation). Audited."""
        user, access, report = _report(request, pk)
        record_read(user, access, "report")
        return Response(MonitoringReportSerializer(report).data)

    @extend_schema(
        request=ReportInputSerializer, responses=MonitoringReportSerializer,
        operation_id="reintegration_reports_submit",
    )
    def post(self, request: Request, pk: int) -> Response:
        """File the report (workers of the monitoring organisation; a due
        report only). Signs of re-trafficking, or an outcome At risk or
        Re-trafficked, warn the case's managers."""
        user, access, report = _report(request, pk)
        require(access.may_write)
        serializer = ReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with refusals():
            report_submit(actor=user, access=access, report=report, **serializer.validated_data)
        _user, _access, report = _report(request, pk)
        return Response(MonitoringReportSerializer(report).data)
