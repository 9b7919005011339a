"""The directory's write services and the selectors that decide who edits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory import services
from homeward.directory.models import ContactPoint, Entry, Service, Visibility
from homeward.directory.selectors import (
    can_edit_entry,
    editable_owners,
    stale_entries_for_user,
)

pytestmark = pytest.mark.django_db


def _entry(owner, **values):
    defaults = {
        "kind": "ngo", "name_en": "Safe Harbour", "name_ru": "Тихая гавань",
        "country": "RU", "city": "Moscow", "visibility": Visibility.COALITION,
    }
    return services.entry_create(actor=None, owner=owner, **{**defaults, **values})


def _audit_for(obj, action):
    return AuditEntry.objects.filter(
        action=action, target_type=obj._meta.label, target_id=str(obj.pk)
    )


def test_create_writes_one_audit_row_without_values(cast):
    actor = cast.user(Role.COORDINATOR)
    entry = services.entry_create(
        actor=actor, owner=cast.home, kind="shelter", name_en="Safe Harbour",
        name_ru="Тихая гавань", country="RU", city="Moscow",
        services=Service.objects.filter(code="shelter"),
    )
    row = _audit_for(entry, Action.CREATE).get()
    assert row.actor_id == actor.pk
    assert row.organisation_code == "HOME"
    assert "Safe Harbour" not in str(row.detail)
    assert list(entry.services.values_list("code", flat=True)) == ["shelter"]


def test_update_audits_the_names_of_changed_fields_only(cast):
    entry = _entry(cast.home)
    services.entry_update(
        actor=cast.user(Role.COORDINATOR), entry=entry, city="Kazan",
        emails=["help@example.org"], services=Service.objects.filter(code="legal"),
    )
    row = _audit_for(entry, Action.UPDATE).get()
    assert row.fields == ["city", "emails", "services"]
    assert "Kazan" not in str(row.detail)
    assert "help@example.org" not in str(row.detail)


def test_update_without_changes_writes_no_audit_row(cast):
    entry = _entry(cast.home)
    services.entry_update(
        actor=cast.user(Role.COORDINATOR), entry=entry, city="Moscow", country="RU",
        services=[],
    )
    assert not _audit_for(entry, Action.UPDATE).exists()


def test_phone_is_stored_in_e164(cast):
    contact = services.contact_point_create(
        actor=None, entry=_entry(cast.home), label_en="Office", label_ru="Офис",
        phone="+7 (495) 123-45-67",
    )
    assert contact.phone == "+74951234567"


def test_phone_without_country_code_is_read_in_the_entry_country(cast):
    contact = services.contact_point_create(
        actor=None, entry=_entry(cast.home), label_en="Office", label_ru="Офис",
        phone="8 (495) 123-45-67",
    )
    assert contact.phone == "+74951234567"


def test_bad_phone_is_refused_on_the_phone_field_and_nothing_is_saved(cast):
    entry = _entry(cast.home)
    with pytest.raises(ValidationError) as caught:
        services.contact_point_create(
            actor=None, entry=entry, label_en="Office", label_ru="Офис", phone="12345",
        )
    assert "phone" in caught.value.message_dict
    assert not ContactPoint.objects.exists()
    assert not AuditEntry.objects.filter(target_type="directory.ContactPoint").exists()


def test_bad_phone_on_update_keeps_the_old_number(cast):
    contact = services.contact_point_create(
        actor=None, entry=_entry(cast.home), label_en="Office", label_ru="Офис",
        phone="+74951234567",
    )
    with pytest.raises(ValidationError):
        services.contact_point_update(
            actor=cast.user(Role.COORDINATOR), contact=contact, phone="not a phone"
        )
    contact.refresh_from_db()
    assert contact.phone == "+74951234567"


def test_restricted_entry_without_roles_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        _entry(cast.home, visibility=Visibility.RESTRICTED, restricted_roles=[])
    assert "restricted_roles" in caught.value.message_dict
    assert not Entry.objects.exists()


def test_restricted_roles_are_dropped_for_other_visibilities(cast):
    entry = _entry(cast.home, visibility=Visibility.PUBLIC, restricted_roles=["coordinator"])
    assert entry.restricted_roles == ""


def test_contact_point_more_visible_than_its_entry_is_refused(cast):
    entry = _entry(cast.home, visibility=Visibility.COALITION)
    with pytest.raises(ValidationError) as caught:
        services.contact_point_create(
            actor=None, entry=entry, label_en="Office", label_ru="Офис",
            visibility=Visibility.PUBLIC,
        )
    assert "visibility" in caught.value.message_dict
    assert not ContactPoint.objects.exists()


def test_narrowing_the_entry_narrows_its_contact_points(cast):
    entry = _entry(cast.home, visibility=Visibility.PUBLIC)
    contact = services.contact_point_create(
        actor=None, entry=entry, label_en="Office", label_ru="Офис",
        visibility=Visibility.PUBLIC,
    )
    services.entry_update(
        actor=cast.user(Role.COORDINATOR), entry=entry, visibility=Visibility.RESTRICTED,
        restricted_roles=[Role.HOTLINE_OPERATOR],
    )
    contact.refresh_from_db()
    assert contact.visibility == Visibility.RESTRICTED
    assert contact.restricted_roles == ",hotline_operator,"


def test_verify_sets_today_and_the_user(cast):
    entry = _entry(cast.home)
    actor = cast.user(Role.ORG_ADMIN)
    services.entry_verify(actor=actor, entry=entry)
    entry.refresh_from_db()
    assert entry.last_verified_on == timezone.localdate()
    assert entry.last_verified_by == actor
    assert _audit_for(entry, Action.UPDATE).get().fields == [
        "last_verified_by", "last_verified_on",
    ]


def test_delete_removes_entry_and_contact_points_with_an_audit_row(cast):
    entry = _entry(cast.home)
    services.contact_point_create(actor=None, entry=entry, label_en="A", label_ru="А")
    pk = entry.pk
    services.entry_delete(actor=cast.user(Role.COORDINATOR), entry=entry)
    assert not Entry.objects.filter(pk=pk).exists()
    assert not ContactPoint.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, target_id=str(pk)).exists()


def _set_verified(entry, days_ago):
    Entry.objects.filter(pk=entry.pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=days_ago)
    )


def test_stale_entries_include_never_and_long_ago_verified_but_not_fresh(cast):
    never = _entry(cast.home, name_en="Never")
    old = _entry(cast.home, name_en="Old")
    _set_verified(old, 400)
    fresh = _entry(cast.home, name_en="Fresh")
    _set_verified(fresh, 30)
    away = _entry(cast.away, name_en="Away")
    stale = set(stale_entries_for_user(user=cast.user(Role.COORDINATOR)))
    assert stale == {never, old}
    assert fresh not in stale
    assert away not in stale


def test_stale_entries_are_empty_for_roles_that_do_not_edit(cast):
    _entry(cast.home)
    assert not stale_entries_for_user(user=cast.user(Role.CASE_WORKER)).exists()


def test_coalition_office_coordinator_edits_every_entry(cast):
    office = OrganisationFactory(code="AC-MOW")
    coordinator = UserFactory.create(username="office-coordinator")
    MembershipFactory(user=coordinator, organisation=office, role=Role.COORDINATOR)
    entry = _entry(cast.away)
    assert can_edit_entry(coordinator, entry)
    assert set(editable_owners(coordinator)) >= {cast.home, cast.away, office}
    assert entry in stale_entries_for_user(user=coordinator)


def test_coalition_office_case_worker_edits_nothing(cast):
    office = OrganisationFactory(code="AC-MOW")
    worker = UserFactory.create(username="office-worker")
    MembershipFactory(user=worker, organisation=office, role=Role.CASE_WORKER)
    assert not can_edit_entry(worker, _entry(cast.home))
    assert not editable_owners(worker).exists()


def test_org_admin_edits_only_own_organisation_entries(cast):
    admin = cast.user(Role.ORG_ADMIN)
    assert can_edit_entry(admin, _entry(cast.home))
    assert not can_edit_entry(admin, _entry(cast.away))
    assert list(editable_owners(admin)) == [cast.home]


def test_other_roles_and_anonymous_edit_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    entry = _entry(cast.home)
    for role in (Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.RESEARCHER, Role.MEDICAL):
        assert not can_edit_entry(cast.user(role), entry)
    assert not can_edit_entry(AnonymousUser(), entry)
    assert can_edit_entry(cast.site_admin, entry)


def test_suspended_membership_edits_nothing(cast):
    admin = cast.user(Role.ORG_ADMIN)
    admin.memberships.update(is_active=False)
    assert not can_edit_entry(admin, _entry(cast.home))
    assert not editable_owners(admin).exists()


def test_coordinator_of_a_closed_coalition_office_edits_nothing_else(cast):
    office = OrganisationFactory(code="AC-MOW", is_active=False)
    coordinator = UserFactory.create(username="office-coordinator")
    MembershipFactory(user=coordinator, organisation=office, role=Role.COORDINATOR)
    assert not can_edit_entry(coordinator, _entry(cast.home))
    assert not editable_owners(coordinator).exists()
