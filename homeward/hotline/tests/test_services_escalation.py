"""Escalation services: look-ups of who can help are audited; linking a
case marks the contact's outcome; refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.hotline import services
from homeward.hotline.choices import Outcome
from homeward.hotline.tests.factories import log_contact

pytestmark = pytest.mark.django_db


def test_helpers_lookup_is_audited_without_anything_identifying(cast):
    operator = cast.user(Role.HOTLINE_OPERATOR)
    contact = log_contact(cast)
    services.helpers_lookup_record(actor=operator, organisation=cast.home, country="TR",
                                   city="Istanbul", found=3, contact=contact)
    entry = AuditEntry.objects.get(action=Action.VIEW, actor_id=operator.pk)
    assert entry.target_type == "directory.ContactPoint"
    assert entry.organisation_code == "HOME"
    assert entry.detail == {"query": "who_can_help", "country": "TR", "city": "Istanbul",
                            "results": 3, "contact": contact.pk}


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.RESEARCHER])
def test_helpers_lookup_is_refused_to_roles_that_log_no_contacts(cast, role):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.helpers_lookup_record(actor=cast.user(role), organisation=cast.home,
                                       country="TR", city="", found=0)
    assert AuditEntry.objects.count() == before


def test_linking_a_case_marks_the_contact_as_case_opened(cast):
    contact = log_contact(cast, outcome=Outcome.RESCUE_STARTED)
    case = open_case(cast, actor=cast.user(Role.COORDINATOR))
    linked = services.contact_link_case(actor=cast.user(Role.COORDINATOR), contact=contact,
                                        case=case)
    assert (linked.case, linked.outcome) == (case, Outcome.CASE_OPENED)
    entry = AuditEntry.objects.filter(target_type="hotline.Contact",
                                      target_id=str(contact.pk)).latest("id")
    assert entry.fields == ["case", "outcome"]
    assert entry.detail == {"case": case.code}


def test_linking_a_second_case_is_refused(cast):
    coordinator = cast.user(Role.COORDINATOR)
    contact = log_contact(cast)
    first, second = open_case(cast, actor=coordinator), open_case(cast, actor=coordinator)
    services.contact_link_case(actor=coordinator, contact=contact, case=first)
    with pytest.raises(ValidationError):
        services.contact_link_case(actor=coordinator, contact=contact, case=second)
    contact.refresh_from_db()
    assert contact.case == first


def test_a_call_typed_to_the_minute_in_the_contacts_first_minute_is_accepted(cast):
    operator = cast.user(Role.HOTLINE_OPERATOR)
    contact = log_contact(cast)
    started = contact.started_at.replace(second=40, microsecond=0)
    contact.started_at = started
    contact.save(update_fields=["started_at"])
    call = services.escalation_call_record(
        actor=operator, contact=contact, other="Task force",
        called_at=started.replace(second=0),  # as the form gives it
    )
    assert call.called_at == started.replace(second=0)
    with pytest.raises(ValidationError) as refused:
        services.escalation_call_record(
            actor=operator, contact=contact, other="Task force",
            called_at=started - datetime.timedelta(minutes=1),
        )
    assert "called_at" in refused.value.message_dict
