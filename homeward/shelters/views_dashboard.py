"""The network's occupancy dashboard, for coordinators (403 for the others).

Counts only (:func:`homeward.shelters.dashboard.network_overview`): no
case, person or stay is shown or linked. Every chart has its table.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from homeward.cases.views_common import request_user
from homeward.shelters import selectors
from homeward.shelters.dashboard import network_overview


def _chart_data(overview: dict[str, Any]) -> dict[str, Any]:
    """What the charts draw (the tables show the same numbers)."""
    shelters = overview["shelters"]
    months = overview["months"]
    return {
        "beds": {
            "labels": [row["name"] for row in shelters],
            "used": [row["beds_used"] for row in shelters],
            "free": [row["beds_free"] for row in shelters],
        },
        "regions": {
            "labels": [row["region"] for row in overview["regions"]],
            "used": [row["beds_used"] for row in overview["regions"]],
            "free": [row["beds_free"] for row in overview["regions"]],
        },
        "admissions": {
            "labels": [row["label"] for row in months],
            "values": [row["admissions"] for row in months],
        },
        "stay": {
            "labels": [row["label"] for row in months],
            "values": [row["average_stay_days"] for row in months],
        },
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_overview(request_user(request)):
        raise PermissionDenied
    overview = network_overview()
    return render(request, "shelters/dashboard.html", {
        "overview": overview, "charts": _chart_data(overview),
    })
