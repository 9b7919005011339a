"""The main case pages (included by ``urls.py``): the list, the intake
wizard, the overview, and what managers do with a case."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.cases import views_actions, views_cases, views_intake

urlpatterns: list[URLPattern] = [
    path("", views_cases.case_list, name="case-list"),
    path("new/", views_intake.case_create, name="case-create"),
    path("matches/", views_intake.person_matches, name="person-matches"),
    path("<str:code>/", views_cases.case_detail, name="case-detail"),
    path("<str:code>/edit/", views_actions.case_edit, name="case-edit"),
    path("<str:code>/person/", views_actions.person_edit, name="person-edit"),
    path("<str:code>/advance/", views_actions.case_advance, name="case-advance"),
    path("<str:code>/close/", views_actions.case_close, name="case-close"),
    path("<str:code>/reopen/", views_actions.case_reopen, name="case-reopen"),
    path("<str:code>/found/", views_actions.case_found, name="case-found"),
    path("<str:code>/missing/", views_actions.missing_edit, name="missing-edit"),
    path("<str:code>/team/", views_actions.team, name="team"),
    path("<str:code>/team/<int:pk>/remove/", views_actions.team_remove, name="team-remove"),
    path("<str:code>/export/", views_cases.case_export, name="case-export"),
]
