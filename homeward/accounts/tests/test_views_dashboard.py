from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_names_role_and_organisation(cast, login):
    response = login(cast.user(Role.SHELTER_STAFF)).get(reverse("accounts:dashboard"))
    content = response.content.decode()
    assert "Shelter staff" in content
    assert "Home NGO" in content
    assert "Members by role" not in content


def test_org_admin_dashboard_shows_members_and_recent_activity(cast, login):
    response = login(cast.user(Role.ORG_ADMIN)).get(reverse("accounts:dashboard"))
    content = response.content.decode()
    assert "Members by role" in content
    assert "Recent activity in your organisation" in content


def test_site_admin_dashboard_counts_organisations(cast, login):
    response = login(cast.site_admin).get(reverse("accounts:dashboard"))
    assert "2 organisations are registered" in response.content.decode()


def test_dashboard_in_russian_for_a_user_who_chose_russian(cast, login):
    user = cast.user(Role.CASE_WORKER)
    user.language = "ru"
    user.save()
    response = login(user).get(reverse("accounts:dashboard"))
    assert '<html lang="ru">' in response.content.decode()


def test_user_with_two_organisations_switches_between_them(cast, login):
    user = cast.user(Role.CASE_WORKER)
    second = MembershipFactory.create(user=user, organisation=cast.away, role=Role.COORDINATOR)
    client = login(user)
    response = client.post(reverse("accounts:switch-organisation"), {"membership": second.pk})
    assert response.status_code == 302
    content = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Coordinator" in content
    assert "Away NGO" in content


def test_switching_to_a_membership_that_is_not_yours_is_ignored(cast, login):
    foreign = cast.user(Role.COORDINATOR, "away").memberships.get()
    client = login(cast.user(Role.CASE_WORKER))
    client.post(reverse("accounts:switch-organisation"), {"membership": foreign.pk})
    content = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Away NGO" not in content


def test_security_page_lists_recent_sign_ins(cast, login):
    from homeward.audit.services import Action, audit_record

    user = cast.user(Role.CASE_WORKER)
    audit_record(action=Action.LOGIN_FAILURE, actor=user, ip="203.0.113.9")
    response = login(user).get(reverse("accounts:security"))
    assert "203.0.113.9" in response.content.decode()
