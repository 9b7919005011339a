"""The CTDC reference data pages (``/stats/reference/``)."""

from __future__ import annotations

from django.urls import path

from homeward.stats import views_reference

urlpatterns = [
    path("", views_reference.reference_list, name="reference"),
    path("upload/", views_reference.reference_upload, name="reference-upload"),
    path("upload/confirm/", views_reference.reference_confirm, name="reference-confirm"),
]
