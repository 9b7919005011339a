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


# --- contact pages and follow-up queues (views_contacts) ----------------------


def test_contact_hidden_by_role_only_for_colleagues_without_a_hotline_role(cast: Any) -> None:
    contact = log_contact(cast)
    assert selectors.contact_hidden_by_role(user=cast.user(Role.CASE_WORKER), pk=contact.pk)
    assert not selectors.contact_hidden_by_role(
        user=cast.user(Role.HOTLINE_OPERATOR), pk=contact.pk
    )
    assert not selectors.contact_hidden_by_role(
        user=cast.user(Role.CASE_WORKER, "away"), pk=contact.pk
    )
    assert not selectors.contact_hidden_by_role(user=cast.site_admin, pk=contact.pk)
    assert not selectors.contact_hidden_by_role(user=cast.user(Role.CASE_WORKER), pk=0)


def test_contact_search_narrows_by_dates_caller_topic_and_open_follow_up(cast: Any) -> None:
    today = timezone.localdate()
    old = log_contact(
        cast, started_at=timezone.now() - datetime.timedelta(days=10), ended_at=None,
        topics=["JobOfferCheck"], caller_type="PlanningToWorkAbroad",
    )
    new = log_contact(cast, follow_up_due=today)
    log_contact(cast, org="away")
    user = cast.user(Role.HOTLINE_OPERATOR)

    def found(**filters: Any) -> set[int]:
        return set(selectors.contact_search_for_user(user=user, **filters)
                   .values_list("pk", flat=True))

    assert found() == {old.pk, new.pk}
    assert found(started_from=today - datetime.timedelta(days=2)) == {new.pk}
    assert found(started_to=today - datetime.timedelta(days=2)) == {old.pk}
    assert found(topic="JobOfferCheck") == {old.pk}
    assert found(caller_type="RelativeOrFriend") == {new.pk}
    assert found(open_follow_up=True) == {new.pk}


def test_loggable_lines_are_the_users_organisations_lines_in_service(cast: Any) -> None:
    home = make_line(cast)
    make_line(cast, is_active=False)
    make_line(cast, "away")
    assert list(selectors.loggable_lines(user=cast.user(Role.HOTLINE_OPERATOR))) == [home]
    assert not selectors.loggable_lines(user=cast.user(Role.CASE_WORKER)).exists()


def test_contact_loggers_are_the_hotline_roles_of_the_organisation(cast: Any) -> None:
    loggers = set(selectors.contact_loggers(organisations=[cast.home]))
    assert loggers == {cast.user(Role.HOTLINE_OPERATOR), cast.user(Role.COORDINATOR)}


def test_follow_up_counts_are_mine_and_overdue(cast: Any) -> None:
    today = timezone.localdate()
    operator = cast.user(Role.HOTLINE_OPERATOR)
    log_contact(cast, follow_up_due=today - datetime.timedelta(days=1))
    log_contact(cast, follow_up_due=today)
    log_contact(cast, actor=cast.user(Role.COORDINATOR), follow_up_due=today)
    done = log_contact(cast, follow_up_due=today - datetime.timedelta(days=3))
    services.follow_up_done(actor=operator, contact=done)
    counts = selectors.follow_up_counts_for_user(user=operator)
    assert counts == selectors.FollowUpCounts(mine=2, overdue=1)
    assert selectors.follow_up_counts_for_user(user=cast.user(Role.CASE_WORKER)) is None
