"""The statistics API (included under ``api/v1/``): reports, differentially
private releases and their privacy budgets, CTDC reference datasets."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.stats.api import reference, releases, reports

urlpatterns: list[URLPattern] = [
    path("stats/reports/", reports.ReportListView.as_view(), name="stats-report-list"),
    path(
        "stats/reports/<slug:name>/", reports.ReportDetailView.as_view(),
        name="stats-report-detail",
    ),
    path("stats/releases/", releases.ReleaseListView.as_view(), name="stats-release-list"),
    path(
        "stats/releases/<int:pk>/", releases.ReleaseDetailView.as_view(),
        name="stats-release-detail",
    ),
    path("stats/budgets/", releases.BudgetListView.as_view(), name="stats-budget-list"),
    path(
        "stats/ctdc-datasets/", reference.CtdcDatasetListView.as_view(),
        name="stats-ctdc-dataset-list",
    ),
]
