from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from homeward.accounts.models import Membership, Organisation
from homeward.accounts.roles import Role
from homeward.core import access

pytestmark = pytest.mark.django_db


def test_members_see_only_their_own_organisations(cast):
    visible = set(access.for_user(cast.user(Role.CASE_WORKER), Organisation))
    assert visible == {cast.home}


def test_site_admin_sees_every_organisation(cast):
    assert set(access.for_user(cast.site_admin, Organisation)) == {cast.home, cast.away}


def test_anonymous_and_inactive_users_see_nothing(cast):
    assert not access.for_user(AnonymousUser(), Organisation).exists()
    user = cast.user(Role.CASE_WORKER)
    user.is_active = False
    assert not access.for_user(user, Organisation).exists()


def test_deactivated_membership_loses_access(cast):
    user = cast.user(Role.CASE_WORKER)
    Membership.objects.filter(user=user).update(is_active=False)
    assert not access.for_user(user, Organisation).exists()


def test_get_for_user_answers_404_for_missing_and_for_forbidden_alike(cast):
    user = cast.user(Role.CASE_WORKER)
    with pytest.raises(Http404):
        access.get_for_user(user, Organisation, code=cast.away.code)
    with pytest.raises(Http404):
        access.get_for_user(user, Organisation, code="NO-SUCH")
    assert access.get_for_user(user, Organisation, code=cast.home.code) == cast.home


def test_a_model_without_a_scope_is_refused(cast):
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(ImproperlyConfigured):
        access.for_user(cast.site_admin, ContentType)


def test_memberships_are_scoped_to_the_users_organisations(cast):
    visible = access.for_user(cast.user(Role.ORG_ADMIN), Membership)
    assert {m.organisation for m in visible} == {cast.home}
