from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_me_describes_the_user_and_memberships(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).get(reverse("api:me"))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "case_worker@home"
    assert body["memberships"] == [
        {"id": body["memberships"][0]["id"], "username": "case_worker@home",
         "full_name": body["full_name"], "organisation": "HOME", "role": "case_worker",
         "is_active": True}
    ]


def test_anonymous_api_call_is_refused(client: Client):
    assert client.get(reverse("api:me")).status_code == 403


def test_organisation_list_is_scoped(cast, login):
    body = login(cast.user(Role.RESEARCHER)).get(reverse("api:organisation-list")).json()
    assert [org["code"] for org in body["results"]] == ["HOME"]


def test_organisation_detail_of_another_organisation_is_404(cast, login):
    url = reverse("api:organisation-detail", kwargs={"code": "AWAY"})
    assert login(cast.user(Role.ORG_ADMIN)).get(url).status_code == 404


def test_member_list_for_admins_only(cast, login):
    url = reverse("api:member-list", kwargs={"code": "HOME"})
    assert login(cast.user(Role.CASE_WORKER)).get(url).status_code == 403
    body = login(cast.user(Role.ORG_ADMIN)).get(url).json()
    assert len(body["results"]) == len(Role.values)


def test_api_refuses_writes(cast, login):
    url = reverse("api:organisation-list")
    response = login(cast.site_admin).post(url, {}, content_type="application/json")
    assert response.status_code == 405


def test_schema_lists_the_operations(cast, login):
    response = login(cast.user(Role.RESEARCHER)).get(reverse("api:schema"))
    assert response.status_code == 200
    assert b"/api/v1/organisations/{code}/members/" in response.content
