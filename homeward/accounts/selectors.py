"""Reads for organisations, members and roles — all through the access gate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import ROLE_CAPABILITIES, Capability, role_requires_two_factor
from homeward.core import access


@access.register(Organisation)
def _organisation_scope(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Site administrators see every organisation; others the ones they belong to."""
    if user.is_site_admin:
        return queryset
    return queryset.filter(
        memberships__user=user, memberships__is_active=True, is_active=True
    ).distinct()


@access.register(Membership)
def _membership_scope(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Memberships of the organisations the user belongs to."""
    if user.is_site_admin:
        return queryset
    return queryset.filter(organisation__in=access.for_user(user, Organisation))


def signed_in(user: Any) -> bool:
    """An authenticated, active user: the gates show nothing to anyone else."""
    return bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )


def organisation_ids(user: Any, roles: frozenset[str]) -> QuerySet[Membership, Any]:
    """The active organisations where the user holds one of ``roles`` (a
    subquery of ``organisation_id`` values, for ``…__in=``)."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=roles
    ).values("organisation_id")


def holds_role_in(user: Any, organisation_id: int, roles: frozenset[str]) -> bool:
    """Whether the user holds one of ``roles`` in that (active) organisation."""
    return signed_in(user) and organisation_ids(user, roles).filter(
        organisation_id=organisation_id
    ).exists()


def active_memberships(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__code")
    )


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    return active_memberships(user).filter(organisation=organisation).first()


def capabilities_in(user: User, organisation: Organisation | None) -> frozenset[Capability]:
    """What ``user`` may do in ``organisation`` (site admins may do everything)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_site_admin:
        return frozenset(Capability)
    if organisation is None:
        return frozenset()
    membership = membership_of(user, organisation)
    if membership is None:
        return frozenset()
    return ROLE_CAPABILITIES.get(membership.role, frozenset())


def require_capability_in(user: User, organisation: Organisation, capability: Capability) -> None:
    """403 unless the user holds ``capability`` in ``organisation``.

    Call it only after the organisation came through the access gate, so an
    outsider has already been answered with 404.
    """
    if capability not in capabilities_in(user, organisation):
        raise PermissionDenied


def user_requires_two_factor(user: User, memberships: list[Membership] | None = None) -> bool:
    """2FA is required unless every role the user holds is aggregates-only."""
    if user.is_site_admin:
        return True
    if memberships is None:
        memberships = list(active_memberships(user))
    roles = {m.role for m in memberships}
    if not roles:
        return True
    return any(role_requires_two_factor(role) for role in roles)


def organisation_list_for_user(*, user: User, search: str = "") -> QuerySet[Organisation]:
    queryset = access.for_user(user, Organisation)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name_en__icontains=search) | Q(name_ru__icontains=search)
            | Q(city__icontains=search)
        )
    return queryset.annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True)
    ).order_by("code")


def organisation_get_for_user(*, user: User, code: str) -> Organisation:
    return access.get_for_user(user, Organisation, code=code)


def membership_list_for_organisation(
    *, user: User, organisation: Organisation
) -> QuerySet[Membership]:
    return (
        access.for_user(user, Membership)
        .filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("-is_active", "user__username")
    )


def membership_get_for_user(*, user: User, organisation: Organisation, pk: int) -> Membership:
    return access.get_for_user(
        user, Membership.objects.select_related("user", "organisation"),
        organisation=organisation, pk=pk,
    )


def role_counts(*, organisation: Organisation) -> dict[str, int]:
    rows = (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .values("role")
        .annotate(n=Count("id"))
    )
    return {row["role"]: row["n"] for row in rows}
