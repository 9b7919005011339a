"""The tabs of a case and the forms that add to them (included by ``urls.py``)."""

from __future__ import annotations

from django.urls import path

from homeward.cases import views_consents, views_justice, views_medical, views_rescue, views_story

urlpatterns = [
    path("<str:code>/story/", views_story.case_story, name="case-story"),
    path("<str:code>/story/new/", views_story.event_create, name="event-create"),
    path("<str:code>/story/<int:pk>/", views_story.event_edit, name="event-edit"),
    path("<str:code>/story/<int:pk>/delete/", views_story.event_delete, name="event-delete"),
    path("<str:code>/rescue/", views_rescue.case_rescue, name="case-rescue"),
    path("<str:code>/rescue/new/", views_rescue.rescue_create, name="rescue-create"),
    path("<str:code>/repatriation/", views_rescue.case_repatriation, name="case-repatriation"),
    path("<str:code>/repatriation/new/", views_rescue.repatriation_create,
         name="repatriation-create"),
    path("<str:code>/repatriation/<int:pk>/", views_rescue.repatriation_edit,
         name="repatriation-edit"),
    path("<str:code>/moves/new/", views_rescue.move_create, name="move-create"),
    path("<str:code>/medical/", views_medical.case_medical, name="case-medical"),
    path("<str:code>/medical/new/", views_medical.medical_create, name="medical-create"),
    path("<str:code>/guardians/new/", views_medical.guardian_create, name="guardian-create"),
    path("<str:code>/justice/", views_justice.case_justice, name="case-justice"),
    path("<str:code>/justice/new/", views_justice.proceeding_create, name="proceeding-create"),
    path("<str:code>/justice/<int:pk>/", views_justice.proceeding_edit, name="proceeding-edit"),
    path("<str:code>/consents/", views_consents.case_consents, name="case-consents"),
    path("<str:code>/consents/new/", views_consents.consent_create, name="consent-create"),
    path("<str:code>/consents/<int:pk>/scan/", views_consents.consent_scan,
         name="consent-scan"),
]
