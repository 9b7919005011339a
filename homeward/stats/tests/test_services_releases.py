"""Differentially private releases and the privacy-budget ledger
(``services.releases.release_create``)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.stats.categories import fixed
from homeward.stats.choices import OTHERS, UNKNOWN, Family, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.models import BudgetCharge, PrivacyBudget, Release
from homeward.stats.publication import release_table
from homeward.stats.reports import Report
from homeward.stats.services.releases import release_create
from homeward.stats.tables import Counts, Dimension

pytestmark = pytest.mark.django_db


def _count(report_filter: ReportFilter) -> Counts:
    return Counts(
        rows=["RU", "TR"], columns=["KZ", "UZ"],
        cells={("RU", "KZ"): 30, ("RU", "UZ"): 2, ("TR", "KZ"): 0, ("TR", "UZ"): 14},
    )


SAMPLE = Report(
    name="sample", title="Sample", family=Family.CASES,
    rows=Dimension("Destination", str, countries=True, categories=fixed(["RU", "TR"])),
    columns=Dimension("Citizenship", str, countries=True,
                      categories=fixed(["KZ", "UZ"], unknown=False)),
    count=_count, unit="persons", method="", sensitivity=2,
)
CTDC_SAMPLE = Report(
    name="ctdc-sample", title="CTDC sample", family=Family.CTDC,
    rows=Dimension("Region", str, categories=fixed(["RU", "TR"], unknown=False)),
    columns=Dimension("Region", str, categories=fixed(["KZ", "UZ"], unknown=False)),
    count=_count, unit="persons", method="",
)


def create(cast, *, epsilon: Decimal | float | str = 1, organisations=None, report=SAMPLE,
           actor=None, seed: int = 1, mechanism: str = Mechanism.GEOMETRIC) -> Release:
    return release_create(
        actor=actor or cast.user(Role.COORDINATOR),
        report=report,
        filter=ReportFilter(organisations=organisations or (cast.home.pk,)),
        epsilon=epsilon,
        mechanism=mechanism,
        note="  for the TIP report ",
        rng=random.Random(seed),
    )


def test_release_stores_a_noisy_non_negative_integer_table(cast) -> None:
    release = create(cast, epsilon="0.5")
    assert release.table["rows"] == ["RU", "TR", UNKNOWN]
    assert release.table["columns"] == ["KZ", "UZ"]
    values = [value for row in release.table["cells"] for value in row]
    assert all(isinstance(value, int) and value >= 0 for value in values)
    assert release.epsilon_milli == 500
    assert release.note == "for the TIP report"
    assert list(release.organisations.all()) == [cast.home]


def test_release_table_totals_are_sums_of_the_noisy_cells(cast) -> None:
    table = release_table(create(cast))
    for row in table.rows:
        assert table.row_totals[row].value == sum(
            table.cell(row, column).value or 0 for column in table.columns)
    assert table.total.value == sum(cell.value or 0 for cell in table.cells.values())
    assert table.noisy
    assert table.epsilon == 1.0


def test_the_same_release_shows_the_same_numbers(cast) -> None:
    release = create(cast)
    first = release_table(Release.objects.get(pk=release.pk))
    second = release_table(Release.objects.get(pk=release.pk))
    assert first.cells == second.cells
    assert first.total == second.total


def test_release_charges_the_ledger_of_every_counted_dataset(cast, settings) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    from homeward.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=coordinator, organisation=cast.away, role=Role.COORDINATOR)
    release = create(cast, epsilon="1.25", organisations=(cast.home.pk, cast.away.pk))
    charges = BudgetCharge.objects.filter(release=release)
    assert sorted(charge.budget.organisation_id or 0 for charge in charges) == sorted(
        [cast.home.pk, cast.away.pk])
    assert {charge.epsilon_milli for charge in charges} == {1250}
    budget = PrivacyBudget.objects.get(family=Family.CASES, organisation=cast.home)
    assert budget.epsilon_total_milli == settings.HOMEWARD_DP_BUDGET_MILLI


def test_refuses_a_release_when_the_budget_is_exhausted(cast) -> None:
    create(cast, epsilon=3)
    create(cast, epsilon=2)  # 5 of 5 spent
    with pytest.raises(ValidationError) as refused:
        create(cast, epsilon="0.1")
    assert "left" in str(refused.value)
    assert Release.objects.count() == 2
    assert BudgetCharge.objects.count() == 2


def test_refusal_spends_nothing_on_any_dataset(cast) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    from homeward.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=coordinator, organisation=cast.away, role=Role.COORDINATOR)
    create(cast, epsilon="4.5", organisations=(cast.away.pk,))
    with pytest.raises(ValidationError):
        create(cast, epsilon=1, organisations=(cast.home.pk, cast.away.pk))
    assert not BudgetCharge.objects.filter(budget__organisation=cast.home).exists()


def test_budgets_are_per_family(cast) -> None:
    create(cast, epsilon=5)
    hotline = Report(
        name="hotline-sample", title="x", family=Family.HOTLINE,
        rows=SAMPLE.rows, columns=SAMPLE.columns, count=_count, unit="contacts", method="",
    )
    create(cast, epsilon=5, report=hotline)
    assert PrivacyBudget.objects.count() == 2


def test_ctdc_release_spends_the_reference_data_budget(cast) -> None:
    release = create(cast, report=CTDC_SAMPLE)
    budget = BudgetCharge.objects.get(release=release).budget
    assert budget.family == Family.CTDC
    assert budget.organisation is None


def test_release_is_audited_with_its_parameters(cast) -> None:
    release = create(cast, epsilon="0.75", mechanism=Mechanism.LAPLACE)
    entry = AuditEntry.objects.get(action=Action.CREATE, target_id=str(release.pk),
                                   target_type="stats.Release")
    assert entry.detail["report"] == "sample"
    assert entry.detail["mechanism"] == "laplace"
    assert entry.detail["epsilon"] == "0.75"
    assert entry.detail["organisations"] == str(cast.home.pk)
    assert entry.detail["sensitivity"] == 2


def test_researcher_may_not_release(cast) -> None:
    with pytest.raises(PermissionDenied):
        create(cast, actor=cast.user(Role.RESEARCHER))
    assert not Release.objects.exists()


def test_coordinator_may_not_release_another_organisations_figures(cast) -> None:
    with pytest.raises(PermissionDenied):
        create(cast, organisations=(cast.home.pk, cast.away.pk))
    assert not BudgetCharge.objects.exists()


@pytest.mark.parametrize("epsilon", [0, "-1", "0.0001", "abc"])
def test_refuses_epsilon_that_is_not_positive(cast, epsilon) -> None:
    with pytest.raises(ValidationError):
        create(cast, epsilon=epsilon)


def test_refuses_an_unknown_mechanism(cast) -> None:
    with pytest.raises(ValidationError):
        create(cast, mechanism="gaussian")


def test_epsilon_is_recorded_exactly(cast) -> None:
    assert create(cast, epsilon=Decimal("0.333")).epsilon_milli == 333


def test_budget_list_shows_spent_and_remaining_per_dataset(cast) -> None:
    from homeward.stats.selectors import budget_list_for_user

    create(cast, epsilon="1.5")
    states = {
        (state.family, state.organisation.code if state.organisation else None): state
        for state in budget_list_for_user(user=cast.user(Role.RESEARCHER))
    }
    home = states[(Family.CASES, "HOME")]
    assert home.spent == Decimal("1.5")
    assert home.remaining == Decimal("3.5")
    # Datasets not yet spent from show the full budget; CTDC has no organisation.
    assert states[(Family.HOTLINE, "HOME")].remaining == Decimal(5)
    assert (Family.CTDC, None) in states


def test_budget_list_is_empty_for_users_who_read_no_reports(cast) -> None:
    from homeward.stats.selectors import budget_list_for_user

    create(cast)
    assert budget_list_for_user(user=cast.user(Role.CASE_WORKER)) == []


def test_release_shows_every_category_and_only_those(cast, settings) -> None:
    """Which rows and columns a noisy release has never depends on who is in
    the records: every category of the closed list is there (with noise
    where nobody is), and a country outside the public list is folded into
    "other countries"."""

    def count(report_filter: ReportFilter) -> Counts:
        return Counts(rows=["RU", "ZZ"], columns=["KZ"],
                      cells={("RU", "KZ"): 40, ("ZZ", "KZ"): 3})

    report = Report(
        name="folded", title="Folded", family=Family.CASES,
        rows=Dimension("Destination", str, countries=True,
                       categories=fixed(["RU", "TR", OTHERS])),
        columns=Dimension("Citizenship", str, categories=fixed(["KZ"], unknown=False)),
        count=count, unit="persons", method="",
    )
    settings.HOMEWARD_DP_BUDGET_MILLI = 10_000_000
    release = create(cast, report=report, epsilon=1000)
    assert release.table["rows"] == ["RU", "TR", OTHERS, UNKNOWN]
    assert release.table["columns"] == ["KZ"]
    # With a huge epsilon the noise is nil: the folded count is where it belongs.
    assert release.table["cells"] == [[40], [0], [3], [0]]


def test_refuses_a_noisy_release_of_a_report_with_open_categories(cast) -> None:
    report = Report(
        name="cities", title="Cities", family=Family.CASES,
        rows=Dimension("City", str), columns=Dimension("Persons", str),
        count=_count, unit="persons", method="",
    )
    with pytest.raises(ValidationError):
        create(cast, report=report)
    assert not Release.objects.exists()
    assert not BudgetCharge.objects.exists()
