"""The hotline's pages."""

from __future__ import annotations

from django.urls import path

from homeward.hotline import views_manage

app_name = "hotline"
urlpatterns = [
    # --- lines and campaigns (views_manage) ---
    path("lines/", views_manage.line_list_page, name="line-list"),
    path("lines/new/", views_manage.line_create, name="line-create"),
    path("lines/<int:pk>/edit/", views_manage.line_edit, name="line-edit"),
    path("campaigns/", views_manage.campaign_list_page, name="campaign-list"),
    path("campaigns/new/", views_manage.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/edit/", views_manage.campaign_edit, name="campaign-edit"),
    # --- contacts and follow-ups (views_contacts) ---
    # --- rescue escalation (views_escalation) ---
    # --- analysis (views_analysis) ---
]
