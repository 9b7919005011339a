"""The reports API: the list of reports and one report's published table
(suppressed figures as null with "<k"), its filters, the k floor, the audit,
and the schema."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.cases.tests.factories import open_case
from homeward.core.tests.access_matrix import Expect
from homeward.stats import reports
from homeward.stats.choices import Family
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension
from homeward.stats.tests import access_expectations_api

pytestmark = pytest.mark.django_db

NAME = "api-test-report"
LIST = reverse("api:stats-report-list")
DETAIL = reverse("api:stats-report-detail", kwargs={"name": NAME})


class Recorder:
    """The count function of the test report: fixed counts, and the filters
    it was asked for."""

    def __init__(self) -> None:
        self.filters: list[ReportFilter] = []

    def __call__(self, filter: ReportFilter) -> Counts:
        self.filters.append(filter)
        return Counts(
            rows=["RU", "UZ"], columns=["KZ", "TJ"],
            cells={("RU", "KZ"): 40, ("RU", "TJ"): 20, ("UZ", "KZ"): 30, ("UZ", "TJ"): 3},
            units=93,
        )

    @property
    def last(self) -> ReportFilter:
        return self.filters[-1]


def _country(key: str) -> str:
    return {"RU": "Russia", "UZ": "Uzbekistan", "KZ": "Kazakhstan", "TJ": "Tajikistan"}[key]


@pytest.fixture
def stub_report(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """A report of fixed counts, registered for the test only."""
    recorder = Recorder()
    spec = Report(
        name=NAME, title="Test destinations", family=Family.CASES,
        rows=Dimension("Destination", _country, countries=True,
                       categories=lambda _filter: ["RU", "UZ"]),
        columns=Dimension("Citizenship", _country, countries=True,
                          categories=lambda _filter: ["KZ", "TJ"]),
        count=recorder, unit="persons", method="Counted for the test.", chart="stacked",
    )
    monkeypatch.setitem(reports._reports, NAME, spec)
    return recorder


def _get(client: Client, url: str = DETAIL, **query: Any) -> Any:
    return client.get(url, query)


# --- who may ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_anonymous_is_refused(client: Client, stub_report: Recorder, url: str) -> None:
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.ORG_ADMIN,
                                  Role.MEDICAL])
def test_roles_without_statistics_are_refused_even_an_unknown_report(
    cast: Any, login: Any, stub_report: Recorder, role: str
) -> None:
    client = login(cast.user(role))
    assert client.get(LIST).status_code == 403
    assert client.get(DETAIL).status_code == 403
    missing = reverse("api:stats-report-detail", kwargs={"name": "no-such-report"})
    assert client.get(missing).status_code == 403
    assert not stub_report.filters


def test_site_admin_is_refused(cast: Any, login: Any, stub_report: Recorder) -> None:
    assert login(cast.site_admin).get(DETAIL).status_code == 403


def test_unknown_report_is_not_found_for_a_reader(cast: Any, login: Any) -> None:
    missing = reverse("api:stats-report-detail", kwargs={"name": "no-such-report"})
    assert login(cast.user(Role.RESEARCHER)).get(missing).status_code == 404


def test_only_get_is_answered(cast: Any, login: Any, stub_report: Recorder) -> None:
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(LIST).status_code == 405
    assert client.post(DETAIL).status_code == 405


# --- the list --------------------------------------------------------------------


def test_list_names_every_report_with_title_family_and_unit(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    body = login(cast.user(Role.RESEARCHER)).get(LIST).json()
    assert [row["name"] for row in body] == [spec.name for spec in reports.all_reports()]
    row = next(row for row in body if row["name"] == NAME)
    assert row == {"name": NAME, "title": "Test destinations", "family": "cases",
                   "unit": "persons", "method": "Counted for the test."}
    assert not stub_report.filters  # listing counts nothing


# --- one table -------------------------------------------------------------------


def test_researcher_gets_suppressed_figures_as_null_with_display(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    body = login(cast.user(Role.RESEARCHER)).get(DETAIL).json()
    assert body["k"] == 11
    assert (body["noisy"], body["epsilon"], body["release"]) == (False, None, None)
    assert [(row["key"], row["label"]) for row in body["rows"]] == [
        ("RU", "Russia"), ("UZ", "Uzbekistan")]
    assert [column["key"] for column in body["columns"]] == ["KZ", "TJ"]
    # UZ×TJ = 3 is hidden, and so is a second figure of its row and column
    # (else the totals would give it away).
    grid = [[cell["display"] for cell in row] for row in body["cells"]]
    assert grid[1][1] == "<11"
    assert body["cells"][1][1] == {"value": None, "display": "<11"}
    assert body["suppressed"] >= 2
    hidden = [cell for row in body["cells"] for cell in row if cell["value"] is None]
    assert len(hidden) >= 2
    assert body["method"] == "Counted for the test."
    assert body["chart"] == "stacked"
    assert (body["rows_title"], body["columns_title"]) == ("Destination", "Citizenship")
    assert body["total"] == {"value": 93, "display": "93"}
    assert body["organisations"] == ["AWAY", "HOME"]  # both coalition members


def test_totals_and_percentages_without_suppression(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    client = login(cast.user(Role.COORDINATOR))
    body = _get(client, organisation="HOME", min_cell=1).json()
    assert body["k"] == 1
    assert body["suppressed"] == 0
    assert [[cell["value"] for cell in row] for row in body["cells"]] == [[40, 20], [30, 3]]
    assert [(row["total"]["value"], row["percent"]) for row in body["rows"]] == [
        (60, 65), (33, 35)]
    assert [(column["total"]["value"], column["percent"]) for column in body["columns"]] == [
        (70, 75), (23, 25)]
    assert body["total"]["value"] == 93


def test_filter_is_passed_to_the_report(cast: Any, login: Any, stub_report: Recorder) -> None:
    client = login(cast.user(Role.RESEARCHER))
    response = _get(client, date_from="2026-01-01", date_to="2026-12-31",
                    basis="identification", organisation="HOME", region=" Moscow ",
                    sex="Feminine", age_band="20-24", minority="adult")
    assert response.status_code == 200, response.content
    assert stub_report.last == ReportFilter(
        organisations=(cast.home.pk,), date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31), basis="identification", region="Moscow",
        sex="Feminine", age_band="20-24", minority="adult",
    )
    assert response.json()["filter"]["organisations"] == [cast.home.pk]


def test_organisations_default_to_every_one_the_reader_counts(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    client = login(cast.user(Role.RESEARCHER))
    _get(client)
    assert set(stub_report.last.organisations) == {cast.home.pk, cast.away.pk}
    _get(client, organisation=["HOME", "AWAY"])
    assert set(stub_report.last.organisations) == {cast.home.pk, cast.away.pk}


def test_a_partner_organisation_counts_only_its_own_figures(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    cast.away.is_coalition_member = False
    cast.away.save()
    client = login(cast.user(Role.RESEARCHER, "away"))
    assert _get(client).json()["organisations"] == ["AWAY"]
    assert stub_report.last.organisations == (cast.away.pk,)
    response = _get(client, organisation="HOME")
    assert response.status_code == 400
    assert "HOME" in response.json()["organisation"][0]
    assert len(stub_report.filters) == 1


@pytest.mark.parametrize("query", [
    {"min_cell": "0"},
    {"date_from": "2026-02-01", "date_to": "2026-01-31"},
    {"date_from": "31.01.2026"},
    {"sex": "Other"},
    {"age_band": "20-30"},
    {"basis": "arrival"},
    {"organisation": "NOPE"},
    {"dataset": "999"},
])
def test_bad_filters_are_refused_with_400(
    cast: Any, login: Any, stub_report: Recorder, query: dict[str, str]
) -> None:
    response = _get(login(cast.user(Role.COORDINATOR)), **query)
    assert response.status_code == 400, response.content
    assert not stub_report.filters


def test_coordinator_may_turn_suppression_off_for_own_organisation_only(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    client = login(cast.user(Role.COORDINATOR))
    assert _get(client, organisation="HOME", min_cell=1).status_code == 200
    # Counting AWAY too (a coalition member she does not coordinate): k ≥ 11.
    refused = _get(client, min_cell=1)
    assert refused.status_code == 403
    assert "11" in refused.json()["detail"]
    assert _get(client, min_cell=12).json()["k"] == 12


def test_researcher_may_not_lower_k(cast: Any, login: Any, stub_report: Recorder) -> None:
    client = login(cast.user(Role.RESEARCHER))
    assert _get(client, organisation="HOME", min_cell=5).status_code == 403
    assert _get(client, min_cell=20).json()["k"] == 20


def test_each_table_read_is_audited_with_its_parameters(
    cast: Any, login: Any, stub_report: Recorder
) -> None:
    before = AuditEntry.objects.filter(target_id=NAME).count()
    _get(login(cast.user(Role.RESEARCHER)), date_from="2026-01-01")
    entry = AuditEntry.objects.filter(target_id=NAME).order_by("-id").first()
    assert entry is not None
    assert AuditEntry.objects.filter(target_id=NAME).count() == before + 1
    assert entry.target_type == "stats.report"
    assert "2026-01-01" in str(entry.detail)


def test_a_real_report_counts_cases_with_codes_as_keys_and_labels_in_the_language(
    cast: Any, login: Any
) -> None:
    """nationality-by-destination over HOME's cases: keys are ISO codes,
    labels follow the reader's language."""
    for citizenships in (["RU"], ["RU"], ["RU", "KZ"]):
        open_case(cast, citizenships=citizenships, destination_country="TR",
                  opened_on=datetime.date(2026, 3, 1))
    coordinator = cast.user(Role.COORDINATOR)
    url = reverse("api:stats-report-detail", kwargs={"name": "nationality-by-destination"})
    query = {"organisation": "HOME", "min_cell": 1, "date_from": "2026-01-01",
             "date_to": "2026-12-31"}
    body = login(coordinator).get(url, query).json()
    assert [row["key"] for row in body["rows"]] == ["TR"]
    assert {column["key"]: column["total"]["value"] for column in body["columns"]} == {
        "RU": 3, "KZ": 1}
    assert body["total"]["value"] == 4  # a person with two citizenships counts twice
    coordinator.language = "ru"
    coordinator.save()
    body = login(coordinator).get(url, query).json()
    assert body["rows"][0]["label"] == "Турция"
    assert body["rows"][0]["key"] == "TR"


