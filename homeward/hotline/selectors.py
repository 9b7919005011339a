"""Reads of the hotline family, through the access gate.

Who sees what:

* **contacts** (and their escalation calls) identify callers: only members
  of the owning organisation whose role logs hotline contacts
  (``HOTLINE_LOG``: hotline operators and coordinators) see them. Case
  workers of the organisation do not, even when a contact is linked to one
  of their cases — the case carries what they need. Researchers,
  organisation administrators, site administrators and every other
  organisation see none (404);
* **lines** and **campaigns** identify nobody: every active member of an
  active organisation of the coalition sees all of them (so an operator can
  tell a caller which line serves their country). Changing them is for the
  owning organisation's coordinators (``HOTLINE_MANAGE``), checked by the
  services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from homeward.accounts.models import Membership, Organisation
from homeward.accounts.roles import Capability, roles_with
from homeward.core import access
from homeward.hotline.models import Campaign, Contact, EscalationCall, Line
from homeward.hotline.phones import phone_index

LOG_ROLES = roles_with(Capability.HOTLINE_LOG)
MANAGE_ROLES = roles_with(Capability.HOTLINE_MANAGE)


def _organisation_ids(user: Any, roles: frozenset[str]) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=roles
    ).values("organisation_id")


@access.register(Contact)
def _contact_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(organisation_id__in=_organisation_ids(user, LOG_ROLES))


@access.register(EscalationCall)
def _escalation_call_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(contact__in=access.for_user(user, Contact))


def _coalition_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    is_member = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).exists()
    return queryset if is_member else queryset.none()


access.register(Line)(_coalition_scope)
access.register(Campaign)(_coalition_scope)


# --- what a user may do -------------------------------------------------------


def _has_role(user: Any, organisation: Organisation, roles: frozenset[str]) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True,
        role__in=roles,
    ).exists()


def can_log_contacts(user: Any, organisation: Organisation) -> bool:
    """Hotline operators and coordinators of ``organisation``."""
    return _has_role(user, organisation, LOG_ROLES)


def can_manage_hotline(user: Any, organisation: Organisation) -> bool:
    """Coordinators of ``organisation``: its lines and campaigns."""
    return _has_role(user, organisation, MANAGE_ROLES)


def managing_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose lines and campaigns ``user`` manages."""
    return Organisation.objects.filter(pk__in=_organisation_ids(user, MANAGE_ROLES))


def logging_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations in which ``user`` may log contacts."""
    return Organisation.objects.filter(pk__in=_organisation_ids(user, LOG_ROLES))


# --- contacts -----------------------------------------------------------------


def contact_get_for_user(*, user: Any, pk: int) -> Contact:
    """One contact the user may see, or 404."""
    return access.get_for_user(
        user, Contact.objects.select_related("line", "operator", "follow_up_assignee", "case"),
        pk=pk,
    )


def contact_list_for_user(*, user: Any, line: Line | None = None) -> QuerySet[Contact]:
    """The contacts the user may see, newest first (optionally of one line)."""
    contacts = access.for_user(user, Contact).select_related("line", "operator")
    if line is not None:
        contacts = contacts.filter(line=line)
    return contacts.order_by("-started_at", "-id")


def earlier_contacts_from_phone(
    *, user: Any, phone: str, exclude: Contact | None = None
) -> QuerySet[Contact]:
    """Contacts from the same number that the user may see, newest first.

    The number is compared through its blind index, in any spelling of it;
    contacts the user may not see are left out without a trace.
    """
    index = phone_index(phone)
    if not index:
        return Contact.objects.none()
    contacts = contact_list_for_user(user=user).filter(caller_phone_index=index)
    if exclude is not None and exclude.pk is not None:
        contacts = contacts.exclude(pk=exclude.pk)
    return contacts


def follow_up_queue_for_user(
    *, user: Any, assignee: Any = None, line: Line | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Contact]:
    """Open follow-ups the user may see: overdue first, then by due date.

    ``assignee`` narrows to one operator's queue, ``line`` to one line's.
    Each contact is annotated with ``overdue`` (due before ``today``).
    """
    today = today or timezone.localdate()
    contacts = access.for_user(user, Contact).filter(
        follow_up_due__isnull=False, follow_up_done_at__isnull=True
    )
    if assignee is not None:
        contacts = contacts.filter(follow_up_assignee=assignee)
    if line is not None:
        contacts = contacts.filter(line=line)
    return (
        contacts.select_related("line", "follow_up_assignee")
        .annotate(overdue=Case(
            When(follow_up_due__lt=today, then=Value(True)), default=Value(False),
            output_field=BooleanField(),
        ))
        .order_by("-overdue", "follow_up_due", "started_at", "id")
    )


# --- lines and campaigns ------------------------------------------------------


def line_list(*, user: Any, active_only: bool = True) -> QuerySet[Line]:
    """The coalition's lines (in service only, unless told otherwise)."""
    lines = access.for_user(user, Line).select_related("organisation")
    if active_only:
        lines = lines.filter(is_active=True)
    return lines


def line_get_for_user(*, user: Any, pk: int) -> Line:
    return access.get_for_user(user, Line, pk=pk)


def campaign_list(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Campaign]:
    """The coalition's campaigns, newest first (optionally of one organisation)."""
    campaigns = access.for_user(user, Campaign).select_related("organisation")
    if organisation is not None:
        campaigns = campaigns.filter(organisation=organisation)
    return campaigns


def campaign_get_for_user(*, user: Any, pk: int) -> Campaign:
    return access.get_for_user(user, Campaign, pk=pk)

