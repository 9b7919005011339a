"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from homeward.accounts import api as accounts_api
from homeward.cases.api import cases as cases_api
from homeward.cases.api import persons as persons_api
from homeward.cases.api import records as case_records_api
from homeward.directory import api as directory_api
from homeward.hotline import api_analysis as hotline_analysis_api
from homeward.hotline.api import call_events as hotline_call_events_api
from homeward.hotline.api import contacts as hotline_contacts_api
from homeward.shelters.api import care as shelter_care_api
from homeward.shelters.api import referrals as shelter_referrals_api
from homeward.shelters.api import shelters as shelters_api
from homeward.shelters.api import stays as shelter_stays_api

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
    path(
        "v1/hotline/contacts/", hotline_contacts_api.ContactListView.as_view(),
        name="hotline-contact-list",
    ),
    path(
        "v1/hotline/contacts/phone-check/", hotline_contacts_api.PhoneCheckView.as_view(),
        name="hotline-phone-check",
    ),
    path(
        "v1/hotline/contacts/<int:pk>/", hotline_contacts_api.ContactDetailView.as_view(),
        name="hotline-contact-detail",
    ),
    path(
        "v1/hotline/contacts/<int:pk>/follow-up-done/",
        hotline_contacts_api.FollowUpDoneView.as_view(), name="hotline-follow-up-done",
    ),
    path(
        "v1/hotline/contacts/<int:pk>/escalation-calls/",
        hotline_contacts_api.EscalationCallListView.as_view(),
        name="hotline-escalation-call-list",
    ),
    path(
        "v1/hotline/follow-ups/", hotline_contacts_api.FollowUpListView.as_view(),
        name="hotline-follow-up-list",
    ),
    path(
        "v1/hotline/lines/", hotline_contacts_api.LineListView.as_view(),
        name="hotline-line-list",
    ),
    path(
        "v1/hotline/call-events/", hotline_call_events_api.CallEventListView.as_view(),
        name="hotline-call-event-list",
    ),
    path(
        "v1/hotline/call-events/<int:pk>/", hotline_call_events_api.CallEventDetailView.as_view(),
        name="hotline-call-event-detail",
    ),
    # --- hotline analysis (homeward.hotline.api_analysis) ---
    path(
        "v1/hotline/analysis/overview/", hotline_analysis_api.OverviewView.as_view(),
        name="hotline-analysis-overview",
    ),
    path(
        "v1/hotline/analysis/regions/", hotline_analysis_api.RegionsView.as_view(),
        name="hotline-analysis-regions",
    ),
    path(
        "v1/hotline/analysis/campaigns/", hotline_analysis_api.CampaignsView.as_view(),
        name="hotline-analysis-campaigns",
    ),
    # --- shelters (homeward.shelters.api) ---
    path("v1/shelters/", shelters_api.ShelterListView.as_view(), name="shelters-list"),
    path(
        "v1/shelters/occupancy/", shelters_api.OccupancyView.as_view(),
        name="shelters-occupancy",
    ),
    path(
        "v1/shelters/<int:pk>/", shelters_api.ShelterDetailView.as_view(),
        name="shelters-detail",
    ),
    path(
        "v1/shelters/referrals/", shelter_referrals_api.ReferralListView.as_view(),
        name="shelters-referral-list",
    ),
    path(
        "v1/shelters/referrals/<int:pk>/", shelter_referrals_api.ReferralDetailView.as_view(),
        name="shelters-referral-detail",
    ),
    path(
        "v1/shelters/referrals/<int:pk>/accept/",
        shelter_referrals_api.ReferralAcceptView.as_view(), name="shelters-referral-accept",
    ),
    path(
        "v1/shelters/referrals/<int:pk>/decline/",
        shelter_referrals_api.ReferralDeclineView.as_view(), name="shelters-referral-decline",
    ),
    path(
        "v1/shelters/referrals/<int:pk>/withdraw/",
        shelter_referrals_api.ReferralWithdrawView.as_view(), name="shelters-referral-withdraw",
    ),
    path(
        "v1/shelters/referrals/<int:pk>/admit/",
        shelter_referrals_api.ReferralAdmitView.as_view(), name="shelters-referral-admit",
    ),
    path(
        "v1/shelters/stays/<int:pk>/", shelter_stays_api.StayDetailView.as_view(),
        name="shelters-stay-detail",
    ),
    path(
        "v1/shelters/stays/<int:pk>/discharge/", shelter_stays_api.StayDischargeView.as_view(),
        name="shelters-stay-discharge",
    ),
    path(
        "v1/cases/<str:code>/placement-search/", shelters_api.PlacementSearchView.as_view(),
        name="shelters-placement-search",
    ),
    path(
        "v1/cases/<str:code>/shelter-stays/", shelter_stays_api.CaseStayListView.as_view(),
        name="shelters-case-stay-list",
    ),
    path(
        "v1/cases/<str:code>/service-offers/", shelter_care_api.ServiceOfferListView.as_view(),
        name="shelters-service-offer-list",
    ),
    path(
        "v1/cases/<str:code>/service-sessions/",
        shelter_care_api.ServiceSessionListView.as_view(), name="shelters-service-session-list",
    ),
    path(
        "v1/cases/<str:code>/medical-screenings/",
        shelter_care_api.MedicalScreeningListView.as_view(),
        name="shelters-medical-screening-list",
    ),
    path("v1/", include("homeward.reintegration.api.urls")),
    path("v1/", include("homeward.stats.api.urls")),
]
