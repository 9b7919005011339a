"""The case side of the shelters (a case's "Shelter" tab, placement search,
referrals, the waiting list, the package and the service log recorded from
the case) and the network's occupancy dashboard."""

from __future__ import annotations

from django.urls import path

from homeward.shelters import views_case, views_dashboard

urlpatterns = [
    path("cases/<str:code>/", views_case.case_shelter, name="case-shelter"),
    path("cases/<str:code>/placement/", views_case.placement_search, name="placement-search"),
    path("cases/<str:code>/refer/<int:shelter_pk>/", views_case.referral_create,
         name="referral-create"),
    path("referrals/<int:pk>/withdraw/", views_case.referral_withdraw, name="referral-withdraw"),
    path("cases/<str:code>/waiting/", views_case.waiting_add, name="waiting-add"),
    path("waiting/<int:pk>/cancel/", views_case.waiting_cancel, name="waiting-cancel"),
    path("waiting/", views_case.waiting_list, name="waiting-list"),
    path("cases/<str:code>/package/", views_case.case_offer_create, name="case-offer-create"),
    path("cases/<str:code>/sessions/new/", views_case.case_session_create,
         name="case-session-create"),
    path("occupancy/", views_dashboard.dashboard, name="dashboard"),
]
