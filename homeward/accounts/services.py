"""Writes for organisations, users, memberships and preferences.

Every function owns its transaction and writes its audit row inside it.
Callers have already checked permissions through the selectors; services
re-check the invariants that must never break (the last administrator of an
organisation cannot be removed, for example).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Role
from homeward.audit.services import Action, audit_record, changed_fields

ORGANISATION_FIELDS = (
    "code", "name_ru", "name_en", "org_type", "country", "region", "city",
    "is_coalition_member", "is_active",
)


def _snapshot(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def organisation_create(*, actor: User, **values: Any) -> Organisation:
    """Create an organisation (site administrators only; checked by the caller)."""
    organisation = Organisation(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    audit_record(
        action=Action.CREATE, actor=actor, target=organisation, fields=ORGANISATION_FIELDS
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **values: Any) -> Organisation:
    """Apply ``values`` to a freshly locked copy and audit which fields changed."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in values.items():
        if name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
    organisation.full_clean()
    fields = changed_fields(before, _snapshot(organisation, ORGANISATION_FIELDS))
    if fields:
        organisation.save()
        audit_record(action=Action.UPDATE, actor=actor, target=organisation, fields=fields)
    return organisation


@transaction.atomic
def member_create(
    *,
    actor: User,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str,
) -> Membership:
    """Create a new account and make it a member of ``organisation``.

    The new person signs in with the given password and must enrol 2FA
    before seeing anything, if their role requires it.
    """
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is already taken.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        action=Action.CREATE, actor=actor, target=user, organisation=organisation,
        fields=("username", "first_name", "last_name", "email", "password"),
    )
    audit_record(action=Action.CREATE, actor=actor, target=membership, fields=("user", "role"))
    return membership


def _active_admin_count(organisation: Organisation, *, excluding: Membership) -> int:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN, is_active=True)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, role: str, is_active: bool
) -> Membership:
    """Change a member's role or (de)activate the membership.

    An organisation never loses its last administrator this way.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = {"role": membership.role, "is_active": membership.is_active}
    losing_admin = membership.role == Role.ORG_ADMIN and membership.is_active and (
        role != Role.ORG_ADMIN or not is_active
    )
    if losing_admin and _active_admin_count(membership.organisation, excluding=membership) == 0:
        raise ValidationError(_("An organisation must keep at least one active administrator."))
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    fields = changed_fields(before, {"role": role, "is_active": is_active})
    if fields:
        membership.save()
        audit_record(action=Action.UPDATE, actor=actor, target=membership, fields=fields)
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    """Remove a membership (the account itself stays, for the audit trail)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Role.ORG_ADMIN
        and membership.is_active
        and _active_admin_count(membership.organisation, excluding=membership) == 0
    ):
        raise ValidationError(_("An organisation must keep at least one active administrator."))
    audit_record(action=Action.DELETE, actor=actor, target=membership)
    membership.delete()


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(action=Action.UPDATE, actor=user, target=user, fields=("language",))
