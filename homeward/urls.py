from __future__ import annotations

from django.urls import include, path

from homeward.accounts.views.dashboard import home
from homeward.core.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("homeward.accounts.urls")),
    path("audit/", include("homeward.audit.urls")),
    path("directory/", include("homeward.directory.urls")),
    path("cases/", include("homeward.cases.urls")),
    path("hotline/", include("homeward.hotline.urls")),
    path("shelters/", include("homeward.shelters.urls")),
    path("reintegration/", include("homeward.reintegration.urls")),
    path("stats/", include("homeward.stats.urls")),
    path("notifications/", include("homeward.notifications.urls")),
    path("jobs/", include("homeward.jobs.urls")),
    path("api/", include("homeward.api_urls")),
]

handler400 = "homeward.core.views.bad_request"
handler403 = "homeward.core.views.permission_denied"
handler404 = "homeward.core.views.page_not_found"
handler500 = "homeward.core.views.server_error"
