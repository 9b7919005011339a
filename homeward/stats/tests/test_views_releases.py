"""The release pages: list with budgets, new release, one release, downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import OrganisationFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.stats.choices import Family, Mechanism
from homeward.stats.models import BudgetCharge, PrivacyBudget, Release

pytestmark = pytest.mark.django_db


def make_release(organisation: Any, **overrides: Any) -> Release:
    release = Release.objects.create(**{
        "report": "nationality-by-destination",
        "params": {"organisations": [organisation.pk], "date_from": "2026-01-01",
                   "date_to": "2026-12-31"},
        "mechanism": Mechanism.GEOMETRIC,
        "epsilon_milli": 750,
        "table": {"rows": ["RU", "TR"], "columns": ["KZ", "UZ"], "cells": [[7, 2], [0, 13]]},
        "note": "TIP report",
        **overrides,
    })
    release.organisations.set([organisation])
    return release


def test_list_shows_releases_and_budgets_with_spent_and_left(cast, login) -> None:
    release = make_release(cast.home)
    budget = PrivacyBudget.objects.create(family=Family.CASES, organisation=cast.home,
                                          epsilon_total_milli=5000)
    BudgetCharge.objects.create(budget=budget, release=release, epsilon_milli=750)
    response = login(cast.user(Role.RESEARCHER)).get(reverse("stats:release-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("stats:release-detail", kwargs={"pk": release.pk}) in body
    assert "TIP report" in body
    assert "4.25" in body
    assert "0.75" in body
    # Researchers read; only coordinators release.
    assert reverse("stats:release-create") not in body


def test_list_hides_releases_of_organisations_the_reader_does_not_count(cast, login) -> None:
    partner = OrganisationFactory(code="PART", is_coalition_member=False)
    hidden = make_release(partner, note="partner only")
    response = login(cast.user(Role.RESEARCHER)).get(reverse("stats:release-list"))
    assert "partner only" not in response.content.decode()
    detail = login(cast.user(Role.RESEARCHER)).get(
        reverse("stats:release-detail", kwargs={"pk": hidden.pk}))
    assert detail.status_code == 404


def test_detail_shows_the_noisy_table_clearly_labelled(cast, login) -> None:
    release = make_release(cast.home)
    response = login(cast.user(Role.RESEARCHER)).get(
        reverse("stats:release-detail", kwargs={"pk": release.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Differentially private — noisy figures, ε = 0.75" in body
    assert 'id="report-chart-data"' in body
    # A small noisy count is shown, not suppressed; totals are sums of cells.
    table = body.split('id="release-table"')[1]
    assert ">2</td>" in table
    assert "&lt;" not in table
    assert ">22</td>" in table


def test_detail_in_russian(cast, login) -> None:
    release = make_release(cast.home)
    client = login(cast.user(Role.COORDINATOR))
    response = client.get(reverse("stats:release-detail", kwargs={"pk": release.pk}),
                          HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200


def test_csv_download_has_the_noisy_figures_and_is_audited(cast, login) -> None:
    release = make_release(cast.home)
    user = cast.user(Role.RESEARCHER)
    response = login(user).get(
        reverse("stats:release-download", kwargs={"pk": release.pk}) + "?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1:] == ["KZ", "UZ", "Total"]
    assert rows[1][1:] == ["7", "2", "9"]
    assert rows[-1][1:] == ["7", "15", "22"]
    entry = AuditEntry.objects.get(action=Action.EXPORT, target_id=str(release.pk))
    assert entry.actor_id == user.pk
    assert entry.detail["format"] == "csv"
    assert entry.detail["epsilon"] == "0.75"


def test_xlsx_download_opens(cast, login) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    release = make_release(cast.home)
    response = login(cast.user(Role.COORDINATOR)).get(
        reverse("stats:release-download", kwargs={"pk": release.pk}) + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "0.75" in text


def test_download_refuses_an_unknown_format(cast, login) -> None:
    release = make_release(cast.home)
    response = login(cast.user(Role.COORDINATOR)).get(
        reverse("stats:release-download", kwargs={"pk": release.pk}) + "?format=pdf")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_coordinator_creates_a_release_and_spends_the_budget(cast, login) -> None:
    for _ in range(3):
        open_case(cast, destination_country="TR")
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(reverse("stats:release-create"), {
        "report": "nationality-by-destination", "organisations": [cast.home.pk],
        "epsilon": "1.5", "mechanism": Mechanism.LAPLACE, "note": "for partners",
        "basis": "registration",
    })
    release = Release.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stats:release-detail", kwargs={"pk": release.pk})
    assert release.epsilon_milli == 1500
    assert release.mechanism == Mechanism.LAPLACE
    assert BudgetCharge.objects.get().budget.organisation == cast.home
    assert AuditEntry.objects.filter(action=Action.CREATE, target_id=str(release.pk)).exists()
    detail = client.get(response["Location"])
    assert detail.status_code == 200


def test_create_shows_the_budget_refusal_on_the_form(cast, login) -> None:
    budget = PrivacyBudget.objects.create(family=Family.CASES, organisation=cast.home,
                                          epsilon_total_milli=1000)
    BudgetCharge.objects.create(budget=budget, release=make_release(cast.home),
                                epsilon_milli=900)
    response = login(cast.user(Role.COORDINATOR)).post(reverse("stats:release-create"), {
        "report": "nationality-by-destination", "organisations": [cast.home.pk],
        "epsilon": "0.5", "mechanism": Mechanism.GEOMETRIC,
    })
    assert response.status_code == 200
    assert "privacy budget" in response.content.decode()
    assert Release.objects.count() == 1


def test_create_offers_only_organisations_the_coordinator_publishes(cast, login) -> None:
    response = login(cast.user(Role.COORDINATOR)).post(reverse("stats:release-create"), {
        "report": "nationality-by-destination", "organisations": [cast.away.pk],
        "epsilon": "1", "mechanism": Mechanism.GEOMETRIC,
    })
    assert response.status_code == 200
    assert not Release.objects.exists()


def test_create_form_lists_reports_and_budgets(cast, login) -> None:
    response = login(cast.user(Role.COORDINATOR)).get(reverse("stats:release-create"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="nationality-by-destination"' in body
    assert 'id="budget-list"' in body


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.CASE_WORKER])
def test_others_may_not_create(cast, login, role) -> None:
    response = login(cast.user(role)).get(reverse("stats:release-create"))
    assert response.status_code == 403


def test_case_worker_may_not_see_releases(cast, login) -> None:
    assert login(cast.user(Role.CASE_WORKER)).get(
        reverse("stats:release-list")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(reverse("stats:release-list"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_reading_a_release_is_audited_as_a_view(cast, login) -> None:
    release = make_release(cast.home)
    user = cast.user(Role.RESEARCHER)
    login(user).get(reverse("stats:release-detail", kwargs={"pk": release.pk}))
    entry = AuditEntry.objects.get(action=Action.VIEW, target_id=str(release.pk))
    assert entry.actor_id == user.pk
    assert entry.detail["report"] == "nationality-by-destination"
    assert entry.detail["date_from"] == "2026-01-01"
    assert entry.detail["epsilon"] == "0.75"


def test_the_release_list_reads_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
) -> None:
    client = login(cast.user(Role.RESEARCHER))
    make_release(cast.home)
    client.get(reverse("stats:release-list"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("stats:release-list"))
    for _ in range(5):
        make_release(cast.home)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("stats:release-list"))
