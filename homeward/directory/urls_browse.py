"""The directory's read pages (public, except "who can help")."""

from __future__ import annotations

from django.urls import URLPattern, path

from homeward.directory import views_browse

urlpatterns: list[URLPattern] = [
    path("", views_browse.entry_list, name="entry-list"),
    path("map/", views_browse.entry_map, name="map"),
    path("map/data.json", views_browse.entry_map_data, name="map-data"),
    path("who-can-help/", views_browse.who_can_help_page, name="who-can-help"),
    path(
        "who-can-help/results/", views_browse.who_can_help_fragment,
        name="who-can-help-fragment",
    ),
    path("<int:pk>/", views_browse.entry_detail, name="entry-detail"),
]
