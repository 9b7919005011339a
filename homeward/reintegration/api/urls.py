"""API routes of reintegration, referrals and monitoring (under /api/v1/),
and of the caller's notifications."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.notifications import api as notifications_api
from homeward.reintegration.api import manage, referrals, work

_REFERRAL = "reintegration/referrals/<int:pk>/"
_CASE = "reintegration/cases/<str:code>/"

urlpatterns: list[URLPattern] = [
    # --- referrals between organisations ---
    path(
        "reintegration/referrals/", referrals.ReferralListView.as_view(),
        name="reintegration-referral-list",
    ),
    path(_REFERRAL, referrals.ReferralDetailView.as_view(), name="reintegration-referral-detail"),
    path(
        f"{_REFERRAL}export/", referrals.ReferralExportView.as_view(),
        name="reintegration-referral-export",
    ),
    path(
        f"{_REFERRAL}accept/", referrals.ReferralAcceptView.as_view(),
        name="reintegration-referral-accept",
    ),
    path(
        f"{_REFERRAL}decline/", referrals.ReferralDeclineView.as_view(),
        name="reintegration-referral-decline",
    ),
    path(
        f"{_REFERRAL}revoke/", referrals.ReferralRevokeView.as_view(),
        name="reintegration-referral-revoke",
    ),
    path(
        f"{_REFERRAL}complete/", referrals.ReferralCompleteView.as_view(),
        name="reintegration-referral-complete",
    ),
    # --- work on one case ---
    path(
        f"{_CASE}assessments/", work.AssessmentListView.as_view(),
        name="reintegration-assessment-list",
    ),
    path(f"{_CASE}plan/", work.PlanView.as_view(), name="reintegration-plan"),
    path(f"{_CASE}plan/goals/", work.GoalListView.as_view(), name="reintegration-goal-list"),
    path(
        f"{_CASE}plan/goals/<int:pk>/", work.GoalDetailView.as_view(),
        name="reintegration-goal-detail",
    ),
    path(
        f"{_CASE}plan/reviews/", work.PlanReviewView.as_view(),
        name="reintegration-plan-review",
    ),
    path(f"{_CASE}ledger/", work.LedgerView.as_view(), name="reintegration-ledger"),
    path(
        f"{_CASE}eligibility/<int:kind_pk>/", work.EligibilityView.as_view(),
        name="reintegration-eligibility",
    ),
    path(f"{_CASE}monitoring/", work.MonitoringView.as_view(), name="reintegration-monitoring"),
    path(
        "reintegration/monitoring/reports/<int:pk>/", work.ReportDetailView.as_view(),
        name="reintegration-report-detail",
    ),
    # --- the network's reference data and overviews ---
    path(
        "reintegration/monitoring/overdue/", manage.OverdueView.as_view(),
        name="reintegration-overdue",
    ),
    path(
        "reintegration/assistance/kinds/", manage.KindListView.as_view(),
        name="reintegration-kind-list",
    ),
    path(
        "reintegration/assistance/totals/", manage.TotalsView.as_view(),
        name="reintegration-totals",
    ),
    path(
        "reintegration/questionnaire/", manage.QuestionnaireView.as_view(),
        name="reintegration-questionnaire",
    ),
    # --- the caller's notifications ---
    path(
        "notifications/", notifications_api.NotificationListView.as_view(),
        name="notification-list",
    ),
]