@pytest.mark.parametrize("name", [spec.name for spec in reports.all_reports()])
def test_every_report_answers_with_its_table(cast: Any, login: Any, name: str) -> None:
    open_case(cast, citizenships=["RU"], destination_country="TR",
              opened_on=datetime.date(2026, 3, 1))
    url = reverse("api:stats-report-detail", kwargs={"name": name})
    response = login(cast.user(Role.RESEARCHER)).get(url, {"date_from": "2026-01-01",
                                                          "date_to": "2026-12-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["k"]) == (name, 11)
    assert len(body["cells"]) == len(body["rows"])
    assert all(len(row) == len(body["columns"]) for row in body["cells"])


# --- the access matrix of this API, quickly ---------------------------------------


def test_every_audience_gets_the_declared_answer(cast: Any) -> None:
    """The access matrix (``core/tests/test_access_matrix.py``) for the
    statistics API only."""
    from homeward.core.tests.test_access_matrix import _client_for, _outcome, _request, _url

    failures: list[str] = []
    expect: Expect
    for expect in access_expectations_api.EXPECTATIONS:
        kwargs = expect.kwargs(cast) if expect.kwargs else {}
        audiences: list[tuple[str, Any, str]] = [("anonymous", None, expect.anonymous)]
        for role in Role.values:
            for org in ("home", "away"):
                audiences.append((f"{role}@{org}", cast.user(role, org),
                                  expect.expected_for(role, same_organisation=org == "home")))
        audiences.append(("site admin", cast.site_admin, expect.site_admin))
        for label, user, wanted in audiences:
            url = _url(expect, kwargs)
            data = expect.data(cast, kwargs) if expect.data else None
            got = _outcome(_request(_client_for(user), expect.method, url, data))
            if got != wanted:
                failures.append(f"{expect.method} {expect.name} as {label}: "
                                f"expected {wanted}, got {got}")
        if expect.not_allowed_method:
            response = _request(_client_for(cast.site_admin), expect.not_allowed_method,
                                _url(expect, kwargs))
            if response.status_code != 405:
                failures.append(f"{expect.not_allowed_method} {expect.name}: 405 expected, "
                                f"got {response.status_code}")
    assert not failures, "\n".join(failures)


# --- schema ----------------------------------------------------------------------


def test_openapi_schema_has_the_statistics_api_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/stats/reports/{name}/", "/api/v1/stats/releases/{id}/",
                 "/api/v1/stats/budgets/", "/api/v1/stats/ctdc-datasets/"):
        assert path in schema
