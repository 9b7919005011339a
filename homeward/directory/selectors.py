"""Reads of the directory, through the access gate.

Visibility: anonymous visitors see public entries and public contact points;
signed-in members also see coalition ones; restricted ones only when a role
the user holds is named on the record. Site administrators see everything.
A contact point is shown only where its entry is visible too.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from homeward.core import access
from homeward.directory.models import ContactPoint, Entry, EntryKind, Visibility
from homeward.directory.search import query_words

STALE_AFTER = timedelta(days=365)

# Who a hotline operator should call first in a rescue.
KIND_PRIORITY: list[str] = [
    EntryKind.TASK_FORCE, EntryKind.LAW_ENFORCEMENT, EntryKind.EMBASSY, EntryKind.HOTLINE,
    EntryKind.INTERNATIONAL, EntryKind.COALITION_MEMBER, EntryKind.NGO, EntryKind.SHELTER,
    EntryKind.LEGAL_AID, EntryKind.MEDICAL, EntryKind.GOVERNMENT,
]

# Roles that edit the directory (entries of their own organisation).
EDITOR_ROLES = {
    role for role, capabilities in ROLE_CAPABILITIES.items()
    if Capability.DIRECTORY_EDIT in capabilities
}
# Coordinators of these organisations edit every entry.
COALITION_OFFICE_CODES = {"AC-MOW"}


def _roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .values_list("role", flat=True)
    )


def visible_to(user: Any, prefix: str = "", *, roles: set[str] | None = None) -> Q:
    """The visibility condition for ``user`` on records with visibility fields.

    ``roles`` saves the query for the user's roles when the caller has them.
    """
    condition = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if not getattr(user, "is_authenticated", False):
        return condition
    condition |= Q(**{f"{prefix}visibility": Visibility.COALITION})
    for role in _roles(user) if roles is None else roles:
        condition |= Q(
            **{
                f"{prefix}visibility": Visibility.RESTRICTED,
                f"{prefix}restricted_roles__contains": f",{role},",
            }
        )
    return condition


def maintained_by_user(user: Any, prefix: str = "") -> Q:
    """Records owned by an organisation whose directory the user edits: its
    editors always see them, whatever roles a restricted record names."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner__in": editable_owners(user)})


@access.register(Entry, public=True)
def _entry_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if getattr(user, "is_site_admin", False):
        return queryset
    return queryset.filter(visible_to(user) | maintained_by_user(user))


@access.register(ContactPoint, public=True)
def _contact_point_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if getattr(user, "is_site_admin", False):
        return queryset
    roles = _roles(user)
    return queryset.filter(
        (visible_to(user, roles=roles) & visible_to(user, "entry__", roles=roles))
        | maintained_by_user(user, "entry__")
    )


def entry_list_for_user(
    *,
    user: Any,
    query: str = "",
    country: str = "",
    region: str = "",
    city: str = "",
    service: str = "",
    language: str = "",
    kind: str = "",
) -> QuerySet[Entry]:
    """Entries the user may see, filtered; every query word must start a word
    of the entry's names or places, in either alphabet."""
    queryset = access.for_user(user, Entry)
    for word in query_words(query):
        queryset = queryset.filter(search_text__contains=f" {word}")
    if country:
        queryset = queryset.filter(country=country.upper())
    if region:
        queryset = queryset.filter(region__iexact=region)
    if city:
        queryset = queryset.filter(city__iexact=city)
    if service:
        queryset = queryset.filter(services__code=service)
    if language:
        queryset = queryset.filter(languages__icontains=f'"{language.lower()}"')
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.prefetch_related("services").distinct().order_by("name_en")


def entry_get_for_user(*, user: Any, pk: int) -> Entry:
    """One entry with only the contact points the user may see."""
    contacts = access.for_user(user, ContactPoint).order_by("position", "id")
    return access.get_for_user(
        user,
        Entry.objects.prefetch_related("services", Prefetch("contact_points", queryset=contacts)),
        pk=pk,
    )


def contact_point_get_for_user(*, user: Any, pk: int) -> ContactPoint:
    return access.get_for_user(user, ContactPoint.objects.select_related("entry"), pk=pk)


@dataclasses.dataclass(frozen=True)
class Helper:
    """One contact point to call, with why it ranks where it does."""

    contact: ContactPoint
    entry: Entry
    in_city: bool
    offers_service: bool


def who_can_help(
    *, user: Any, country: str, city: str = "", service: str = "", limit: int = 50
) -> list[Helper]:
    """The contact points to call for someone in ``country`` now, best first.

    24/7 lines first, then the ones in the named city, then those offering the
    service, then by kind (police task forces, police, embassies, hotlines,
    …). Only contact points the user may see, of entries the user may see.
    """
    contacts = (
        access.for_user(user, ContactPoint)
        .filter(entry__country=country.upper())
        .select_related("entry")
        .prefetch_related("entry__services")
    )
    helpers = []
    for contact in contacts[:500]:
        entry = contact.entry
        helpers.append(
            Helper(
                contact=contact,
                entry=entry,
                in_city=bool(city) and entry.city.casefold() == city.casefold(),
                offers_service=bool(service)
                and any(s.code == service for s in entry.services.all()),
            )
        )

    def rank(helper: Helper) -> tuple[int, int, int, int, str]:
        kind = helper.entry.kind
        return (
            0 if (helper.contact.is_24_7 or helper.entry.is_24_7) else 1,
            0 if helper.in_city else 1,
            0 if helper.offers_service else 1,
            KIND_PRIORITY.index(kind) if kind in KIND_PRIORITY else len(KIND_PRIORITY),
            helper.entry.name_en,
        )

    return sorted(helpers, key=rank)[:limit]


def can_edit_entry(user: Any, entry: Entry) -> bool:
    return can_maintain(user, entry.owner_id)


def can_maintain(user: Any, owner_id: int) -> bool:
    """Coordinators and org admins edit their organisation's entries and
    documents; coordinators of the coalition office edit every one."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_site_admin:
        return True
    memberships = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=EDITOR_ROLES
    ).select_related("organisation")
    for membership in memberships:
        if membership.organisation_id == owner_id:
            return True
        if (
            membership.role == Role.COORDINATOR
            and membership.organisation.code in COALITION_OFFICE_CODES
        ):
            return True
    return False


def editable_owners(user: User) -> QuerySet[Organisation]:
    """Organisations whose entries the user may create."""
    if user.is_site_admin or Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role=Role.COORDINATOR,
        organisation__code__in=COALITION_OFFICE_CODES,
    ).exists():
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True,
        memberships__role__in=EDITOR_ROLES, is_active=True,
    ).distinct()


def owner_choices_for_user(*, user: User, entry: Entry | None = None) -> QuerySet[Organisation]:
    """Organisations an entry may be given to in a form: the ones the user
    maintains, plus the entry's current owner (so an edit keeps it)."""
    condition = Q(pk__in=editable_owners(user).values("pk"))
    if entry is not None:
        condition |= Q(pk=entry.owner_id)
    return Organisation.objects.filter(condition).order_by("code")


def stale_entries_for_user(*, user: User) -> QuerySet[Entry]:
    """Entries the user edits that nobody verified in the last 12 months."""
    cutoff = timezone.localdate() - STALE_AFTER
    owners = editable_owners(user)
    return (
        access.for_user(user, Entry)
        .filter(owner__in=owners)
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))
        .order_by("last_verified_on", "name_en")
    )
