"""The analysis pages and export: coordinators and researchers see their own
organisations' suppressed numbers; other roles and the site administrator
get 403; exports are audited."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import MembershipFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.hotline.models import Campaign
from homeward.hotline.tests.factories import make_line
from homeward.hotline.tests.test_analysis import PLANNING, RELATIVE, VICTIM, add

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("hotline:analysis")
REGIONS = reverse("hotline:analysis-regions")
CAMPAIGNS = reverse("hotline:analysis-campaigns")
EXPORT = reverse("hotline:analysis-export")
PAGES = [OVERVIEW, REGIONS, CAMPAIGNS]
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31", "grain": "week"}


@pytest.fixture
def calls(cast: Any, settings: Any) -> None:
    settings.HOMEWARD_MIN_CELL_COUNT = 5
    operator = cast.user("hotline_operator")
    line_a = make_line(cast, label_en="Line A")
    line_b = make_line(cast, label_en="Line B")
    add(line_a, operator, 12, datetime.date(2026, 3, 3), **RELATIVE)
    add(line_a, operator, 7, datetime.date(2026, 3, 10), **VICTIM)
    add(line_b, operator, 3, datetime.date(2026, 3, 17), **PLANNING)
    add(line_a, operator, 6, datetime.date(2026, 2, 10), **RELATIVE)
    away_line = make_line(cast, "away", label_en="Away line")
    add(away_line, cast.user("hotline_operator", "away"), 27, datetime.date(2026, 3, 5),
        **{**PLANNING, "caller_region": "Tatarstan", "concern_country": "DE"})
    Campaign.objects.create(
        organisation=cast.home, name="Bus stop posters", cities="Astrakhan",
        starts_on=datetime.date(2026, 3, 9), ends_on=datetime.date(2026, 3, 15),
    )


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, EXPORT])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.ORG_ADMIN,
                                  Role.SHELTER_STAFF])
@pytest.mark.parametrize("url", [*PAGES, EXPORT])
def test_roles_without_analysis_are_refused(cast, login, role, url):
    assert login(cast.user(role)).get(url, {"table": "lines"}).status_code == 403


@pytest.mark.parametrize("url", [*PAGES, EXPORT])
def test_site_admin_is_refused(cast, login, url):
    assert login(cast.site_admin).get(url, {"table": "lines"}).status_code == 403


@pytest.mark.parametrize("url", [*PAGES, EXPORT])
def test_pages_only_answer_get(cast, login, url):
    assert login(cast.user(Role.COORDINATOR)).post(url).status_code == 405


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.RESEARCHER])
def test_coordinators_and_researchers_see_the_pages(cast, login, calls, role):
    client = login(cast.user(role))
    for url in PAGES:
        assert client.get(url, MARCH).status_code == 200


def test_away_sees_its_own_numbers_and_none_of_home(cast, login, calls):
    body = login(cast.user(Role.COORDINATOR, "away")).get(REGIONS, MARCH).content.decode()
    assert "Tatarstan" in body
    assert "Astrakhan" not in body
    assert "Germany" in body
    body = login(cast.user(Role.RESEARCHER, "away")).get(OVERVIEW, MARCH).content.decode()
    assert "Line A" not in body
    assert "<strong>27</strong>" in body


def test_an_organisation_that_is_not_yours_is_refused_as_a_filter(cast, login, calls):
    client = login(cast.user(Role.COORDINATOR, "away"))
    response = client.get(OVERVIEW, {**MARCH, "line": make_line(cast).pk})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "line" in response.context["form"].errors


# --- what the pages show --------------------------------------------------------


def test_overview_shows_suppressed_numbers_with_charts_and_tables(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(OVERVIEW, MARCH)
    body = response.content.decode()
    assert "<strong>22</strong>" in body
    for name in ("over-time", "lines", "caller-types", "topics", "channels"):
        assert f'id="chart-{name}"' in body
        assert f'id="chart-data-{name}"' in body
    assert body.count("<table") >= 5
    assert "&lt;5" in body
    # No caller is ever named on the page.
    assert "Never shown" not in body
    assert "+7999" not in body
    lines = response.context["result"].lines
    assert [row.count.display for row in lines.rows] == ["<5", "<5"]


def test_regions_page_ranks_with_change_words_and_a_map(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(REGIONS, MARCH)
    body = response.content.decode()
    assert 'id="analysis-map"' in body
    assert 'id="map-data"' in body
    assert "Astrakhan Oblast, Russia" in body
    assert "up by 6" in body
    assert "(100%)" in body
    assert "not shown (small numbers)" in body


def test_campaigns_page_compares_before_during_and_after(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(CAMPAIGNS, {**MARCH, "weeks": "1"})
    body = response.content.decode()
    assert "Bus stop posters" in body
    assert 'data-chart="campaign"' in body
    (item,) = response.context["result"]
    assert [phase.total.display for phase in item.phases] == ["12", "7", "<5"]
    cities = login(cast.user(Role.COORDINATOR)).get(
        CAMPAIGNS, {**MARCH, "weeks": "1", "cities_only": "on"})
    assert [phase.total.display for phase in cities.context["result"][0].phases] == [
        "12", "0", "0"]


def test_a_period_that_ends_before_it_starts_is_an_error(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(
        OVERVIEW, {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "The period ends before it starts." in response.content.decode()


def test_by_default_the_last_twelve_months_per_month(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(OVERVIEW)
    assert len(response.context["result"].over_time.rows) == 12


def test_a_user_of_several_organisations_may_choose_one(cast, login, calls):
    coordinator = cast.user(Role.COORDINATOR)
    MembershipFactory(user=coordinator, organisation=cast.away, role=Role.RESEARCHER)
    client = login(coordinator)
    both = client.get(OVERVIEW, MARCH)
    assert "organisation" in both.context["form"].fields
    assert both.context["result"].total.display == "49"
    away = client.get(OVERVIEW, {**MARCH, "organisation": cast.away.pk})
    assert away.context["result"].total.display == "27"


# --- export ---------------------------------------------------------------------


def test_csv_export_has_the_suppressed_table_and_is_audited(cast, login, calls):
    user = cast.user(Role.RESEARCHER)
    response = login(user).get(EXPORT, {**MARCH, "table": "lines", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    text = response.content.decode("utf-8-sig")
    assert "2026-03-01 – 2026-03-31" in text
    assert "HOME" in text
    assert "Counts from 1 to 4 are shown as <5." in text
    assert "Line A,<5" in text
    assert "Line B,<5" in text
    assert "Total,22" in text
    assert "19" not in text.split("Line,Contacts")[1]
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor_id=user.pk)
    assert entry.detail["table"] == "lines"
    assert entry.detail["format"] == "csv"
    assert entry.detail["from"] == "2026-03-01"


def test_xlsx_export_opens_with_the_numbers(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(
        EXPORT, {**MARCH, "table": "destinations", "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert ("Turkey", 12, 6, 6, 100) in rows or ("Türkiye", 12, 6, 6, 100) in rows
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 1


def test_campaign_export(cast, login, calls):
    response = login(cast.user(Role.COORDINATOR)).get(
        EXPORT, {**MARCH, "weeks": "1", "table": "campaigns", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "Bus stop posters,Before,2026-03-02,2026-03-08,7,12,1.7" in text


@pytest.mark.parametrize("query", [{"table": "names"}, {"table": "lines", "format": "pdf"}])
def test_unknown_table_or_format_is_not_found(cast, login, calls, query):
    response = login(cast.user(Role.COORDINATOR)).get(EXPORT, {**MARCH, **query})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
