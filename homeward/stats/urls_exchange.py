"""The HTCDS exchange pages (``/stats/exchange/``)."""

from __future__ import annotations

from django.urls import path

from homeward.stats import views_exchange

urlpatterns = [
    path("", views_exchange.exchange, name="exchange"),
    path("export/", views_exchange.exchange_export, name="exchange-export"),
    path("import/", views_exchange.exchange_import, name="exchange-import"),
    path("import/confirm/", views_exchange.exchange_import_confirm,
         name="exchange-import-confirm"),
]
