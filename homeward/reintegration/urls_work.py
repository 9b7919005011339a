"""A case's reintegration workspace (``/reintegration/cases/<code>/``):
assessments, the plan, the assistance ledger and monitoring."""

from __future__ import annotations

from django.urls import path

from homeward.reintegration import views_work, views_work_support

urlpatterns = [
    path("", views_work.case_reintegration, name="case-reintegration"),
    path("assessments/new/", views_work.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views_work.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views_work.assessment_edit, name="assessment-edit"),
    path("plan/", views_work.plan_edit, name="plan-edit"),
    path("plan/goals/new/", views_work.goal_new, name="goal-new"),
    path("plan/goals/<int:pk>/", views_work.goal_edit, name="goal-edit"),
    path("plan/review/", views_work.plan_review, name="plan-review"),
    path("assistance/new/", views_work_support.ledger_new, name="ledger-new"),
    path("assistance/<int:pk>/correct/", views_work_support.ledger_correct,
         name="ledger-correct"),
    path("monitoring/new/", views_work_support.monitoring_new, name="monitoring-new"),
    path("monitoring/<int:pk>/cancel/", views_work_support.monitoring_cancel,
         name="monitoring-cancel"),
    path("monitoring/reports/<int:pk>/", views_work_support.report_submit,
         name="report-submit"),
]
