"""Who sees which hotline records, the repeat-caller lookup and the
follow-up queue."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.core import access
from homeward.hotline import selectors, services
from homeward.hotline.models import EscalationCall
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.django_db

LOGGING_ROLES = {Role.HOTLINE_OPERATOR, Role.COORDINATOR}


@pytest.mark.parametrize("role", Role.values)
def test_contacts_are_seen_only_by_hotline_roles_of_the_owning_organisation(
    cast: Any, role: str
) -> None:
    contact = log_contact(cast)
    home_user, away_user = cast.user(role, "home"), cast.user(role, "away")
    if role in LOGGING_ROLES:
        assert selectors.contact_get_for_user(user=home_user, pk=contact.pk) == contact
        assert list(selectors.contact_list_for_user(user=home_user)) == [contact]
    else:
        with pytest.raises(Http404):
            selectors.contact_get_for_user(user=home_user, pk=contact.pk)
    with pytest.raises(Http404):
        selectors.contact_get_for_user(user=away_user, pk=contact.pk)
    assert not selectors.contact_list_for_user(user=away_user).exists()


def test_site_admin_sees_no_contact(cast: Any) -> None:
    contact = log_contact(cast)
    with pytest.raises(Http404):
        selectors.contact_get_for_user(user=cast.site_admin, pk=contact.pk)


def test_escalation_calls_follow_their_contact(cast: Any) -> None:
    contact = log_contact(cast)
    call = services.escalation_call_record(
        actor=cast.user("hotline_operator"), contact=contact, other="Consulate in Istanbul",
        called_at=timezone.now(),
    )
    assert list(access.for_user(cast.user("coordinator"), EscalationCall)) == [call]
    assert not access.for_user(cast.user("case_worker"), EscalationCall).exists()
    assert not access.for_user(cast.user("hotline_operator", "away"), EscalationCall).exists()


@pytest.mark.parametrize("role", Role.values)
def test_lines_and_campaigns_are_seen_by_every_member_of_the_coalition(
    cast: Any, role: str
) -> None:
    line = make_line(cast)
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=cast.user("coordinator"), organisation=cast.home, name="Radio",
        channels=["Radio"], starts_on=today, ends_on=today,
    )
    for org in ("home", "away"):
        user = cast.user(role, org)
        assert list(selectors.line_list(user=user)) == [line]
        assert list(selectors.campaign_list(user=user)) == [campaign]


def test_lines_are_not_seen_signed_out(cast: Any) -> None:
    make_line(cast)
    assert not selectors.line_list(user=None).exists()


def test_line_list_leaves_out_lines_out_of_service_unless_asked(cast: Any) -> None:
    line = make_line(cast, is_active=False)
    user = cast.user("hotline_operator")
    assert not selectors.line_list(user=user).exists()
    assert list(selectors.line_list(user=user, active_only=False)) == [line]


# --- repeat callers -----------------------------------------------------------


def test_earlier_contacts_are_found_by_phone_in_any_spelling(cast: Any) -> None:
    line = make_line(cast)
    first = log_contact(cast, line=line, caller_phone="+7 912 345-67-89")
    log_contact(cast, line=line, caller_phone="+7 912 000-00-00")
    operator = cast.user("hotline_operator")
    for spelling in ("89123456789", "+7 (912) 345 67 89", "+79123456789"):
        found = selectors.earlier_contacts_from_phone(user=operator, phone=spelling)
        assert list(found) == [first], spelling


def test_earlier_contacts_leave_out_the_current_one(cast: Any) -> None:
    first = log_contact(cast, caller_phone="+7 912 345-67-89")
    second = log_contact(cast, caller_phone="89123456789")
    found = selectors.earlier_contacts_from_phone(
        user=cast.user("hotline_operator"), phone=second.caller_phone, exclude=second
    )
    assert list(found) == [first]


def test_earlier_contacts_respect_the_scope(cast: Any) -> None:
    log_contact(cast, caller_phone="+7 912 345-67-89")
    away_contact = log_contact(cast, org="away", caller_phone="89123456789")
    assert list(selectors.earlier_contacts_from_phone(
        user=cast.user("hotline_operator", "away"), phone="+7 912 345-67-89"
    )) == [away_contact]
    assert not selectors.earlier_contacts_from_phone(
        user=cast.user("case_worker"), phone="+7 912 345-67-89"
    ).exists()


def test_no_earlier_contacts_for_an_empty_or_unknown_number(cast: Any) -> None:
    log_contact(cast, caller_phone="+7 912 345-67-89")
    operator = cast.user("hotline_operator")
    assert not selectors.earlier_contacts_from_phone(user=operator, phone="").exists()
    assert not selectors.earlier_contacts_from_phone(
        user=operator, phone="+7 912 345-67-80"
    ).exists()


# --- follow-up queue -----------------------------------------------------------


def test_follow_up_queue_puts_overdue_first_then_by_due_date(cast: Any) -> None:
    today = timezone.localdate()
    line = make_line(cast)
    operator = cast.user("hotline_operator")

    def due(days: int) -> Any:
        return log_contact(cast, line=line, follow_up_due=today + datetime.timedelta(days=days))

    later, overdue_recent, due_today, overdue_old = due(5), due(-1), due(0), due(-10)
    done = due(-20)
    services.follow_up_done(actor=operator, contact=done)
    log_contact(cast, line=line)  # no follow-up at all
    queue = selectors.follow_up_queue_for_user(user=operator, today=today)
    assert list(queue) == [overdue_old, overdue_recent, due_today, later]
    overdue = [contact.overdue for contact in queue]  # type: ignore[attr-defined]
    assert overdue == [True, True, False, False]


def test_follow_up_queue_per_operator_and_per_line(cast: Any) -> None:
    today = timezone.localdate()
    line, other_line = make_line(cast), make_line(cast)
    operator, coordinator = cast.user("hotline_operator"), cast.user("coordinator")
    mine = log_contact(cast, line=line, follow_up_due=today)
    theirs = log_contact(cast, line=other_line, follow_up_due=today,
                         follow_up_assignee=coordinator)
    assert list(selectors.follow_up_queue_for_user(user=coordinator, assignee=operator)) == [mine]
    assert list(selectors.follow_up_queue_for_user(user=operator, line=other_line)) == [theirs]
    assert not selectors.follow_up_queue_for_user(user=cast.user("coordinator", "away")).exists()
