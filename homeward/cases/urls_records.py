"""The tabs of a case and the forms that add to them (included by ``urls.py``)."""

from __future__ import annotations

from django.urls import path

from homeward.cases import views_records as views

urlpatterns = [
    path("<str:code>/story/", views.case_story, name="case-story"),
    path("<str:code>/story/new/", views.event_create, name="event-create"),
    path("<str:code>/story/<int:pk>/", views.event_edit, name="event-edit"),
    path("<str:code>/story/<int:pk>/delete/", views.event_delete, name="event-delete"),
    path("<str:code>/rescue/", views.case_rescue, name="case-rescue"),
    path("<str:code>/rescue/new/", views.rescue_create, name="rescue-create"),
    path("<str:code>/repatriation/", views.case_repatriation, name="case-repatriation"),
    path("<str:code>/repatriation/new/", views.repatriation_create,
         name="repatriation-create"),
    path("<str:code>/repatriation/<int:pk>/", views.repatriation_edit,
         name="repatriation-edit"),
    path("<str:code>/moves/new/", views.move_create, name="move-create"),
    path("<str:code>/medical/", views.case_medical, name="case-medical"),
    path("<str:code>/medical/new/", views.medical_create, name="medical-create"),
    path("<str:code>/guardians/new/", views.guardian_create, name="guardian-create"),
    path("<str:code>/justice/", views.case_justice, name="case-justice"),
    path("<str:code>/justice/new/", views.proceeding_create, name="proceeding-create"),
    path("<str:code>/justice/<int:pk>/", views.proceeding_edit, name="proceeding-edit"),
    path("<str:code>/consents/", views.case_consents, name="case-consents"),
    path("<str:code>/consents/new/", views.consent_create, name="consent-create"),
    path("<str:code>/consents/<int:pk>/scan/", views.consent_scan, name="consent-scan"),
]
