"""The statistics index, the report pages and their downloads: coordinators
and researchers see published (suppressed) figures of the organisations
they count; other roles and the site administrator get 403; every view and
download is audited; no page links a case."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.stats import reports
from homeward.stats.categories import fixed
from homeward.stats.choices import UNKNOWN, Family
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension

pytestmark = pytest.mark.django_db

NAME = "test-citizenship"
INDEX = reverse("stats:index")
PAGE = reverse("stats:report", kwargs={"name": NAME})
DOWNLOAD = reverse("stats:report-download", kwargs={"name": NAME})
LABELS = {"RU": "Russia", "KZ": "Kazakhstan", "UZ": "Uzbekistan", UNKNOWN: "Not recorded"}


@pytest.fixture
def figures(cast: Any) -> Iterator[Report]:
    """A report of fixed counts: HOME has 20 Russians and 3 Kazakhs, AWAY 5
    Russians and 12 Uzbeks (registered for the test only)."""
    by_org = {cast.home.pk: {"RU": 20, "KZ": 3}, cast.away.pk: {"RU": 5, "UZ": 12}}

    def count(report_filter: ReportFilter) -> Counts:
        cells: dict[tuple[str, str], int] = {}
        for org in report_filter.organisations:
            for key, n in by_org.get(org, {}).items():
                cells[(key, "Persons")] = cells.get((key, "Persons"), 0) + n
        rows = sorted({row for row, _column in cells}, key=lambda r: (-cells[(r, "Persons")], r))
        return Counts(rows=rows, columns=["Persons"], cells=cells, units=sum(cells.values()))

    spec = Report(
        name=NAME, title="Persons by citizenship (test)", family=Family.CASES,
        rows=Dimension(title="Citizenship", label=LABELS.__getitem__, countries=True,
                       categories=fixed(LABELS)),
        columns=Dimension(title="Persons", label=lambda key: "Persons",
                          categories=fixed(["Persons"], unknown=False)),
        count=count, unit="persons", method="Each person once, by first citizenship.",
        order=-1,
    )
    reports.report(spec)
    yield spec
    reports._reports.pop(NAME, None)


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [INDEX, PAGE, DOWNLOAD])
def test_anonymous_is_sent_to_sign_in(client, figures, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.SHELTER_STAFF])
@pytest.mark.parametrize("url", [INDEX, PAGE, DOWNLOAD])
def test_refuses_roles_without_statistics(cast, login, figures, role, url):
    assert login(cast.user(role)).get(url).status_code == 403


def test_refuses_the_site_administrator(cast, login, figures):
    assert login(cast.site_admin).get(PAGE).status_code == 403


def test_an_unknown_report_is_not_found(cast, login):
    client = login(cast.user(Role.RESEARCHER))
    assert client.get(reverse("stats:report", kwargs={"name": "no-such"})).status_code == 404


def test_pages_answer_get_only(cast, login, figures):
    client = login(cast.user(Role.RESEARCHER))
    assert client.post(PAGE).status_code == 405
    assert client.post(DOWNLOAD).status_code == 405


# --- the index --------------------------------------------------------------------------


def test_index_lists_the_reports_by_family_and_offers_the_abstract(cast, login, figures):
    response = login(cast.user(Role.RESEARCHER)).get(INDEX)
    assert response.status_code == 200
    body = response.content.decode()
    assert PAGE in body
    assert reverse("stats:abstract") in body
    assert "Persons by citizenship (test)" in body


def test_navigation_shows_statistics_to_readers_only(cast, login):
    assert INDEX in login(cast.user(Role.RESEARCHER)).get(reverse("accounts:dashboard")) \
        .content.decode()
    assert INDEX not in login(cast.user(Role.CASE_WORKER)).get(reverse("accounts:dashboard")) \
        .content.decode()


# --- the report page --------------------------------------------------------------------


def _table_cells(body: str) -> str:
    return body[body.index('class="stats-table"'):body.index("</table>")]


def test_researcher_sees_suppressed_figures_of_every_member_and_an_explanation(
        cast, login, figures):
    response = login(cast.user(Role.RESEARCHER)).get(PAGE)
    assert response.status_code == 200
    table = _table_cells(response.content.decode())
    assert "Russia" in table
    assert ">25<" in table
    assert "Uzbekistan" in table
    assert "&lt;11" in table
    # The three Kazakhs are never shown, nor recoverable from the total of
    # 40: the twelve Uzbeks are hidden with them.
    assert ">3<" not in table
    assert ">12<" not in table
    assert "id=\"suppression-note\"" in response.content.decode()
    assert "Each person once, by first citizenship." in response.content.decode()


def test_researcher_cannot_lower_k(cast, login, figures):
    response = login(cast.user(Role.RESEARCHER)).get(PAGE, {"min_cell": "1"})
    assert response.status_code == 200
    assert "&lt;11" in _table_cells(response.content.decode())


def test_coordinator_sees_every_count_of_their_own_organisation_with_k_1(cast, login, figures):
    response = login(cast.user(Role.COORDINATOR)).get(
        PAGE, {"organisations": cast.home.pk, "min_cell": "1"})
    assert response.status_code == 200
    table = _table_cells(response.content.decode())
    for figure in (">20<", ">3<", ">23<"):
        assert figure in table
    assert "&lt;" not in table
    assert "Uzbekistan" not in table


def test_coordinator_may_not_lower_k_on_another_members_figures(cast, login, figures):
    response = login(cast.user(Role.COORDINATOR)).get(PAGE, {"min_cell": "1"})
    assert response.status_code == 200
    assert 'class="stats-table"' not in response.content.decode()


def test_the_page_shows_percentages_and_chart_data(cast, login, figures):
    response = login(cast.user(Role.COORDINATOR)).get(
        PAGE, {"organisations": cast.home.pk, "min_cell": "1"})
    body = response.content.decode()
    assert 'id="report-chart-data"' in body
    assert response.context["chart"]["labels"] == ["Russia", "Kazakhstan"]
    assert response.context["chart"]["series"][0]["values"] == [20, 3]
    # 20 of 23 = 87 %, 3 of 23 = 13 %.
    assert [row.percent for row in response.context["rows"]] == [87, 13]


def test_viewing_a_report_is_audited_with_its_filter(cast, login, figures):
    user = cast.user(Role.RESEARCHER)
    login(user).get(PAGE, {"date_from": "2026-01-01"})
    entry = AuditEntry.objects.filter(action=Action.VIEW, actor_id=user.pk,
                                      target_id=NAME).latest("pk")
    assert "2026-01-01" in str(entry.detail)


def test_no_report_page_links_a_case(cast, login, figures):
    client = login(cast.user(Role.RESEARCHER))
    for url in (INDEX, PAGE, reverse("stats:abstract")):
        assert "/cases/" not in client.get(url).content.decode()


def test_pages_stay_under_150_kb(cast, login, figures):
    client = login(cast.user(Role.COORDINATOR))
    for url in (INDEX, PAGE):
        assert len(client.get(url).content) < 150_000


def test_every_registered_report_page_renders(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    for report in reports.all_reports():
        response = client.get(reverse("stats:report", kwargs={"name": report.name}))
        assert response.status_code == 200, report.name
        assert len(response.content) < 150_000


# --- downloads --------------------------------------------------------------------------


def test_csv_download_has_codes_suppressed_cells_and_is_audited(cast, login, figures):
    user = cast.user(Role.RESEARCHER)
    response = login(user).get(DOWNLOAD, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Total"
    assert rows[-1][0] == "Total"
    assert {row[0] for row in rows[1:-1]} == {"RU", "KZ", "UZ"}
    assert "<11" in [cell for row in rows for cell in row]
    entry = AuditEntry.objects.filter(action=Action.EXPORT, actor_id=user.pk).latest("pk")
    assert entry.target_id == NAME
    assert "csv" in str(entry.detail)


def test_xlsx_download_opens_and_holds_the_figures(cast, login, figures):
    response = login(cast.user(Role.COORDINATOR)).get(
        DOWNLOAD, {"format": "xlsx", "organisations": cast.home.pk, "min_cell": "1"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert any(value in (20, "20") for value in values)
    assert any(value in (23, "23") for value in values)


def test_pdf_download_is_a_pdf(cast, login, figures):
    response = login(cast.user(Role.RESEARCHER)).get(DOWNLOAD, {"format": "pdf"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("query", [{"format": "doc"}, {"format": "csv", "labels": "x"},
                                   {"format": "csv", "language": "de"},
                                   {"format": "csv", "date_from": "not a date"}])
def test_download_refuses_bad_parameters(cast, login, figures, query):
    assert login(cast.user(Role.RESEARCHER)).get(DOWNLOAD, query).status_code == 404


def test_download_refuses_k_below_the_floor(cast, login, figures):
    response = login(cast.user(Role.COORDINATOR)).get(DOWNLOAD, {"format": "csv",
                                                                 "min_cell": "2"})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT, target_id=NAME).exists()
