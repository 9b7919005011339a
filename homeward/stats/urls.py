"""Pages of the statistics app."""

from __future__ import annotations

from django.urls import include, path

app_name = "stats"

urlpatterns = [
    path("releases/", include("homeward.stats.urls_releases")),
    path("exchange/", include("homeward.stats.urls_exchange")),
    path("reference/", include("homeward.stats.urls_reference")),
    path("", include("homeward.stats.urls_reports")),
]
