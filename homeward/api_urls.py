"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from homeward.accounts import api as accounts_api
from homeward.directory import api as directory_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/me/", accounts_api.MeView.as_view(), name="me"),
    path(
        "v1/organisations/", accounts_api.OrganisationListView.as_view(),
        name="organisation-list",
    ),
    path(
        "v1/organisations/<str:code>/", accounts_api.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "v1/organisations/<str:code>/members/", accounts_api.MemberListView.as_view(),
        name="member-list",
    ),
    path(
        "v1/directory/entries/", directory_api.EntryListView.as_view(),
        name="directory-entry-list",
    ),
    path(
        "v1/directory/entries/<int:pk>/", directory_api.EntryDetailView.as_view(),
        name="directory-entry-detail",
    ),
    path(
        "v1/directory/who-can-help/", directory_api.WhoCanHelpView.as_view(),
        name="directory-who-can-help",
    ),
]
