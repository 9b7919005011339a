"""The intake wizard opened from a hotline contact (``?source=hotline&ref=<id>``).

:func:`contact_prefill` turns a contact the user may see into the intake
form's initial data, so the urgent case of a rescue escalation is opened
without retyping anything; :func:`contact_opened` links the new case to the
contact (refused, and the case not opened, when the contact already has
one). Both are registered in :meth:`HotlineConfig.ready`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.choices import CaseKind, MethodOfControl, ReferralSource
from homeward.cases.models import Case
from homeward.hotline import services
from homeward.hotline.choices import RESTRICTED_MOVEMENT, CallerType, Topic
from homeward.hotline.models import Contact
from homeward.hotline.selectors import contact_get_for_user

SOURCE = "hotline"


def _contact(user: User, ref: str) -> Contact | None:
    """The contact ``ref`` if the user may see it (through the access gate)."""
    try:
        pk = int(ref)
    except (TypeError, ValueError):
        return None
    try:
        return contact_get_for_user(user=user, pk=pk)
    except Http404:
        return None


def means_of_control(indicators: list[str]) -> list[str]:
    """The contact's indicators as HTCDS means of control: restricted
    movement has no value of its own there and becomes "other"."""
    values: list[str] = []
    for indicator in indicators:
        value = MethodOfControl.OTHER.value if indicator == RESTRICTED_MOVEMENT else indicator
        if value in MethodOfControl.values and value not in values:
            values.append(value)
    return values


def _split_name(name: str) -> tuple[str, str]:
    """First word as the first name, the rest as the surname."""
    first, _space, rest = name.strip().partition(" ")
    return first, rest.strip()


def _caller_relationship(contact: Contact) -> str:
    if contact.caller_type == CallerType.PROFESSIONAL and contact.professional_kind:
        return str(contact.get_professional_kind_display())
    return str(contact.get_caller_type_display())


def _reporter_contact(contact: Contact) -> str:
    return ", ".join(value for value in (contact.caller_phone, contact.caller_email) if value)


def concern_place(contact: Contact) -> tuple[str, str]:
    """Where the person of concern is: the concern location, else the caller's."""
    if contact.concern_country or contact.concern_city:
        return str(contact.concern_country or contact.caller_country or ""), contact.concern_city
    return str(contact.caller_country or ""), contact.caller_city


def contact_prefill(user: User, ref: str) -> dict[str, Any] | None:
    """The intake form's initial data for the contact ``ref`` (None when the
    user may not see it): an urgent case referred by the hotline, where the
    person is, the indicators as means of control, the assessment, and the
    person's own details when they called themselves — otherwise the caller
    as the reporter."""
    contact = _contact(user, ref)
    if contact is None:
        return None
    is_person = contact.caller_type == CallerType.POSSIBLE_VICTIM
    missing = Topic.MISSING_PERSON in contact.topics and not is_person
    country, city = concern_place(contact)
    received = timezone.localdate(contact.started_at)
    initial: dict[str, Any] = {
        "is_urgent": True,
        "kind": CaseKind.MISSING_PERSON if missing else CaseKind.VICTIM,
        "referral_source": ReferralSource.HOTLINE,
        "incoming_referral_date": received,
        "current_country": country,
        "current_city": city,
        "destination_country": country,
        "destination_city": city,
        "methods_of_control": means_of_control(list(contact.indicators)),
    }
    if contact.assessment:
        initial["trafficking_status"] = contact.assessment
    if is_person:
        initial["first_name"], initial["last_name"] = _split_name(contact.caller_name)
        if contact.caller_phone:
            initial["phones"] = [contact.caller_phone]
        if contact.caller_email:
            initial["email"] = contact.caller_email
    else:
        first, last = _split_name(contact.concern_name)
        if first:
            initial["first_name"], initial["last_name"] = first, last
    if missing:
        initial.update({
            "missing_reported_on": received,
            "missing_reporter_name": contact.caller_name,
            "missing_reporter_relationship": _caller_relationship(contact),
            "missing_reporter_contact": _reporter_contact(contact),
            "missing_last_seen_country": country,
            "missing_last_seen_city": city,
        })
    reported_by = ", ".join(
        value for value in (
            _caller_relationship(contact), "" if is_person else contact.caller_name,
            "" if is_person else _reporter_contact(contact),
        ) if value
    )
    topics = ", ".join(str(Topic(topic).label) for topic in contact.topics
                       if topic in Topic.values)
    initial["referral_details"] = "\n".join(line for line in (
        f"{contact.get_channel_display()} {received:%Y-%m-%d}: {reported_by}",
        topics,
    ) if line)
    return initial


def contact_opened(user: User, ref: str, case: Case) -> None:
    """Link the case opened from the contact (and mark its outcome).

    Raises ``ValidationError`` when the contact already has another case:
    the wizard then opens nothing. A contact the user may not see (a forged
    reference) is left alone.
    """
    contact = _contact(user, ref)
    if contact is not None:
        services.contact_link_case(actor=user, contact=contact, case=case)
