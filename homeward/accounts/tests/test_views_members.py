from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import Membership, User
from homeward.accounts.roles import Role
from homeward.accounts.sudo import SESSION_KEY

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(f"accounts:{name}", kwargs={"code": "HOME", **kwargs})


def test_admin_sees_members_and_their_two_factor_status(cast, login):
    TOTPDevice.objects.filter(user__username="medical@home").delete()
    response = login(cast.user(Role.ORG_ADMIN)).get(_url("member-list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "case_worker@home" in content
    assert "case_worker@away" not in content


def test_case_worker_may_not_manage_members(cast, login):
    assert login(cast.user(Role.CASE_WORKER)).get(_url("member-list")).status_code == 403


def test_outsider_admin_gets_404(cast, login):
    assert login(cast.user(Role.ORG_ADMIN, "away")).get(_url("member-list")).status_code == 404


def test_admin_adds_a_member(cast, login):
    response = login(cast.user(Role.ORG_ADMIN)).post(
        _url("member-create"),
        {
            "username": "nina", "first_name": "Nina", "last_name": "Novak", "email": "",
            "role": Role.SHELTER_STAFF, "password": "a long enough secret",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="nina").organisation == cast.home


def test_weak_password_is_refused_with_a_message(cast, login):
    response = login(cast.user(Role.ORG_ADMIN)).post(
        _url("member-create"),
        {"username": "nina", "first_name": "N", "last_name": "N", "role": Role.MEDICAL,
         "password": "short"},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not User.objects.filter(username="nina").exists()


def test_admin_changes_a_role(cast, login):
    membership = cast.user(Role.CASE_WORKER).memberships.get()
    response = login(cast.user(Role.ORG_ADMIN)).post(
        _url("member-edit", pk=membership.pk), {"role": Role.MEDICAL, "is_active": "on"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MEDICAL


def test_membership_of_another_organisation_is_404_even_with_own_code(cast, login):
    other = cast.user(Role.CASE_WORKER, "away").memberships.get()
    response = login(cast.user(Role.ORG_ADMIN)).get(_url("member-edit", pk=other.pk))
    assert response.status_code == 404


def test_removing_a_member_needs_the_password_again(cast, login):
    membership = cast.user(Role.CASE_WORKER).memberships.get()
    client = login(cast.user(Role.ORG_ADMIN))
    response = client.post(_url("member-delete", pk=membership.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_member_after_confirming(cast, login):
    import time

    membership = cast.user(Role.CASE_WORKER).memberships.get()
    client = login(cast.user(Role.ORG_ADMIN))
    session = client.session
    session[SESSION_KEY] = time.time() + 60
    session.save()
    response = client.post(_url("member-delete", pk=membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_admin_shows_an_error(cast, login):
    import time

    admin = cast.user(Role.ORG_ADMIN)
    client = login(admin)
    session = client.session
    session[SESSION_KEY] = time.time() + 60
    session.save()
    response = client.post(_url("member-delete", pk=admin.memberships.get().pk))
    assert response.status_code == 200
    assert b"at least one active administrator" in response.content
