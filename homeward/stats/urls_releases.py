"""Differentially private releases (``/stats/releases/``)."""

from __future__ import annotations

from django.urls import path

from homeward.stats import views_releases

urlpatterns = [
    path("", views_releases.release_list, name="release-list"),
    path("new/", views_releases.release_create, name="release-create"),
    path("<int:pk>/", views_releases.release_detail, name="release-detail"),
    path("<int:pk>/download/", views_releases.release_download, name="release-download"),
]
