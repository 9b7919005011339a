from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from homeward.accounts import services
from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _last_audit() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry


def test_organisation_create_records_an_audit_entry(cast):
    org = services.organisation_create(
        actor=cast.site_admin, code="AC-KZN", name_en="Kazan NGO", name_ru="НКО Казани",
        org_type="NGO", country="RU", city="Kazan",
    )
    assert Organisation.objects.get(code="AC-KZN") == org
    entry = _last_audit()
    assert (entry.action, entry.target_id) == ("record.create", str(org.pk))
    assert entry.actor_id == cast.site_admin.pk


def test_organisation_create_rejects_a_malformed_code(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=cast.site_admin, code="bad code", name_en="x", name_ru="x", org_type="NGO",
            country="RU",
        )
    assert "code" in excinfo.value.message_dict
    assert not Organisation.objects.filter(name_en="x").exists()


def test_organisation_update_audits_field_names_not_values(cast):
    services.organisation_update(
        actor=cast.site_admin, organisation=cast.home, city="Petrozavodsk", region="Karelia"
    )
    entry = _last_audit()
    assert entry.action == "record.update"
    assert entry.fields == ["city", "region"]
    assert "Petrozavodsk" not in str(entry.detail)


def test_organisation_update_without_changes_writes_nothing(cast):
    before = AuditEntry.objects.count()
    services.organisation_update(actor=cast.site_admin, organisation=cast.home, city=cast.home.city)
    assert AuditEntry.objects.count() == before


def test_member_create_makes_an_account_and_a_membership(cast):
    admin = cast.user(Role.ORG_ADMIN)
    membership = services.member_create(
        actor=admin, organisation=cast.home, username="newbie", first_name="Nina",
        last_name="Novak", email="", role=Role.SHELTER_STAFF, password="a long enough secret",
    )
    assert membership.organisation == cast.home
    assert membership.user.check_password("a long enough secret")
    assert membership.user.password.startswith("argon2")


def test_member_create_refuses_a_taken_user_name_and_changes_nothing(cast):
    count = User.objects.count()
    with pytest.raises(ValidationError):
        services.member_create(
            actor=cast.user(Role.ORG_ADMIN), organisation=cast.home,
            username="CASE_WORKER@HOME", first_name="a", last_name="b", email="",
            role=Role.CASE_WORKER, password="a long enough secret",
        )
    assert User.objects.count() == count


def test_membership_update_changes_role(cast):
    membership = cast.user(Role.CASE_WORKER).memberships.get()
    services.membership_update(
        actor=cast.user(Role.ORG_ADMIN), membership=membership, role=Role.COORDINATOR,
        is_active=True,
    )
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    assert _last_audit().fields == ["role"]


def test_last_administrator_cannot_be_demoted_or_removed(cast):
    admin_membership = cast.user(Role.ORG_ADMIN).memberships.get()
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=cast.site_admin, membership=admin_membership, role=Role.CASE_WORKER,
            is_active=True,
        )
    with pytest.raises(ValidationError):
        services.membership_delete(actor=cast.site_admin, membership=admin_membership)
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ORG_ADMIN


def test_membership_delete_keeps_the_account(cast):
    user = cast.user(Role.MEDICAL)
    services.membership_delete(actor=cast.user(Role.ORG_ADMIN), membership=user.memberships.get())
    assert not Membership.objects.filter(user=user).exists()
    assert User.objects.filter(pk=user.pk).exists()
    assert _last_audit().action == "record.delete"


def test_user_set_language_is_saved(cast):
    user = cast.user(Role.CASE_WORKER)
    services.user_set_language(user=user, language="ru")
    user.refresh_from_db()
    assert user.language == "ru"
