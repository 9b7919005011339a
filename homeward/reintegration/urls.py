"""Pages of reintegration, referrals between organisations and monitoring."""

from __future__ import annotations

from django.urls import include, path

app_name = "reintegration"

urlpatterns = [
    path("referrals/", include("homeward.reintegration.urls_referrals")),
    path("cases/<str:code>/", include("homeward.reintegration.urls_work")),
    path("", include("homeward.reintegration.urls_manage")),
]
