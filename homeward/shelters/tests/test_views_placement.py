"""Placement search and asking a shelter to take the person (the case side)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentPurpose, TeamRole
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.shelters.choices import ReferralStatus, ShelterKind
from homeward.shelters.models import ShelterReferral
from homeward.shelters.services import stays
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

TATARSTAN = "Republic of Tatarstan"


def _search(case, **query):
    return reverse("shelters:placement-search", kwargs={"code": case.code}), query


def _refer_url(case, shelter):
    return reverse("shelters:referral-create", kwargs={"code": case.code,
                                                       "shelter_pk": shelter.pk})


def _section(html, section_id):
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def network(cast):
    """A women's house in Kazan (children from 1 year), the IOM rehabilitation
    center in Moscow (no infants under 1 year), a full house in Moscow."""
    kazan = make_shelter(cast.home, name_en="Kazan women's house")
    rehab = make_shelter(
        cast.home, name_en="IOM Rehabilitation Center", kind=ShelterKind.REHABILITATION_CENTER,
        region="Moscow", city="Moscow", children_min_age_months=12, beds=20, cots=2,
    )
    full = make_shelter(cast.home, name_en="Full house", region="Moscow", city="Moscow",
                        beds=1, cots=0)
    stays.stay_admit(actor=cast.user(Role.COORDINATOR), shelter=full, case=open_case(cast),
                     admitted_on=timezone.localdate() - datetime.timedelta(days=3))
    return {"kazan": kazan, "rehab": rehab, "full": full}


# --- access -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(cast, client):
    case = open_case(cast)
    url, _query = _search(case)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404(cast, login, network):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER, "away"))
    url, _query = _search(case)
    assert client.get(url).status_code == 404
    assert client.get(_refer_url(case, network["kazan"])).status_code == 404
    response = client.post(_refer_url(case, network["kazan"]),
                           {"needed_from": timezone.localdate().isoformat()})
    assert response.status_code == 404
    assert not ShelterReferral.objects.exists()


def test_team_member_who_does_not_manage_the_case_gets_403(cast, login, network):
    case = open_case(cast)
    worker = cast.user(Role.REINTEGRATION_WORKER)
    case_services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=worker,
                              role=TeamRole.REINTEGRATION)
    client = login(worker)
    url, _query = _search(case)
    assert client.get(url).status_code == 403
    response = client.post(_refer_url(case, network["kazan"]),
                           {"needed_from": timezone.localdate().isoformat()})
    assert response.status_code == 403
    assert not ShelterReferral.objects.exists()


def test_search_answers_405_to_post(cast, login):
    case = open_case(cast)
    url, _query = _search(case)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(url).status_code == 405
    assert client.put(_refer_url(case, make_shelter(cast.home))).status_code == 405


# --- the search -------------------------------------------------------------------


def test_mother_with_a_six_month_old_is_not_offered_the_rehabilitation_center(
    cast, login, network
):
    case = open_case(cast)
    url, query = _search(case, children_months="6 months")
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    excluded = _section(html, "excluded")
    assert "IOM Rehabilitation Center" in excluded
    assert "No infants under 1 year" in excluded
    assert "IOM Rehabilitation Center" not in _section(html, "fits")


def test_fitting_shelters_come_first_with_ask_this_shelter(cast, login, network):
    case = open_case(cast)
    url, query = _search(case, children_months="2 years")
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    fits = _section(html, "fits")
    assert "Kazan women&#x27;s house" in fits
    assert "IOM Rehabilitation Center" in fits
    assert _refer_url(case, network["kazan"]) in fits
    assert "Ask this shelter" in fits
    # Children are carried to the request as the person wrote them.
    assert 'name="children_months" value="2 years"' in fits
    assert html.index("Can take the person now") < html.index("Cannot take this person")


def test_a_full_shelter_is_excluded_for_lack_of_a_bed(cast, login, network):
    case = open_case(cast)
    url, query = _search(case)
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    excluded = _section(html, "excluded")
    assert "Full house" in excluded
    assert "No free bed" in excluded


def test_a_minor_is_not_offered_adults_only_houses(cast, login, network):
    case = open_minor_case(cast)
    url, query = _search(case)
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    assert "Adults only (18+)" in _section(html, "excluded")
    assert "No shelter of the network can take the person now." in html
    assert reverse("shelters:waiting-add", kwargs={"code": case.code}) in html


def test_not_in_the_home_region_excludes_the_person_s_region(cast, login, network):
    case = open_case(cast, origin_region=TATARSTAN)
    client = login(cast.user(Role.CASE_WORKER))
    url, query = _search(case, avoid_home_region="on")
    html = client.get(url, query).content.decode()
    assert f"Not in the home region ({TATARSTAN})" in html
    excluded = _section(html, "excluded")
    assert "Kazan women&#x27;s house" in excluded
    assert "In the region to avoid" in excluded


def test_the_preferred_region_comes_first(cast, login, network):
    make_shelter(cast.home, name_en="Moscow women's house", region="Moscow", city="Moscow",
                 beds=3)
    case = open_case(cast)
    url, query = _search(case, prefer_region="Moscow")
    fits = _section(login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode(), "fits")
    assert fits.index("IOM Rehabilitation Center") < fits.index("Kazan women&#x27;s house")


def test_nothing_fits_offers_the_waiting_list_with_the_needs(cast, login, network):
    case = open_case(cast)
    url, query = _search(case, children_months="4 months", needs_accessibility="on")
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    assert "No shelter of the network can take the person now." in html
    waiting = reverse("shelters:waiting-add", kwargs={"code": case.code})
    assert f"{waiting}?children_months=4+months&amp;needs_accessibility=on" in html


def test_an_unreadable_age_is_shown_on_the_form(cast, login, network):
    case = open_case(cast)
    url, query = _search(case, children_months="baby")
    html = login(cast.user(Role.CASE_WORKER)).get(url, query).content.decode()
    assert "is not an age" in html
    assert 'id="fits"' not in html


def test_the_search_is_audited_as_a_view_of_the_case(cast, login, network):
    case = open_case(cast)
    url, query = _search(case)
    login(cast.user(Role.CASE_WORKER)).get(url, query)
    assert AuditEntry.objects.filter(action=Action.VIEW, target_id=str(case.pk),
                                     detail__tab="shelter").exists()


# --- asking a shelter ---------------------------------------------------------------


def test_ask_this_shelter_sends_the_request_with_the_children(cast, login, network):
    case = open_case(cast)
    needed = timezone.localdate() + datetime.timedelta(days=2)
    response = login(cast.user(Role.CASE_WORKER)).post(_refer_url(case, network["kazan"]), {
        "needed_from": needed.isoformat(), "children_months": "2 years, 18 months",
        "note": "Arrives by train.",
    })
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("shelters:case-shelter", kwargs={"code": case.code}))
    referral = ShelterReferral.objects.get(case=case)
    assert referral.shelter == network["kazan"]
    assert referral.status == ReferralStatus.PENDING
    assert referral.needed_from == needed
    assert referral.children_months == [24, 18]
    assert referral.note == "Arrives by train."


def test_a_refused_request_is_shown_on_the_form_and_nothing_is_sent(cast, login, network):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_refer_url(case, network["rehab"]), {
        "needed_from": timezone.localdate().isoformat(), "children_months": "6 months",
    })
    assert response.status_code == 200
    assert "No infants under 1 year" in response.content.decode()
    assert not ShelterReferral.objects.exists()


def test_a_shelter_of_another_organisation_needs_the_person_s_consent(cast, login):
    kzn = shelter_organisation()
    kazan = make_shelter(kzn.organisation, name_en="KZN house")
    case = open_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    client = login(worker)
    data = {"needed_from": timezone.localdate().isoformat()}
    response = client.post(_refer_url(case, kazan), data)
    assert response.status_code == 200
    assert "has not consented" in response.content.decode()
    assert not ShelterReferral.objects.exists()
    give_consent(case, worker, ConsentPurpose.DATA_SHARING, organisation=kzn.organisation)
    assert client.post(_refer_url(case, kazan), data).status_code == 302
    assert ShelterReferral.objects.filter(case=case, shelter=kazan).exists()


def test_the_request_form_opens_with_the_searched_needs(cast, login, network):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).get(
        _refer_url(case, network["kazan"]),
        {"children_months": "2 years", "needs_accessibility": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2 years"' in html
    assert "Kazan women&#x27;s house" in html
