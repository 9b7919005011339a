from __future__ import annotations

from django.urls import path

from homeward.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("export.csv", views.entry_export, name="entry-export"),
]
