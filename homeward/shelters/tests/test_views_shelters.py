"""The network's shelters: every member reads the list and a shelter's page
(free beds counted from the stays); the address and contact only for those
who need them; the residents only for the shelter's side, without names;
describing a shelter is for its organisation's coordinators and
administrators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import totp_device
from homeward.shelters.choices import ShelterKind
from homeward.shelters.models import Shelter
from homeward.shelters.tests.factories import make_shelter
from homeward.shelters.tests.views_helpers import kazan, referral_to, stay_in

pytestmark = pytest.mark.django_db

LIST = "shelters:shelter-list"


def _url(name, shelter):
    return reverse(f"shelters:{name}", kwargs={"pk": shelter.pk})


def _form(**values):
    data = {
        "name_en": "Volga house", "name_ru": "Дом на Волге", "kind": ShelterKind.WOMEN,
        "entry": "", "country": "RU", "region": "Republic of Tatarstan", "city": "Kazan",
        "address": "ul. Pushkina 1", "contact": "+7 843 111-11-11", "min_age": "18",
        "max_age": "", "genders": ["Feminine"], "children_allowed": "on",
        "children_min_age_months": "12", "beds": "8", "cots": "2",
        "facilities": ["RoomAndBoard"], "is_open": "on", "notes": "",
    }
    data.update(values)
    return data


@pytest.fixture
def place():
    return kazan()


# Who may


def test_anonymous_is_sent_to_sign_in(client, place):
    for url in (reverse(LIST), _url("shelter-detail", place.shelter),
                reverse("shelters:shelter-create"), _url("shelter-edit", place.shelter)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_someone_who_is_no_member_gets_404_for_a_shelter(cast, login, place):
    stranger = User.objects.create_user(username="stranger")
    totp_device(stranger)
    client = login(stranger)
    assert client.get(_url("shelter-detail", place.shelter)).status_code == 404
    assert client.get(_url("shelter-edit", place.shelter)).status_code == 404
    assert place.shelter.name_en not in client.get(reverse(LIST)).content.decode()


def test_only_the_operating_organisations_managers_may_describe_it(cast, login, place):
    for user in (cast.user(Role.COORDINATOR, "away"), place.user(Role.SHELTER_STAFF),
                 place.user(Role.MEDICAL)):
        assert login(user).post(_url("shelter-edit", place.shelter),
                                _form()).status_code == 403
    assert login(cast.user(Role.CASE_WORKER)).get(
        reverse("shelters:shelter-create")).status_code == 403
    assert Shelter.objects.get(pk=place.shelter.pk).name_en == "Kazan safe house"


def test_shelter_pages_answer_405_to_other_methods(login, place):
    client = login(place.user(Role.COORDINATOR))
    assert client.post(reverse(LIST)).status_code == 405
    assert client.post(_url("shelter-detail", place.shelter)).status_code == 405
    assert client.put(_url("shelter-edit", place.shelter)).status_code == 405
    assert client.patch(reverse("shelters:shelter-create")).status_code == 405


# The list


def test_list_shows_free_beds_counted_from_the_stays(cast, login, place):
    stay_in(cast, place)
    text = login(cast.user(Role.CASE_WORKER, "away")).get(reverse(LIST)).content.decode()
    assert "Kazan safe house" in text
    assert "9 of 10" in text


def test_list_filters_by_kind_and_region(cast, login, place):
    make_shelter(cast.home, name_en="Moscow rehab", kind=ShelterKind.REHABILITATION_CENTER,
                 region="Moscow", city="Moscow")
    client = login(cast.user(Role.CASE_WORKER))
    text = client.get(reverse(LIST), {"kind": ShelterKind.REHABILITATION_CENTER}).content.decode()
    assert "Moscow rehab" in text
    assert "Kazan safe house" not in text
    text = client.get(reverse(LIST), {"region": "republic of tatarstan"}).content.decode()
    assert "Kazan safe house" in text
    assert "Moscow rehab" not in text


# A shelter's page


def test_address_shows_only_to_those_who_need_it(cast, login, place):
    address = place.shelter.address
    assert address not in login(cast.user(Role.CASE_WORKER, "away")).get(
        _url("shelter-detail", place.shelter)).content.decode()
    assert address in login(place.user(Role.SHELTER_STAFF)).get(
        _url("shelter-detail", place.shelter)).content.decode()
    referral_to(cast, place)  # HOME places someone there: HOME needs the address
    assert address in login(cast.user(Role.CASE_WORKER)).get(
        _url("shelter-detail", place.shelter)).content.decode()


def test_shelter_side_sees_residents_and_expected_people_by_case_code_only(
    cast, login, place
):
    stay = stay_in(cast, place)
    expected = referral_to(cast, place)
    text = login(place.user(Role.SHELTER_STAFF)).get(
        _url("shelter-detail", place.shelter)).content.decode()
    assert stay.case.code in text
    assert expected.case.code in text
    assert _url("stay-detail", stay) in text
    for person in (stay.case.person, expected.case.person):
        assert person.last_name not in text
        assert person.last_name_latin not in text


def test_others_do_not_see_who_stays_there(cast, login, place):
    stay = stay_in(cast, place)
    for user in (cast.user(Role.COORDINATOR, "away"), place.user(Role.ORG_ADMIN)):
        text = login(user).get(_url("shelter-detail", place.shelter)).content.decode()
        assert stay.case.code not in text


# Describing a shelter


def test_coordinator_adds_a_shelter_of_their_organisation(login, place):
    response = login(place.user(Role.COORDINATOR)).post(
        reverse("shelters:shelter-create"),
        _form(organisation=str(place.kzn.organisation.pk)),
    )
    assert response.status_code == 302
    shelter = Shelter.objects.get(name_en="Volga house")
    assert shelter.organisation == place.kzn.organisation
    assert (shelter.beds, shelter.genders, shelter.children_min_age_months) == (
        8, ["Feminine"], 12)


def test_capacity_below_the_beds_in_use_is_refused_with_nothing_changed(cast, login, place):
    stay_in(cast, place)
    stay_in(cast, place)
    response = login(place.user(Role.ORG_ADMIN)).post(
        _url("shelter-edit", place.shelter), _form(name_en="Renamed", beds="1"))
    assert response.status_code == 200
    assert 'field-invalid' in response.content.decode()
    stored = Shelter.objects.get(pk=place.shelter.pk)
    assert (stored.name_en, stored.beds) == ("Kazan safe house", 10)


def test_minimum_age_above_maximum_is_refused(login, place):
    response = login(place.user(Role.COORDINATOR)).post(
        _url("shelter-edit", place.shelter), _form(min_age="18", max_age="16"))
    assert response.status_code == 200
    assert "below the minimum age" in response.content.decode()


# The main navigation


def test_main_navigation_links_the_shelters_for_those_who_work_with_them(cast, login, place):
    link = f'href="{reverse(LIST)}"'
    for user in (cast.user(Role.CASE_WORKER), place.user(Role.SHELTER_STAFF),
                 place.user(Role.MEDICAL), place.user(Role.ORG_ADMIN)):
        assert link in login(user).get(reverse("accounts:dashboard")).content.decode(), user
    for user in (cast.user(Role.RESEARCHER), cast.user(Role.REINTEGRATION_WORKER)):
        assert link not in login(user).get(reverse("accounts:dashboard")).content.decode(), user
