"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from homeward.accounts import api as accounts_api
from homeward.cases.api import cases as cases_api
from homeward.cases.api import persons as persons_api
from homeward.cases.api import records as case_records_api
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
    path("v1/cases/", cases_api.CaseListView.as_view(), name="cases-list"),
    path("v1/cases/<str:code>/", cases_api.CaseDetailView.as_view(), name="cases-detail"),
    path(
        "v1/cases/<str:code>/advance/", cases_api.CaseAdvanceView.as_view(),
        name="cases-advance",
    ),
    path("v1/cases/<str:code>/close/", cases_api.CaseCloseView.as_view(), name="cases-close"),
    path(
        "v1/cases/<str:code>/export/", cases_api.CaseExportView.as_view(),
        name="cases-export",
    ),
    path(
        "v1/cases/<str:code>/events/", case_records_api.EventListView.as_view(),
        name="cases-event-list",
    ),
    path(
        "v1/cases/<str:code>/events/<int:pk>/", case_records_api.EventDetailView.as_view(),
        name="cases-event-detail",
    ),
    path(
        "v1/cases/<str:code>/consents/", case_records_api.ConsentListView.as_view(),
        name="cases-consent-list",
    ),
    path(
        "v1/persons/matches/", persons_api.PersonMatchesView.as_view(),
        name="persons-matches",
    ),
    path("v1/persons/<int:pk>/", persons_api.PersonDetailView.as_view(), name="persons-detail"),
    # --- hotline contacts (homeward.hotline.api) ---
    # --- hotline analysis (homeward.hotline.api_analysis) ---
]
