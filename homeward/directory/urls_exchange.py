from __future__ import annotations

from django.urls import path, re_path

from homeward.directory import views_exchange as views

urlpatterns = [
    path("import/", views.import_form, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("contacts/<int:cpk>/vcard/", views.contact_vcard, name="contact-vcard"),
]
