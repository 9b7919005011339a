"""The report filter form: the organisations a user counts and no more, k
never below the user's floor, and the filter it builds."""

from __future__ import annotations

import datetime
import typing
from typing import Any

import pytest
from django.http import QueryDict

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from homeward.stats import reports
from homeward.stats.choices import DateBasis, Family, Minority
from homeward.stats.filters import ReportFilter
from homeward.stats.forms import AbstractForm, FilterForm
from homeward.stats.reports import Report
from homeward.stats.tables import Counts, Dimension

pytestmark = pytest.mark.django_db


def _report(family: str = Family.CASES) -> Report:
    dimension = Dimension(title="Things", label=str)
    return Report(name=f"test-{family}", title="Test", family=family, rows=dimension,
                  columns=dimension, count=lambda _filter: Counts([], [], {}), unit="persons",
                  method="Counted.")


def _partner() -> Organisation:
    return typing.cast(Organisation,
                       OrganisationFactory(code="PART", is_coalition_member=False))


def _form(user: Any, query: str = "", report: Report | None = None) -> FilterForm:
    return FilterForm(QueryDict(query), user=user, report=report or _report())


def test_offers_the_organisations_the_user_counts_and_defaults_to_all(cast):
    form = _form(cast.user(Role.RESEARCHER))
    assert form.is_valid(), form.errors
    assert "organisations" in form.fields
    assert set(form.countable) == {cast.home, cast.away}
    assert form.report_filter().organisations == tuple(sorted((cast.home.pk, cast.away.pk)))
    assert form.min_cell() == 11


def test_refuses_an_organisation_the_user_does_not_count(cast):
    partner = _partner()
    form = _form(cast.user(Role.RESEARCHER), f"organisations={partner.pk}")
    assert not form.is_valid()
    assert "organisations" in form.errors


def test_narrows_to_the_chosen_organisation(cast):
    form = _form(cast.user(Role.COORDINATOR), f"organisations={cast.home.pk}")
    assert form.is_valid(), form.errors
    assert form.report_filter().organisations == (cast.home.pk,)


def test_hides_k_from_researchers(cast):
    form = _form(cast.user(Role.RESEARCHER), "min_cell=1")
    assert "min_cell" not in form.fields
    assert form.is_valid()
    assert form.min_cell() == 11


def test_lets_a_coordinator_lower_k_on_the_figures_of_their_own_organisation(cast):
    form = _form(cast.user(Role.COORDINATOR), f"organisations={cast.home.pk}&min_cell=1")
    assert form.is_valid(), form.errors
    assert form.min_cell() == 1


def test_refuses_k_below_11_on_another_organisations_figures(cast):
    # HOME's coordinator counts AWAY too (both coalition members) but
    # coordinates only HOME.
    form = _form(cast.user(Role.COORDINATOR), "min_cell=3")
    assert not form.is_valid()
    assert "min_cell" in form.errors
    away_only = _form(cast.user(Role.COORDINATOR), f"organisations={cast.away.pk}&min_cell=10")
    assert not away_only.is_valid()


def test_refuses_k_below_1(cast):
    form = _form(cast.user(Role.COORDINATOR), f"organisations={cast.home.pk}&min_cell=0")
    assert not form.is_valid()


def test_builds_the_filter_from_every_field(cast):
    form = _form(
        cast.user(Role.COORDINATOR),
        f"organisations={cast.home.pk}&date_from=2026-01-01&date_to=2026-12-31"
        "&basis=identification&region=+Astrakhan+&sex=Feminine&age_band=20-24&minority=adult",
    )
    assert form.is_valid(), form.errors
    assert form.report_filter() == ReportFilter(
        organisations=(cast.home.pk,), date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31), basis=DateBasis.IDENTIFICATION,
        region="Astrakhan", sex="Feminine", age_band="20-24", minority=Minority.ADULT,
    )


def test_refuses_a_period_that_ends_before_it_starts(cast):
    form = _form(cast.user(Role.RESEARCHER), "date_from=2026-05-01&date_to=2026-04-01")
    assert not form.is_valid()


def test_offers_the_dataset_only_for_ctdc_reports_and_no_organisations(cast):
    user = cast.user(Role.RESEARCHER)
    ctdc = _form(user, report=_report(Family.CTDC))
    assert "dataset" in ctdc.fields
    assert "organisations" not in ctdc.fields
    assert "basis" not in ctdc.fields
    cases = _form(user)
    assert "dataset" not in cases.fields
    assert "basis" in cases.fields


def test_shows_no_organisation_choice_to_a_partners_reader(cast):
    partner = _partner()
    reader = UserFactory(username="reader@part")
    MembershipFactory(user=reader, organisation=partner, role=Role.RESEARCHER)
    form = _form(reader)
    assert "organisations" not in form.fields
    assert form.is_valid()
    assert form.report_filter().organisations == (partner.pk,)


def test_abstract_form_takes_a_language_and_the_case_filters(cast):
    form = AbstractForm(QueryDict("date_from=2026-01-01&date_to=2026-12-31&language=ru"),
                        user=cast.user(Role.RESEARCHER))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"] == "ru"
    assert "dataset" not in form.fields
    assert form.report_filter().date_to == datetime.date(2026, 12, 31)


def test_every_registered_report_gets_a_valid_default_form(cast):
    user = cast.user(Role.COORDINATOR)
    for report in reports.all_reports():
        form = FilterForm(QueryDict(""), user=user, report=report)
        assert form.is_valid(), (report.name, form.errors)


@pytest.mark.parametrize(("family", "offered", "not_offered"), [
    (Family.HOTLINE, {"region"}, {"sex", "age_band", "minority", "basis"}),
    (Family.CTDC, {"sex", "minority"}, {"region", "age_band", "basis"}),
    (Family.SHELTERS, {"region", "sex", "age_band", "minority"}, {"basis"}),
])
def test_offers_only_the_filters_the_familys_records_answer(cast, family, offered, not_offered):
    form = _form(cast.user(Role.RESEARCHER), report=_report(family))
    assert offered <= set(form.fields)
    assert not not_offered & set(form.fields)
