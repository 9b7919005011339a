"""The statistics index, the report pages and the statistical abstract."""

from __future__ import annotations

from django.urls import path

from homeward.stats import views_reports

urlpatterns = [
    path("", views_reports.index, name="index"),
    path("reports/<slug:name>/", views_reports.report_detail, name="report"),
    path("reports/<slug:name>/download/", views_reports.report_download, name="report-download"),
    path("abstract/", views_reports.abstract, name="abstract"),
    path("abstract/<int:pk>/download/", views_reports.abstract_download,
         name="abstract-download"),
]
