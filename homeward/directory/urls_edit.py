"""Editing the directory (mounted at /directory/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.directory import views_edit

urlpatterns: list[URLPattern] = [
    path("new/", views_edit.entry_create, name="entry-create"),
    path("stale/", views_edit.stale_list, name="stale-list"),
    path("<int:pk>/edit/", views_edit.entry_edit, name="entry-edit"),
    path("<int:pk>/verify/", views_edit.entry_verify, name="entry-verify"),
    path("<int:pk>/delete/", views_edit.entry_delete, name="entry-delete"),
    path("<int:pk>/contacts/new/", views_edit.contact_create, name="contact-create"),
    path("contacts/<int:cpk>/edit/", views_edit.contact_edit, name="contact-edit"),
    path("contacts/<int:cpk>/delete/", views_edit.contact_delete, name="contact-delete"),
]
