"""The occupancy dashboard page: coordinators only, counts only, every chart
with its table."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case
from homeward.shelters.services import stays
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

URL = reverse("shelters:dashboard")


def _free_beds(html, shelter):
    row = re.search(rf'<tr data-shelter="{shelter.pk}">(.*?)</tr>', html, re.S)
    assert row, "the shelter has no row"
    cell = re.search(r"<td[^>]*data-free-beds>(\d+)</td>", row.group(1))
    assert cell, "the row has no free-beds cell"
    return int(cell.group(1))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL,
                                  Role.RESEARCHER, Role.ORG_ADMIN])
def test_refuses_every_role_but_coordinators(cast, login, role):
    assert login(cast.user(role)).get(URL).status_code == 403


def test_refuses_the_site_administrator(cast, login):
    assert login(cast.site_admin).get(URL).status_code == 403


def test_answers_405_to_other_methods(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(URL).status_code == 405
    assert client.patch(URL).status_code == 405


def test_a_coordinator_of_any_organisation_sees_the_whole_network(cast, login):
    """The dashboard has no outsider: counts of every shelter are shared."""
    kzn = shelter_organisation()
    kazan = make_shelter(kzn.organisation, name_en="Kazan house", beds=10)
    html = login(cast.user(Role.COORDINATOR, "away")).get(URL).content.decode()
    assert "Kazan house" in html
    assert _free_beds(html, kazan) == 10


def test_an_admission_leaves_one_bed_fewer(cast, login):
    kazan = make_shelter(cast.home, name_en="Kazan house", beds=10)
    client = login(cast.user(Role.COORDINATOR))
    assert _free_beds(client.get(URL).content.decode(), kazan) == 10
    case = open_case(cast, last_name="Приехавшая")
    stays.stay_admit(actor=cast.user(Role.COORDINATOR), shelter=kazan, case=case,
                     admitted_on=timezone.localdate() - datetime.timedelta(days=1))
    html = client.get(URL).content.decode()
    assert _free_beds(html, kazan) == 9
    assert case.code not in html
    assert "Приехавшая" not in html


def test_every_chart_has_its_table_and_no_inline_script(cast, login):
    make_shelter(cast.home, name_en="Kazan house")
    html = login(cast.user(Role.COORDINATOR)).get(URL).content.decode()
    charts = re.findall(r"<canvas [^>]*data-chart=", html)
    assert len(charts) == 4
    assert html.count("<table") >= len(charts)
    assert 'id="dashboard-data" type="application/json"' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "shelters/js/dashboard-charts.js" in html
    assert "vendor/chartjs-4.5.0/chart.umd.min.js" in html
