"""The CTDC datasets API: report readers list the reference datasets,
labelled as such; everyone else gets 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.stats.models import CtdcDataset

pytestmark = pytest.mark.django_db

LIST = reverse("api:stats-ctdc-dataset-list")


def _dataset(label: str, sha: str, rows: int) -> CtdcDataset:
    return CtdcDataset.objects.create(label=label, source_name=f"{label}.csv",
                                      sha256=sha * 64, row_count=rows)


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.ORG_ADMIN])
def test_roles_without_statistics_are_refused(cast: Any, login: Any, role: str) -> None:
    _dataset("CTDC 2024", "a", 10)
    assert login(cast.user(role)).get(LIST).status_code == 403


def test_site_admin_is_refused(cast: Any, login: Any) -> None:
    assert login(cast.site_admin).get(LIST).status_code == 403


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.COORDINATOR])
def test_readers_list_the_reference_datasets_newest_first(
    cast: Any, login: Any, role: str
) -> None:
    older = _dataset("CTDC synthetic 2023", "a", 21195)
    newer = _dataset("CTDC global 2024", "b", 120)
    body = login(cast.user(role, "away")).get(LIST).json()
    assert body["count"] == 2
    rows = body["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert {key: rows[1][key] for key in ("label", "source_name", "row_count", "reference")} == {
        "label": "CTDC synthetic 2023", "source_name": "CTDC synthetic 2023.csv",
        "row_count": 21195, "reference": True,
    }
    assert "sha256" not in rows[0]


def test_only_get_is_answered(cast: Any, login: Any) -> None:
    assert login(cast.user(Role.COORDINATOR)).post(LIST).status_code == 405
