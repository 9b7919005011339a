"""The shelter side: the network's shelters, a shelter's referral inbox, and
the resident's stay (package, service log, discharge, medical screening)."""

from __future__ import annotations

from django.urls import path

from homeward.shelters import views_referrals, views_shelters, views_stays

urlpatterns = [
    # --- shelters (views_shelters) ---
    path("", views_shelters.shelter_list_page, name="shelter-list"),
    path("new/", views_shelters.shelter_create, name="shelter-create"),
    path("<int:pk>/", views_shelters.shelter_detail, name="shelter-detail"),
    path("<int:pk>/edit/", views_shelters.shelter_edit, name="shelter-edit"),
    # --- the referral inbox (views_referrals) ---
    path("referrals/", views_referrals.referral_list_page, name="referral-list"),
    path("referrals/<int:pk>/", views_referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", views_referrals.referral_accept, name="referral-accept"),
    path(
        "referrals/<int:pk>/decline/", views_referrals.referral_decline, name="referral-decline"
    ),
    path("referrals/<int:pk>/admit/", views_referrals.referral_admit, name="referral-admit"),
    # --- a resident's stay (views_stays) ---
    path("stays/<int:pk>/", views_stays.stay_detail, name="stay-detail"),
    path("stays/<int:pk>/discharge/", views_stays.stay_discharge, name="stay-discharge"),
    path("stays/<int:pk>/package/", views_stays.offer_create, name="offer-create"),
    path("stays/<int:pk>/sessions/new/", views_stays.session_create, name="session-create"),
    path("stays/<int:pk>/medical/", views_stays.screening_list, name="screening-list"),
    path("stays/<int:pk>/medical/new/", views_stays.screening_create, name="screening-create"),
]
