"""The case pages (mounted at /cases/). Each part keeps its own URL module."""

from __future__ import annotations

from django.urls import include, path

app_name = "cases"
urlpatterns = [
    path("", include("homeward.cases.urls_cases")),
    path("", include("homeward.cases.urls_records")),
]
