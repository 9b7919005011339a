"""The shelters' pages: the shelter side (``urls_shelter``) and the case side
with the network dashboard (``urls_case``)."""

from __future__ import annotations

from django.urls import include, path

app_name = "shelters"
urlpatterns = [
    path("", include("homeward.shelters.urls_shelter")),
    path("", include("homeward.shelters.urls_case")),
]
