"""Call events (services/call_events.py and their selectors): what a
telephony system's post records, that a repeat post of the same call is
idempotent, what is refused (leaving nothing behind), linking the contact,
and who sees the calls."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.core.fields import encrypted_fields
from homeward.hotline import selectors, services
from homeward.hotline.choices import Channel
from homeward.hotline.models import CallEvent, Contact, Line
from homeward.hotline.phones import phone_index
from homeward.hotline.tests.factories import contact_values, log_contact, make_line

pytestmark = pytest.mark.django_db

LOGGING_ROLES = {Role.HOTLINE_OPERATOR, Role.COORDINATOR}


def _start() -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)


def default_line(cast: Any) -> Line:
    """One HOME line, made once per test."""
    line = Line.objects.filter(organisation=cast.home, label_en="Default line").first()
    return line or make_line(cast, label_en="Default line")


@pytest.fixture(autouse=True)
def _line(cast: Any) -> Line:
    """The default line exists before any test counts rows."""
    return default_line(cast)


def record(cast: Any, line: Line | None = None, **fields: Any) -> tuple[CallEvent, bool]:
    """A call on a HOME line (by default the same one), posted by HOME's
    hotline operator account."""
    fields.setdefault("started_at", _start())
    return services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR), line=line or default_line(cast), **fields
    )


def answered(cast: Any, line: Line | None = None, **fields: Any) -> CallEvent:
    started = fields.pop("started_at", _start())
    values: dict[str, Any] = {
        "started_at": started, "answered_at": started + datetime.timedelta(seconds=20),
        "ended_at": started + datetime.timedelta(minutes=8),
        "operator_username": "hotline_operator@home", "caller_phone": "+7 912 345-67-89",
        **fields,
    }
    return record(cast, line, **values)[0]


def _counts() -> tuple[int, int]:
    return CallEvent.objects.count(), AuditEntry.objects.count()


def _refused(field: str, call: Any) -> ValidationError:
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        call()
    assert _counts() == before
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


# --- recording ----------------------------------------------------------------


def test_records_an_answered_call_with_normalised_phone_index_and_audit(cast: Any) -> None:
    line = make_line(cast)
    event = answered(cast, line, caller_phone="8 (912) 345-67-89", external_id="pbx-1")
    event.refresh_from_db()
    assert event.organisation == cast.home
    assert event.line == line
    assert event.caller_phone == "+79123456789"
    assert event.caller_phone_index == phone_index("+7 912 345 67 89")
    assert event.operator == cast.user(Role.HOTLINE_OPERATOR)
    assert not event.is_missed
    audit = AuditEntry.objects.get(action=Action.CREATE, target_type="hotline.CallEvent")
    assert audit.target_id == str(event.pk)
    assert {"caller_phone", "operator", "answered_at", "external_id"} <= set(audit.fields)
    assert audit.detail == {"missed": False}
    assert "912" not in str(audit.detail) + str(audit.fields)


def test_records_a_missed_call_without_operator(cast: Any) -> None:
    event, created = record(cast, caller_phone="+79123456789")
    assert created
    assert event.is_missed
    assert event.operator is None


def test_a_withheld_number_is_recorded_without_phone(cast: Any) -> None:
    event, _created = record(cast, caller_phone="")
    assert event.caller_phone == ""
    assert event.caller_phone_index == ""


def test_repeating_a_post_records_nothing_new(cast: Any) -> None:
    line = make_line(cast)
    first = answered(cast, line, external_id="pbx-7")
    before = _counts()
    again, created = services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR), line=line, started_at=first.started_at,
        answered_at=first.answered_at, ended_at=first.ended_at,
        operator_username="hotline_operator@home", caller_phone="+79123456789",
        external_id="pbx-7",
    )
    assert not created
    assert again.pk == first.pk
    assert _counts() == before


def test_a_later_post_fills_in_the_answer_the_end_and_the_operator(cast: Any) -> None:
    line = make_line(cast)
    started = _start()
    ringing, created = record(cast, line, started_at=started, external_id="pbx-9",
                              caller_phone="+79123456789")
    assert created
    assert ringing.is_missed
    ended, created = record(
        cast, line, started_at=started, external_id="pbx-9",
        answered_at=started + datetime.timedelta(seconds=5),
        ended_at=started + datetime.timedelta(minutes=3),
        operator_username="coordinator@home",
    )
    assert not created
    assert ended.pk == ringing.pk
    ended.refresh_from_db()
    assert ended.operator == cast.user(Role.COORDINATOR)
    assert ended.ended_at == started + datetime.timedelta(minutes=3)
    assert ended.caller_phone == "+79123456789"  # not given again: kept
    update = AuditEntry.objects.get(action=Action.UPDATE, target_type="hotline.CallEvent")
    assert sorted(update.fields) == ["answered_at", "ended_at", "operator"]
    assert CallEvent.objects.count() == 1


def test_a_later_post_cannot_change_what_was_recorded(cast: Any) -> None:
    line = make_line(cast)
    first = answered(cast, line, external_id="pbx-3")
    _refused("started_at", lambda: record(
        cast, line, started_at=first.started_at + datetime.timedelta(minutes=1),
        external_id="pbx-3",
    ))
    _refused("operator_username", lambda: record(
        cast, line, started_at=first.started_at, external_id="pbx-3",
        operator_username="coordinator@home",
    ))
    _refused("caller_phone", lambda: record(
        cast, line, started_at=first.started_at, external_id="pbx-3",
        caller_phone="+79990001122",
    ))
    other_line = make_line(cast)
    _refused("line", lambda: record(
        cast, other_line, started_at=first.started_at, external_id="pbx-3",
    ))


def test_the_same_external_id_in_another_organisation_is_another_call(cast: Any) -> None:
    answered(cast, external_id="pbx-1")
    away, created = services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR, "away"), line=make_line(cast, "away"),
        started_at=_start(), external_id="pbx-1",
    )
    assert created
    assert away.organisation == cast.away
    assert CallEvent.objects.count() == 2


def test_posts_without_external_id_are_separate_calls(cast: Any) -> None:
    line = make_line(cast)
    started = _start()
    record(cast, line, started_at=started)
    _event, created = record(cast, line, started_at=started)
    assert created
    assert CallEvent.objects.count() == 2


# --- what is refused ------------------------------------------------------------


def test_refuses_an_end_before_the_start(cast: Any) -> None:
    started = _start()
    _refused("ended_at", lambda: record(
        cast, started_at=started, ended_at=started - datetime.timedelta(seconds=1),
    ))


def test_refuses_an_answer_before_the_start(cast: Any) -> None:
    started = _start()
    _refused("answered_at", lambda: record(
        cast, started_at=started, answered_at=started - datetime.timedelta(seconds=1),
    ))


def test_refuses_a_start_in_the_future(cast: Any) -> None:
    _refused("started_at", lambda: record(
        cast, started_at=timezone.now() + datetime.timedelta(hours=1),
    ))


@pytest.mark.parametrize(
    "username", ["nobody@home", "case_worker@home", "hotline_operator@away"],
)
def test_refuses_a_username_that_is_no_operator_of_the_organisation(
    cast: Any, username: str
) -> None:
    error = _refused("operator_username", lambda: answered(cast, operator_username=username))
    assert "operator" in error.message_dict["operator_username"][0]


def test_refuses_an_operator_without_answer_time(cast: Any) -> None:
    _refused("answered_at", lambda: record(cast, operator_username="hotline_operator@home"))


def test_refuses_a_bad_phone_with_a_clear_message(cast: Any) -> None:
    error = _refused("caller_phone", lambda: record(cast, caller_phone="12-34"))
    assert "12-34" in error.message_dict["caller_phone"][0]


@pytest.mark.parametrize("role", ["case_worker", "researcher", "org_admin", "shelter_staff"])
def test_refuses_roles_that_do_not_log_contacts(cast: Any, role: str) -> None:
    line = make_line(cast)
    before = _counts()
    with pytest.raises(ValidationError):
        services.call_event_record(actor=cast.user(role), line=line, started_at=_start())
    assert _counts() == before


def test_refuses_a_line_of_another_organisation(cast: Any) -> None:
    away_line = make_line(cast, "away")
    before = _counts()
    with pytest.raises(ValidationError):
        services.call_event_record(
            actor=cast.user(Role.HOTLINE_OPERATOR), line=away_line, started_at=_start()
        )
    assert _counts() == before


# --- linking the contact ----------------------------------------------------------


def test_attaching_the_contact_takes_the_call_out_of_the_pending_queue(cast: Any) -> None:
    operator = cast.user(Role.HOTLINE_OPERATOR)
    event = answered(cast)
    assert list(selectors.call_events_pending_for_user(user=operator)) == [event]
    contact = log_contact(cast, line=event.line)
    services.call_event_attach(actor=operator, call_event=event, contact=contact)
    event.refresh_from_db()
    assert event.contact == contact
    assert contact.call_event == event
    assert not selectors.call_events_pending_for_user(user=operator).exists()
    audit = AuditEntry.objects.filter(action=Action.UPDATE, target_type="hotline.CallEvent")
    assert audit.get().detail == {"contact": contact.pk}
    # Again: nothing changes.
    services.call_event_attach(actor=operator, call_event=event, contact=contact)
    assert audit.count() == 1


def test_refuses_a_second_contact_for_a_call_and_a_second_call_for_a_contact(
    cast: Any
) -> None:
    operator = cast.user(Role.HOTLINE_OPERATOR)
    event, other = answered(cast), answered(cast)
    contact, another = log_contact(cast), log_contact(cast)
    services.call_event_attach(actor=operator, call_event=event, contact=contact)
    _refused("contact", lambda: services.call_event_attach(
        actor=operator, call_event=event, contact=another,
    ))
    _refused("contact", lambda: services.call_event_attach(
        actor=operator, call_event=other, contact=contact,
    ))


def test_refuses_a_contact_of_another_organisation(cast: Any) -> None:
    event = answered(cast)
    away_contact = log_contact(cast, org="away")
    _refused("contact", lambda: services.call_event_attach(
        actor=cast.user(Role.HOTLINE_OPERATOR), call_event=event, contact=away_contact,
    ))


def test_logs_the_contact_for_a_call_and_links_them(cast: Any) -> None:
    event = answered(cast)
    contact = services.contact_log_for_call(
        actor=cast.user(Role.HOTLINE_OPERATOR), call_event=event,
        **contact_values(event.line, started_at=event.started_at, ended_at=event.ended_at),
    )
    event.refresh_from_db()
    assert event.contact == contact


def test_a_refused_link_leaves_no_contact_behind(cast: Any) -> None:
    event = answered(cast)
    away_line = make_line(cast, "away")
    before = Contact.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.contact_log_for_call(
            actor=cast.user(Role.HOTLINE_OPERATOR, "away"), call_event=event,
            **contact_values(away_line),
        )
    assert "call_event" in caught.value.message_dict
    assert Contact.objects.count() == before


# --- who sees the calls -----------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_calls_are_seen_only_by_hotline_roles_of_the_owning_organisation(
    cast: Any, role: str
) -> None:
    event = answered(cast)
    home_user, away_user = cast.user(role, "home"), cast.user(role, "away")
    if role in LOGGING_ROLES:
        assert selectors.call_event_get_for_user(user=home_user, pk=event.pk) == event
        assert not selectors.call_event_hidden_by_role(user=home_user, pk=event.pk)
    else:
        with pytest.raises(Http404):
            selectors.call_event_get_for_user(user=home_user, pk=event.pk)
        assert selectors.call_event_hidden_by_role(user=home_user, pk=event.pk)
    with pytest.raises(Http404):
        selectors.call_event_get_for_user(user=away_user, pk=event.pk)
    assert not selectors.call_event_hidden_by_role(user=away_user, pk=event.pk)
    assert not selectors.call_event_list_for_user(user=away_user).exists()


def test_pending_and_missed_queues(cast: Any) -> None:
    operator = cast.user(Role.HOTLINE_OPERATOR)
    line = make_line(cast)
    older = answered(cast, line, started_at=_start() - datetime.timedelta(hours=1))
    newer = answered(cast, line)
    by_coordinator = answered(cast, line, operator_username="coordinator@home")
    missed, _created = record(cast, line)
    pending = selectors.call_events_pending_for_user(user=operator)
    assert list(pending) == [by_coordinator, newer, older]
    assert list(selectors.call_events_pending_for_user(user=operator, operator=operator)) == [
        newer, older,
    ]
    assert list(selectors.call_events_missed_for_user(user=operator)) == [missed]
    assert not selectors.call_events_missed_for_user(
        user=operator, since=timezone.now()
    ).exists()


def test_prefill_gives_what_the_telephony_system_knew(cast: Any) -> None:
    event = answered(cast)
    initial = selectors.call_event_prefill(user=cast.user(Role.HOTLINE_OPERATOR), pk=event.pk)
    assert initial == {
        "line": event.line, "channel": Channel.CALL, "started_at": event.started_at,
        "ended_at": event.ended_at, "caller_phone": "+79123456789",
    }
    missed, _created = record(cast)
    assert set(selectors.call_event_prefill(
        user=cast.user(Role.COORDINATOR), pk=missed.pk
    )) == {"line", "channel", "started_at"}
    with pytest.raises(Http404):
        selectors.call_event_prefill(user=cast.user(Role.HOTLINE_OPERATOR, "away"), pk=event.pk)


# --- encryption at rest -----------------------------------------------------------


def test_the_callers_number_is_encrypted_at_rest(cast: Any) -> None:
    event = answered(cast, caller_phone="+79167770123")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {connection.ops.quote_name(CallEvent._meta.db_table)}"
        )
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "9167770123" not in raw
    assert "hw1:" in raw
    event.refresh_from_db()
    assert event.caller_phone == "+79167770123"
    assert {field.name for field in encrypted_fields(CallEvent)} == {"caller_phone"}
