"""The directory's pages. Each part keeps its own URL module."""

from __future__ import annotations

from django.urls import include, path

app_name = "directory"
urlpatterns = [
    path("", include("homeward.directory.urls_browse")),
    path("", include("homeward.directory.urls_edit")),
    path("", include("homeward.directory.urls_exchange")),
    path("library/", include("homeward.directory.urls_library")),
]
