"""Reads of the audit log, through the access gate."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from homeward.accounts.models import Membership, User
from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import ACTION_LABELS, Action
from homeward.core import access

SIGN_IN_ACTIONS = (
    Action.LOGIN_SUCCESS,
    Action.LOGIN_FAILURE,
    Action.LOGIN_LOCKED,
    Action.LOGIN_OTP_SUCCESS,
    Action.LOGIN_OTP_FAILURE,
    Action.LOGIN_RECOVERY_CODE,
)


def _administered(user: User) -> QuerySet[Any]:
    """Ids of the active organisations the user administers."""
    return Membership.objects.filter(
        user=user, role=Role.ORG_ADMIN, is_active=True, organisation__is_active=True
    ).values("organisation_id")


@access.register(AuditEntry)
def _audit_scope(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Site administrators see the whole log; organisation administrators the
    entries of their organisations; everyone their own sign-in history."""
    if user.is_site_admin:
        return queryset
    return queryset.filter(
        Q(organisation_id__in=_administered(user))
        | Q(actor_id=user.pk, action__in=SIGN_IN_ACTIONS)
    )


def audit_list_for_user(
    *,
    user: User,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
    administered_only: bool = True,
) -> QuerySet[AuditEntry]:
    """Entries the user may read, newest first, optionally filtered."""
    queryset = access.for_user(user, AuditEntry)
    if administered_only and not user.is_site_admin:
        queryset = queryset.filter(organisation_id__in=_administered(user))
    if action:
        queryset = queryset.filter(action=action)
    if actor:
        queryset = queryset.filter(actor_name__iexact=actor)
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    return queryset.order_by("-id")


def sign_in_history_for_user(*, user: User, limit: int = 10) -> list[AuditEntry]:
    return list(
        access.for_user(user, AuditEntry)
        .filter(actor_id=user.pk, action__in=SIGN_IN_ACTIONS)
        .order_by("-id")[:limit]
    )


def known_actions() -> list[str]:
    return sorted(ACTION_LABELS)
