"""The analysis API: the pages' numbers as JSON, suppressed counts as "<k"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.hotline.tests.test_views_analysis import MARCH, calls  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("api:hotline-analysis-overview")
REGIONS = reverse("api:hotline-analysis-regions")
CAMPAIGNS = reverse("api:hotline-analysis-campaigns")
ENDPOINTS = [OVERVIEW, REGIONS, CAMPAIGNS]


def _table(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(table for table in body["tables"] if table["name"] == name)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_is_refused(client, url):
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.MEDICAL])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_roles_without_analysis_are_refused(cast, login, role, url):
    assert login(cast.user(role)).get(url).status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_site_admin_is_refused(cast, login, url):
    assert login(cast.site_admin).get(url).status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_only_get_is_answered(cast, login, url):
    assert login(cast.user(Role.COORDINATOR)).post(url).status_code == 405


def test_overview_gives_suppressed_counts_as_strings(cast, login, calls):  # noqa: F811
    body = login(cast.user(Role.RESEARCHER)).get(OVERVIEW, MARCH).json()
    assert body["k"] == 5
    assert body["organisations"] == ["HOME"]
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31", "grain": "week"}
    assert body["total"] == 22
    assert [row["count"] for row in _table(body, "over-time")["rows"]] == [0, 12, "<5", "<5", 0, 0]
    assert [row["count"] for row in _table(body, "lines")["rows"]] == ["<5", "<5"]
    assert {row["key"]: row["count"] for row in _table(body, "channels")["rows"]} == {
        "Call": 15, "Email": 0, "Message": 7, "WalkIn": 0}
    assert "Never shown" not in str(body)


def test_regions_give_the_change_or_null(cast, login, calls):  # noqa: F811
    body = login(cast.user(Role.COORDINATOR)).get(REGIONS, MARCH).json()
    assert body["previous_period"]["start"] == "2026-01-29"
    regions = next(r for r in body["rankings"] if r["name"] == "caller-regions")
    first, *others = regions["rows"]
    assert (first["label"], first["count"], first["previous"], first["change"],
            first["change_percent"], first["trend"]) == (
        "Astrakhan Oblast, Russia", 12, 6, 6, 100, "up")
    assert all(row["count"] == "<5" and row["change"] is None for row in others)


def test_campaigns_per_phase(cast, login, calls):  # noqa: F811
    body = login(cast.user(Role.COORDINATOR)).get(CAMPAIGNS, {**MARCH, "weeks": 1}).json()
    (campaign,) = body["campaigns"]
    assert campaign["name"] == "Bus stop posters"
    assert [(p["phase"], p["total"], p["daily_average"]) for p in campaign["phases"]] == [
        ("before", 12, 1.7), ("during", 7, 1.0), ("after", "<5", None)]


def test_away_gets_only_its_own_numbers(cast, login, calls):  # noqa: F811
    body = login(cast.user(Role.COORDINATOR, "away")).get(OVERVIEW, MARCH).json()
    assert body["organisations"] == ["AWAY"]
    assert body["total"] == 27


def test_an_organisation_that_is_not_yours_is_a_bad_request(cast, login, calls):  # noqa: F811
    client = login(cast.user(Role.COORDINATOR, "away"))
    response = client.get(OVERVIEW, {**MARCH, "organisation": "HOME"})
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_bad_filters_are_a_bad_request(cast, login, calls):  # noqa: F811
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(OVERVIEW, {"date_from": "2026-04-01", "date_to": "2026-03-01"}
                      ).status_code == 400
    assert client.get(OVERVIEW, {"grain": "hour"}).status_code == 400
    assert client.get(OVERVIEW, {"date_from": "2020-01-01", "date_to": "2026-01-01",
                                 "grain": "day"}).status_code == 400


def test_schema_documents_the_suppressed_count(cast, login):
    schema = login(cast.user(Role.RESEARCHER)).get(reverse("api:schema")).content.decode()
    assert "/api/v1/hotline/analysis/regions/" in schema
    assert "^<[0-9]+$" in schema
