from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.roles import Role
from homeward.directory.services import contact_point_create, entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_force(cast):
    entry = entry_create(
        actor=None, owner=cast.home, kind="task_force", name_en="Task force Istanbul",
        name_ru="Оперативная группа, Стамбул", country="TR", city="Istanbul",
        visibility="public",
    )
    contact_point_create(actor=None, entry=entry, label_en="Reception", label_ru="Приёмная",
                         phone="+90 212 555 0101", visibility="public")
    contact_point_create(actor=None, entry=entry, label_en="Duty officer", label_ru="Дежурный",
                         phone="+90 212 555 0199", is_24_7=True, visibility="restricted",
                         restricted_roles=["hotline_operator"])
    return entry


def test_anonymous_list_holds_public_entries_only(cast, task_force, client: Client):
    entry_create(actor=None, owner=cast.home, kind="ngo", name_en="Hidden", name_ru="Скрытая",
                 country="TR", visibility="coalition")
    body = client.get("/api/v1/directory/entries/").json()
    assert [e["name_en"] for e in body["results"]] == ["Task force Istanbul"]


def test_anonymous_detail_hides_restricted_lines(task_force, client: Client):
    body = client.get(f"/api/v1/directory/entries/{task_force.pk}/").json()
    assert [c["phone"] for c in body["contact_points"]] == ["+902125550101"]
    assert "+902125550199" not in str(body)


def test_operator_sees_the_restricted_line(cast, task_force, login):
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        f"/api/v1/directory/entries/{task_force.pk}/"
    ).json()
    assert {c["phone"] for c in body["contact_points"]} == {"+902125550101", "+902125550199"}


def test_search_parameter(task_force, client: Client):
    body = client.get("/api/v1/directory/entries/", {"q": "стамбул"}).json()
    assert body["count"] == 1


def test_who_can_help_for_an_operator(cast, task_force, login):
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        "/api/v1/directory/who-can-help/", {"country": "TR"}
    )
    assert response.status_code == 200
    assert response.json()[0]["contact"]["phone"] == "+902125550199"


def test_who_can_help_needs_a_valid_country(cast, login):
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        "/api/v1/directory/who-can-help/", {"country": "XX"}
    )
    assert response.status_code == 400


def test_who_can_help_is_not_anonymous(client: Client, db):
    assert client.get("/api/v1/directory/who-can-help/", {"country": "TR"}).status_code == 403


def test_signed_in_without_second_factor_is_refused(cast, task_force, client: Client):
    client.force_login(cast.user(Role.HOTLINE_OPERATOR))
    response = client.get(f"/api/v1/directory/entries/{task_force.pk}/")
    assert response.status_code == 403
