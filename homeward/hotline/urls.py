"""The hotline's pages."""

from __future__ import annotations

from django.urls import path

from homeward.hotline import views_analysis, views_contacts, views_escalation, views_manage

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
    path("contacts/", views_contacts.contact_list_page, name="contact-list"),
    path("contacts/new/", views_contacts.contact_create, name="contact-create"),
    path("contacts/phone-check/", views_contacts.phone_check, name="contact-phone-check"),
    path("contacts/<int:pk>/", views_contacts.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/edit/", views_contacts.contact_edit, name="contact-edit"),
    path(
        "contacts/<int:pk>/follow-up/done/", views_contacts.follow_up_done,
        name="follow-up-done",
    ),
    path("follow-ups/", views_contacts.follow_up_list, name="follow-up-list"),
    # --- rescue escalation (views_escalation) ---
    path(
        "contacts/<int:pk>/escalate/", views_escalation.contact_escalate,
        name="contact-escalate",
    ),
    path("who-can-help/", views_escalation.who_can_help_fragment, name="who-can-help"),
    # --- analysis (views_analysis) ---
    path("analysis/", views_analysis.analysis_overview, name="analysis"),
    path("analysis/regions/", views_analysis.analysis_regions, name="analysis-regions"),
    path("analysis/campaigns/", views_analysis.analysis_campaigns, name="analysis-campaigns"),
    path("analysis/export/", views_analysis.analysis_export, name="analysis-export"),
]
