"""The releases API: reading differentially private releases (noisy, with
their ε), making one (coordinators; the privacy budget is charged, and
refuses when spent), and the budgets with what they have left."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import OrganisationFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.stats.choices import Family, Mechanism
from homeward.stats.models import BudgetCharge, PrivacyBudget, Release
from homeward.stats.tests.test_api_reports import NAME, Recorder, stub_report  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = reverse("api:stats-release-list")
BUDGETS = reverse("api:stats-budget-list")


def _detail(release: Release) -> str:
    return reverse("api:stats-release-detail", kwargs={"pk": release.pk})


def _release(*organisations: Organisation, cells: list[list[int]] | None = None) -> Release:
    release = Release.objects.create(
        report=NAME, params={"organisations": [org.pk for org in organisations]},
        mechanism=Mechanism.GEOMETRIC, epsilon_milli=250,
        table={"rows": ["RU", "UZ"], "columns": ["KZ", "TJ"],
               "cells": cells or [[41, 18], [29, 0]]},
    )
    release.organisations.add(*organisations)
    return release


def _partner() -> Organisation:
    """An organisation outside the coalition (nobody in the cast counts it)."""
    return typing.cast(Organisation, OrganisationFactory(code="PARTNER",
                                                         is_coalition_member=False))


def _post(client: Client, **data: Any) -> Any:
    body = {"report": NAME, "epsilon": "0.5", "mechanism": Mechanism.GEOMETRIC, **data}
    return client.post(LIST, body, content_type="application/json")


# --- who may ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, BUDGETS])
def test_anonymous_is_refused(client: Client, url: str) -> None:
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SHELTER_STAFF, Role.ORG_ADMIN])
def test_roles_without_statistics_are_refused(cast: Any, login: Any, role: str) -> None:
    release = _release(cast.home)
    client = login(cast.user(role))
    for url in (LIST, BUDGETS, _detail(release)):
        assert client.get(url).status_code == 403
    assert _post(client).status_code == 403


def test_researcher_reads_but_may_not_release(
    cast: Any, login: Any, stub_report: Recorder  # noqa: F811
) -> None:
    client = login(cast.user(Role.RESEARCHER))
    assert client.get(LIST).status_code == 200
    assert _post(client).status_code == 403
    assert not Release.objects.exists()
    assert not stub_report.filters


# --- reading -----------------------------------------------------------------------


def test_release_reads_back_its_noisy_table_labelled_with_epsilon(
    cast: Any, login: Any, stub_report: Recorder  # noqa: F811
) -> None:
    release = _release(cast.home)
    body = login(cast.user(Role.RESEARCHER, "away")).get(_detail(release)).json()
    assert body["id"] == release.pk
    assert (body["report"], body["title"]) == (NAME, "Test destinations")
    assert (body["mechanism"], body["epsilon"]) == ("geometric", 0.25)
    assert body["organisations"] == ["HOME"]
    table = body["table"]
    assert (table["noisy"], table["epsilon"], table["k"], table["release"]) == (
        True, 0.25, 1, release.pk)
    assert [[cell["value"] for cell in row] for row in table["cells"]] == [[41, 18], [29, 0]]
    assert [row["total"]["value"] for row in table["rows"]] == [59, 29]
    assert [column["total"]["value"] for column in table["columns"]] == [70, 18]
    assert table["total"] == {"value": 88, "display": "88"}
    assert table["suppressed"] == 0
    assert not stub_report.filters  # the recorded figures, never a fresh count
    entry = AuditEntry.objects.get(action=Action.VIEW, target_id=str(release.pk))
    assert (entry.detail["source"], entry.detail["release"]) == ("api", release.pk)


def test_lists_only_releases_of_organisations_the_reader_counts(
    cast: Any, login: Any
) -> None:
    partner = _partner()
    mine = _release(cast.home)
    both = _release(cast.home, cast.away)
    theirs = _release(partner)
    mixed = _release(cast.home, partner)
    client = login(cast.user(Role.RESEARCHER))
    body = client.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [both.pk, mine.pk]
    assert "table" not in body["results"][0]
    for hidden in (theirs, mixed):
        assert client.get(_detail(hidden)).status_code == 404


# --- making one --------------------------------------------------------------------


def test_coordinator_releases_own_figures_and_the_budget_is_charged(
    cast: Any, login: Any, stub_report: Recorder  # noqa: F811
) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    response = _post(login(coordinator), date_from="2026-01-01", date_to="2026-12-31",
                     note="For the annual report")
    assert response.status_code == 201, response.content
    body = response.json()
    release = Release.objects.get()
    assert body["id"] == release.pk
    assert body["organisations"] == ["HOME"]
    assert (body["epsilon"], body["mechanism"], body["note"]) == (
        0.5, "geometric", "For the annual report")
    assert stub_report.last.organisations == (cast.home.pk,)
    assert str(stub_report.last.date_from) == "2026-01-01"
    table = body["table"]
    assert table["noisy"] is True
    values = [cell["value"] for row in table["cells"] for cell in row]
    assert all(isinstance(value, int) and value >= 0 for value in values)
    assert table["total"]["value"] == sum(values)
    charge = BudgetCharge.objects.get()
    assert (charge.budget.family, charge.budget.organisation, charge.epsilon_milli) == (
        Family.CASES, cast.home, 500)
    assert AuditEntry.objects.filter(action=Action.CREATE, actor_id=coordinator.pk,
                                     target_id=str(release.pk)).exists()


def test_coordinator_may_not_release_another_organisations_figures(
    cast: Any, login: Any, stub_report: Recorder  # noqa: F811
) -> None:
    response = _post(login(cast.user(Role.COORDINATOR)), organisation=["HOME", "AWAY"])
    assert response.status_code == 403
    assert not Release.objects.exists()
    assert not BudgetCharge.objects.exists()


def test_a_spent_budget_refuses_the_release_with_400_and_changes_nothing(
    cast: Any, login: Any, stub_report: Recorder, settings: Any  # noqa: F811
) -> None:
    settings.HOMEWARD_DP_BUDGET_MILLI = 1000
    client = login(cast.user(Role.COORDINATOR))
    assert _post(client, epsilon="0.75").status_code == 201
    refused = _post(client, epsilon="0.5")
    assert refused.status_code == 400, refused.content
    assert refused.json()["detail"]
    assert Release.objects.count() == 1
    assert BudgetCharge.objects.count() == 1


@pytest.mark.parametrize("data", [
    {"report": "no-such-report"},
    {"mechanism": "gaussian"},
    {"epsilon": "0"},
    {"epsilon": "-1"},
    {"date_from": "2026-02-01", "date_to": "2026-01-01"},
])
def test_bad_release_requests_are_refused_with_400(
    cast: Any, login: Any, stub_report: Recorder, data: dict[str, str]  # noqa: F811
) -> None:
    response = _post(login(cast.user(Role.COORDINATOR)), **data)
    assert response.status_code == 400, response.content
    assert not Release.objects.exists()


# --- budgets ------------------------------------------------------------------------


def test_budgets_show_total_spent_and_remaining(
    cast: Any, login: Any, stub_report: Recorder  # noqa: F811
) -> None:
    assert _post(login(cast.user(Role.COORDINATOR)), epsilon="1.25").status_code == 201
    partner = _partner()
    PrivacyBudget.objects.create(family=Family.CASES, organisation=partner,
                                 epsilon_total_milli=5000)
    body = login(cast.user(Role.RESEARCHER, "away")).get(BUDGETS).json()
    assert "PARTNER" not in {row["organisation"] for row in body}
    home = {row["family"]: row for row in body if row["organisation"] == "HOME"}
    assert home["cases"] == {
        "id": PrivacyBudget.objects.get(organisation=cast.home).pk, "family": "cases",
        "organisation": "HOME", "epsilon_total": 5.0, "epsilon_spent": 1.25,
        "epsilon_remaining": 3.75,
    }
    # Datasets nothing was spent from yet: the full budget, no ledger yet.
    assert home["hotline"] == {
        "id": None, "family": "hotline", "organisation": "HOME", "epsilon_total": 5.0,
        "epsilon_spent": 0.0, "epsilon_remaining": 5.0,
    }
    assert {row["family"] for row in body if row["organisation"] is None} == {"ctdc"}


def test_the_release_list_reads_a_fixed_number_of_queries(
    cast: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(cast.user(Role.RESEARCHER))
    _release(cast.home)
    client.get(LIST)
    with django_assert_max_num_queries(40) as few:
        client.get(LIST)
    for _ in range(5):
        _release(cast.home, cast.away)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).json()["results"]) == 6
