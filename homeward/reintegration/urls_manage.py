"""The Reintegration landing page and the coordinators' pages: the
questionnaire editor, the assistance catalogue, programmes and donors,
the totals and the overdue monitoring list (prefix /reintegration/)."""

from __future__ import annotations

from django.urls import path

from homeward.reintegration import (
    views_manage,
    views_manage_catalogue,
    views_manage_questionnaire,
)

urlpatterns = [
    path("", views_manage.home, name="home"),
    # --- the questionnaire (views_manage_questionnaire) ---
    path("questionnaires/", views_manage_questionnaire.questionnaire_list,
         name="questionnaire-list"),
    path("questionnaires/new/", views_manage_questionnaire.questionnaire_new,
         name="questionnaire-new"),
    path("questionnaires/<int:pk>/", views_manage_questionnaire.questionnaire_detail,
         name="questionnaire-detail"),
    path("questionnaires/<int:pk>/edit/", views_manage_questionnaire.questionnaire_edit,
         name="questionnaire-edit"),
    path("questionnaires/<int:pk>/publish/", views_manage_questionnaire.questionnaire_publish,
         name="questionnaire-publish"),
    path("questionnaires/<int:pk>/questions/new/", views_manage_questionnaire.question_new,
         name="question-new"),
    path("questions/<int:pk>/", views_manage_questionnaire.question_edit, name="question-edit"),
    path("questions/<int:pk>/remove/", views_manage_questionnaire.question_remove,
         name="question-remove"),
    path("questions/<int:pk>/move/", views_manage_questionnaire.question_move,
         name="question-move"),
    # --- the catalogue, programmes and donors (views_manage_catalogue) ---
    path("assistance/", views_manage_catalogue.catalogue, name="catalogue"),
    path("assistance/kinds/new/", views_manage_catalogue.kind_new, name="kind-new"),
    path("assistance/kinds/<int:pk>/", views_manage_catalogue.kind_edit, name="kind-edit"),
    path("assistance/kinds/<int:pk>/rules/new/", views_manage_catalogue.rule_new,
         name="rule-new"),
    path("assistance/rules/<int:pk>/remove/", views_manage_catalogue.rule_remove,
         name="rule-remove"),
    path("assistance/rules/<int:pk>/move/", views_manage_catalogue.rule_move,
         name="rule-move"),
    path("programmes/", views_manage_catalogue.programme_list, name="programme-list"),
    path("programmes/new/", views_manage_catalogue.programme_new, name="programme-new"),
    path("programmes/<int:pk>/", views_manage_catalogue.programme_edit, name="programme-edit"),
    path("donors/new/", views_manage_catalogue.donor_new, name="donor-new"),
    # --- totals and overdue monitoring (views_manage) ---
    path("totals/", views_manage.totals, name="totals"),
    path("monitoring/overdue/", views_manage.overdue, name="overdue"),
]
