from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_list_shows_only_own_organisations(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).get(reverse("accounts:organisation-list"))
    assert response.status_code == 200
    assert b"Home NGO" in response.content
    assert b"Away NGO" not in response.content


def test_list_searches_by_city_and_name(cast, login):
    client = login(cast.site_admin)
    response = client.get(reverse("accounts:organisation-list"), {"q": "away"})
    assert b"Away NGO" in response.content
    assert b"Home NGO" not in response.content


def test_detail_shows_names_in_both_languages(cast, login):
    response = login(cast.user(Role.RESEARCHER)).get(
        reverse("accounts:organisation-detail", kwargs={"code": "HOME"})
    )
    assert "Домашняя НКО" in response.content.decode()
    assert b"Home NGO" in response.content


def test_detail_of_another_organisation_is_404(cast, login):
    response = login(cast.user(Role.ORG_ADMIN)).get(
        reverse("accounts:organisation-detail", kwargs={"code": "AWAY"})
    )
    assert response.status_code == 404


def test_site_admin_creates_an_organisation(cast, login):
    response = login(cast.site_admin).post(
        reverse("accounts:organisation-create"),
        {
            "code": "SH-KZN", "name_ru": "Убежище", "name_en": "Shelter", "org_type": "x_Shelter",
            "country": "RU", "region": "Tatarstan", "city": "Kazan",
            "is_coalition_member": "on", "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(code="SH-KZN").city == "Kazan"


def test_create_with_bad_input_shows_errors_and_saves_nothing(cast, login):
    response = login(cast.site_admin).post(
        reverse("accounts:organisation-create"),
        {"code": "lower case", "name_ru": "", "name_en": "", "org_type": "NGO", "country": "XX"},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Organisation.objects.filter(code="lower case").exists()


def test_create_is_forbidden_to_org_admins(cast, login):
    response = login(cast.user(Role.ORG_ADMIN)).get(reverse("accounts:organisation-create"))
    assert response.status_code == 403


def test_site_admin_edits_an_organisation(cast, login):
    url = reverse("accounts:organisation-edit", kwargs={"code": "HOME"})
    client = login(cast.site_admin)
    data = {
        "code": "HOME", "name_ru": "Домашняя НКО", "name_en": "Home NGO renamed",
        "org_type": "NGO", "country": "RU", "region": "", "city": "Moscow", "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    cast.home.refresh_from_db()
    assert cast.home.name_en == "Home NGO renamed"
    assert cast.home.is_coalition_member is False


def test_create_answers_405_to_delete(cast, login):
    response = login(cast.site_admin).delete(reverse("accounts:organisation-create"))
    assert response.status_code == 405
