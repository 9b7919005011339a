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

import dataclasses
import datetime
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Capability, roles_with
from homeward.accounts.selectors import organisation_ids
from homeward.core import access
from homeward.core.fields import encrypted_fields
from homeward.core.multichoice import has_value
from homeward.hotline.choices import Channel
from homeward.hotline.models import CallEvent, Campaign, Contact, EscalationCall, Line
from homeward.hotline.phones import phone_index

LOG_ROLES = roles_with(Capability.HOTLINE_LOG)
MANAGE_ROLES = roles_with(Capability.HOTLINE_MANAGE)


@access.register(Contact)
def _contact_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(organisation_id__in=organisation_ids(user, LOG_ROLES))


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
    return Organisation.objects.filter(pk__in=organisation_ids(user, MANAGE_ROLES))


def logging_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations in which ``user`` may log contacts."""
    return Organisation.objects.filter(pk__in=organisation_ids(user, LOG_ROLES))


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


# --- call events (the telephony system's calls) ------------------------------


@access.register(CallEvent)
def _call_event_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Like contacts: the caller's number identifies them."""
    return queryset.filter(organisation_id__in=organisation_ids(user, LOG_ROLES))


def call_event_get_for_user(*, user: Any, pk: int) -> CallEvent:
    """One call event the user may see (hotline roles of its organisation), or 404."""
    return access.get_for_user(
        user, CallEvent.objects.select_related("line", "operator", "contact"), pk=pk
    )


def call_event_hidden_by_role(*, user: Any, pk: int) -> bool:
    """Whether call event ``pk`` belongs to an organisation where ``user``
    works in a role that does not log contacts (403 there, not 404)."""
    organisation_id = CallEvent.objects.filter(pk=pk).values("organisation_id")
    memberships = Membership.objects.filter(
        user=user, organisation_id__in=organisation_id, is_active=True,
        organisation__is_active=True,
    )
    return memberships.exists() and not memberships.filter(role__in=LOG_ROLES).exists()


def call_event_list_for_user(*, user: Any, line: Line | None = None) -> QuerySet[CallEvent]:
    """Every call event the user may see, newest first (optionally of one line)."""
    events = access.for_user(user, CallEvent).select_related("line", "operator")
    if line is not None:
        events = events.filter(line=line)
    return events.order_by("-started_at", "-id")


def call_events_pending_for_user(*, user: Any, operator: Any = None) -> QuerySet[CallEvent]:
    """Answered calls not yet logged as contacts, newest first.

    ``operator`` narrows to the calls one operator answered (their "log this
    call" queue). Missed calls are in :func:`call_events_missed_for_user`.
    """
    events = call_event_list_for_user(user=user).filter(
        answered_at__isnull=False, contact__isnull=True
    )
    if operator is not None:
        events = events.filter(operator=operator)
    return events


def call_events_missed_for_user(
    *, user: Any, since: datetime.datetime | None = None
) -> QuerySet[CallEvent]:
    """Calls nobody answered (and nobody has logged since), newest first;
    ``since`` keeps the recent ones (to call back)."""
    events = call_event_list_for_user(user=user).filter(
        answered_at__isnull=True, contact__isnull=True
    )
    if since is not None:
        events = events.filter(started_at__gte=since)
    return events


def call_event_prefill(*, user: Any, pk: int) -> dict[str, Any]:
    """Initial data of the contact form for a call the user may see (else 404).

    Gives what the telephony system knew: ``line`` (the Line), ``channel``
    (Call), ``started_at``, ``ended_at`` and ``caller_phone`` (decrypted, for
    the operator's form only — never log it). Keys without a value are left
    out. Once the contact is saved, link it with
    ``services.call_event_attach`` so the call leaves the pending queue.
    """
    event = call_event_get_for_user(user=user, pk=pk)
    initial: dict[str, Any] = {
        "line": event.line,
        "channel": Channel.CALL,
        "started_at": event.started_at,
        "ended_at": event.ended_at,
        "caller_phone": event.caller_phone,
    }
    return {name: value for name, value in initial.items() if value not in (None, "")}


# --- contact pages and follow-up queues (views_contacts) ----------------------


def contact_hidden_by_role(*, user: Any, pk: int) -> bool:
    """Whether contact ``pk`` belongs to an organisation where ``user`` works in
    a role that does not log contacts (the page answers 403, not 404: the
    colleague knows the hotline exists, the role is what is missing)."""
    organisation_id = Contact.objects.filter(pk=pk).values("organisation_id")
    return (
        Membership.objects.filter(
            user=user, organisation_id__in=organisation_id, is_active=True,
            organisation__is_active=True,
        ).exists()
        and not Membership.objects.filter(
            user=user, organisation_id__in=organisation_id, is_active=True,
            organisation__is_active=True, role__in=LOG_ROLES,
        ).exists()
    )


def contact_search_for_user(
    *, user: Any, line: Line | None = None, started_from: datetime.date | None = None,
    started_to: datetime.date | None = None, caller_type: str = "", topic: str = "",
    open_follow_up: bool = False,
) -> QuerySet[Contact]:
    """The contacts the user may see, narrowed by the list's filters (dates are
    local days, both ends included), newest first. The list shows nothing
    identifying, so the encrypted columns are not even read."""
    contacts = (
        contact_list_for_user(user=user, line=line).select_related("case")
        .defer(*(field.name for field in encrypted_fields(Contact)))
    )
    if started_from is not None:
        contacts = contacts.filter(started_at__date__gte=started_from)
    if started_to is not None:
        contacts = contacts.filter(started_at__date__lte=started_to)
    if caller_type:
        contacts = contacts.filter(caller_type=caller_type)
    if topic:
        contacts = contacts.filter(has_value("topics", topic))
    if open_follow_up:
        contacts = contacts.filter(follow_up_due__isnull=False, follow_up_done_at__isnull=True)
    return contacts


def loggable_lines(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Line]:
    """The lines in service on which the user may log contacts (optionally of
    one organisation)."""
    lines = line_list(user=user).filter(organisation__in=logging_organisations(user))
    if organisation is not None:
        lines = lines.filter(organisation=organisation)
    return lines


def contact_loggers(
    *, organisations: QuerySet[Organisation] | list[Organisation]
) -> QuerySet[User]:
    """The active members who log contacts in ``organisations``: who a
    follow-up can be given to."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation__in=organisations, memberships__is_active=True,
        memberships__role__in=LOG_ROLES,
    ).distinct().order_by("first_name", "last_name", "username")


@dataclasses.dataclass(frozen=True)
class FollowUpCounts:
    mine: int
    overdue: int


def follow_up_counts_for_user(
    *, user: Any, today: datetime.date | None = None
) -> FollowUpCounts | None:
    """The user's open follow-ups and how many are overdue; None for users who
    log no contacts."""
    if not logging_organisations(user).exists():
        return None
    today = today or timezone.localdate()
    mine = access.for_user(user, Contact).filter(
        follow_up_assignee=user, follow_up_due__isnull=False, follow_up_done_at__isnull=True
    )
    return FollowUpCounts(
        mine=mine.count(), overdue=mine.filter(follow_up_due__lt=today).count()
    )
