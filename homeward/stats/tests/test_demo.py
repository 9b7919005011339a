"""The demo statistics (stats/demo.py) and their place in ``seed-demo``."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.demo import DemoRefused, seed_demo
from homeward.accounts.models import Organisation, User
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.demo import seed_cases_demo
from homeward.stats import reports
from homeward.stats.choices import Family, Mechanism
from homeward.stats.demo import CITIZENSHIPS, DEMO_PREFIX, DEMO_REPORT, TABLE_1, seed_stats_demo
from homeward.stats.filters import ReportFilter
from homeward.stats.models import BudgetCharge, ImportedCase, Release

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    seed_demo()
    seed_cases_demo()


def test_the_demo_coordinator_releases_this_years_nationality_by_destination(
    demo: None,
) -> None:
    release = seed_stats_demo()
    assert release is not None
    coordinator = User.objects.get(username="tvaccoordinator")
    assert (release.report, release.created_by) == (DEMO_REPORT, coordinator)
    assert [org.code for org in release.organisations.all()] == ["TVAC"]
    year = timezone.localdate().year
    assert (release.params["date_from"], release.params["date_to"]) == (
        datetime.date(year, 1, 1).isoformat(), datetime.date(year, 12, 31).isoformat())
    assert (release.mechanism, release.epsilon) == (Mechanism.GEOMETRIC, 0.5)
    cells = [value for row in release.table["cells"] for value in row]
    assert cells
    assert all(isinstance(value, int) and value >= 0 for value in cells)
    charge = BudgetCharge.objects.get()
    assert (charge.release, charge.epsilon_milli) == (release, 500)
    assert charge.budget.family == Family.CASES
    assert charge.budget.organisation == release.organisations.get()
    assert AuditEntry.objects.filter(action=Action.CREATE, actor_id=coordinator.pk,
                                     target_id=str(release.pk)).exists()


def test_seeding_again_changes_nothing(demo: None) -> None:
    first = seed_stats_demo()
    assert seed_stats_demo() == first
    assert Release.objects.count() == 1
    assert BudgetCharge.objects.count() == 1


def test_nothing_without_the_demo_users() -> None:
    assert seed_stats_demo() is None
    assert not Release.objects.exists()


def test_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        seed_stats_demo()


def test_the_demo_researcher_reads_the_release_through_the_api(demo: None, login: Any) -> None:
    release = seed_stats_demo()
    assert release is not None
    client = login(User.objects.get(username="researcher"))  # Angel Coalition, a member
    body = client.get(reverse("api:stats-release-detail", kwargs={"pk": release.pk})).json()
    assert body["table"]["noisy"] is True
    assert body["organisations"] == ["TVAC"]
    assert client.get(reverse("stats:release-list")).status_code == 200


def test_seed_demo_makes_the_release_once() -> None:
    out = StringIO()
    call_command("seed-demo", stdout=out)
    assert "Statistics: 1 differentially private release(s)." in out.getvalue()
    call_command("seed-demo", stdout=StringIO())
    assert Release.objects.filter(report=DEMO_REPORT).count() == 1


def test_the_demo_year_holds_the_seeds_table_1_as_an_imported_caseload(demo: None) -> None:
    """85 invented, de-identified persons imported into TVAC as an HTCDS file:
    nationality by destination for the year is the seeds' Table 1 (on top of
    whatever the other demos opened), and seeding again imports nothing."""
    seed_stats_demo()
    tvac = Organisation.objects.get(code="TVAC")
    imported = ImportedCase.objects.filter(organisation=tvac,
                                           external_id__startswith=DEMO_PREFIX)
    assert imported.count() == sum(map(sum, TABLE_1.values())) == 85
    year = timezone.localdate().year
    counts = reports.get("nationality-by-destination").count(ReportFilter(
        organisations=(tvac.pk,), date_from=datetime.date(year, 1, 1),
        date_to=datetime.date(year, 12, 31),
    ))
    for destination, persons in TABLE_1.items():
        for citizenship, expected in zip(CITIZENSHIPS, persons, strict=True):
            assert counts.value(destination, citizenship) >= expected
    assert counts.value("TR", "RU") >= 28
    seed_stats_demo()
    assert imported.count() == 85
