"""The resource library, mounted at /directory/library/."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.directory import views_library as views

urlpatterns: list[URLPattern] = [
    path("", views.document_list, name="document-list"),
    path("new/", views.document_create, name="document-create"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/download/", views.document_download, name="document-download"),
    path("<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("<int:pk>/delete/", views.document_delete, name="document-delete"),
]
