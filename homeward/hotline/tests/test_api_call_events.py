"""The call-events API (hotline/api/call_events.py): a telephony system posts
calls, operators read their queues and link the contacts they log.

The services' rules: ``test_services_call_events.py``. Every audience on
every operation: ``access_expectations_api.py`` (the access matrix).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.hotline import services
from homeward.hotline.models import CallEvent, Contact, Line
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.django_db

LIST = "/api/v1/hotline/call-events/"
NOT_LOGGING = [Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL, Role.REINTEGRATION_WORKER,
               Role.RESEARCHER, Role.ORG_ADMIN]
STARTED = datetime.datetime(2026, 11, 29, 21, 15, 3, tzinfo=datetime.UTC)


def url(event: CallEvent) -> str:
    return f"{LIST}{event.pk}/"


def post(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(LIST, data, content_type="application/json", **extra)


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, data, content_type="application/json")


def ringing(line: Line, **overrides: Any) -> dict[str, Any]:
    """The telephony system's first post: the phone rings."""
    return {"line": line.pk, "external_id": "pbx-100", "caller_phone": "+7 912 345-67-89",
            "started_at": STARTED.isoformat(), **overrides}


def hung_up(line: Line, **overrides: Any) -> dict[str, Any]:
    """Its last post: answered by the operator, then ended."""
    return ringing(line, **{
        "answered_at": (STARTED + datetime.timedelta(seconds=12)).isoformat(),
        "ended_at": (STARTED + datetime.timedelta(minutes=7)).isoformat(),
        "operator_username": "hotline_operator@home", **overrides,
    })


def record(cast: Any, line: Line, *, answered: bool = True, **fields: Any) -> CallEvent:
    values: dict[str, Any] = {"started_at": timezone.now() - datetime.timedelta(hours=1)}
    if answered:
        values.update(answered_at=values["started_at"],
                      operator_username="hotline_operator@home")
    values.update(fields)
    return services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR), line=line, caller_phone="+79123456789",
        **values,
    )[0]


@pytest.fixture
def line(cast: Any) -> Line:
    return make_line(cast)


@pytest.fixture
def operator(cast: Any) -> Any:
    return cast.user(Role.HOTLINE_OPERATOR)


# --- posting calls ----------------------------------------------------------------


def test_a_telephony_system_posts_a_call_as_it_goes(cast, line, operator, login):
    client = login(operator)
    first = post(client, ringing(line))
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["missed"] is True
    assert body["caller_phone"] == "+79123456789"
    assert body["organisation"] == "HOME"
    last = post(client, hung_up(line))
    assert last.status_code == 200, last.json()
    assert last.json()["id"] == body["id"]
    assert last.json()["missed"] is False
    assert last.json()["operator_username"] == "hotline_operator@home"
    event = CallEvent.objects.get()
    assert event.operator == operator
    assert event.ended_at == STARTED + datetime.timedelta(minutes=7)
    # A retry of the last post changes nothing.
    audits = AuditEntry.objects.count()
    assert post(client, hung_up(line)).status_code == 200
    assert CallEvent.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_a_post_contradicting_the_recorded_call_is_refused_per_field(cast, line, operator,
                                                                     login):
    client = login(operator)
    post(client, hung_up(line))
    response = post(client, hung_up(line, operator_username="coordinator@home"))
    assert response.status_code == 400
    assert set(response.json()) == {"operator_username"}
    assert CallEvent.objects.get().operator == operator


def test_an_unknown_operator_is_refused_in_the_requests_language(cast, line, operator, login):
    response = post(login(operator), hung_up(line, operator_username="nobody"),
                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "operator_username": ["No hotline operator of this organisation has this username."]
    }
    assert not CallEvent.objects.exists()


def test_missing_fields_are_refused_in_russian_when_asked(cast, operator, login):
    response = post(login(operator), {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json() == {"line": ["Обязательное поле."],
                               "started_at": ["Обязательное поле."]}


def test_an_end_before_the_start_is_refused_and_nothing_saved(cast, line, operator, login):
    response = post(login(operator), ringing(
        line, ended_at=(STARTED - datetime.timedelta(minutes=1)).isoformat(),
    ))
    assert response.status_code == 400
    assert "ended_at" in response.json()
    assert not CallEvent.objects.exists()


def test_unknown_fields_are_refused(cast, line, operator, login):
    response = post(login(operator), ringing(line, caller_type="PossibleVictim"))
    assert response.status_code == 400
    assert set(response.json()) == {"caller_type"}


def test_posting_a_call_on_another_organisations_line_is_forbidden(cast, operator, login):
    response = post(login(operator), ringing(make_line(cast, "away")))
    assert response.status_code == 403
    assert not CallEvent.objects.exists()


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_roles_that_do_not_log_contacts_cannot_post_or_list_calls(cast, line, login, role):
    client = login(cast.user(role))
    assert post(client, ringing(line)).status_code == 403
    assert client.get(LIST).status_code == 403
    assert not CallEvent.objects.exists()


# --- the queues --------------------------------------------------------------------


def test_lists_carry_no_callers_number_and_filter_by_state(cast, line, operator, login):
    other_line = make_line(cast)
    pending = record(cast, line)
    by_coordinator = record(cast, other_line, operator_username="coordinator@home")
    missed = record(cast, line, answered=False)
    logged = record(cast, line)
    services.call_event_attach(actor=operator, call_event=logged,
                               contact=log_contact(cast, line=line))
    client = login(operator)

    def ids(query: str = "") -> set[int]:
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert "caller_phone" not in response.json()["results"][0]
        assert "9123456789" not in response.content.decode()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {pending.pk, by_coordinator.pk, missed.pk, logged.pk}
    assert ids("state=pending") == {pending.pk, by_coordinator.pk}
    assert ids("state=pending&operator=me") == {pending.pk}
    coordinator = cast.user(Role.COORDINATOR)
    assert ids(f"state=pending&operator={coordinator.pk}") == {by_coordinator.pk}
    assert ids("state=missed") == {missed.pk}
    assert ids(f"line={other_line.pk}") == {by_coordinator.pk}
    assert client.get(f"{LIST}?state=lost").status_code == 400


def test_another_organisations_calls_are_not_listed(cast, line, login):
    record(cast, line)
    body = login(cast.user(Role.HOTLINE_OPERATOR, "away")).get(LIST).json()
    assert body["count"] == 0


# --- one call ------------------------------------------------------------------------


def test_reading_a_call_shows_the_number_and_is_audited(cast, line, operator, login):
    event = record(cast, line)
    response = login(operator).get(url(event))
    assert response.status_code == 200
    assert response.json()["caller_phone"] == "+79123456789"
    assert AuditEntry.objects.filter(
        action=Action.VIEW, target_type="hotline.CallEvent", target_id=str(event.pk)
    ).exists()


def test_a_call_of_another_organisation_is_not_found(cast, line, login):
    event = record(cast, line)
    for role in (Role.HOTLINE_OPERATOR, Role.COORDINATOR):
        assert login(cast.user(role, "away")).get(url(event)).status_code == 404
    assert login(cast.site_admin).get(url(event)).status_code == 404


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_a_call_is_forbidden_to_colleagues_in_other_roles(cast, line, login, role):
    event = record(cast, line)
    client = login(cast.user(role))
    assert client.get(url(event)).status_code == 403
    assert patch(client, url(event), {"contact": log_contact(cast).pk}).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.VIEW).exists()


def test_other_methods_are_not_allowed(cast, line, operator, login):
    event = record(cast, line)
    client = login(operator)
    assert client.put(url(event), {}, content_type="application/json").status_code == 405
    assert client.delete(url(event)).status_code == 405
    assert client.delete(LIST).status_code == 405


def test_linking_the_logged_contact_empties_the_pending_queue(cast, line, operator, login):
    event = record(cast, line)
    contact = log_contact(cast, line=line)
    client = login(operator)
    response = patch(client, url(event), {"contact": contact.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["contact"] == contact.pk
    assert client.get(f"{LIST}?state=pending").json()["count"] == 0
    detail = client.get(f"/api/v1/hotline/contacts/{contact.pk}/").json()
    assert detail["call_event"] == event.pk


def test_linking_a_contact_the_caller_cannot_see_is_refused(cast, line, operator, login):
    event = record(cast, line)
    away_contact = log_contact(cast, org="away")
    response = patch(login(operator), url(event), {"contact": away_contact.pk})
    assert response.status_code == 400
    assert "contact" in response.json()
    event.refresh_from_db()
    assert event.contact is None


def test_linking_a_second_contact_is_refused(cast, line, operator, login):
    event = record(cast, line)
    client = login(operator)
    patch(client, url(event), {"contact": log_contact(cast).pk})
    response = patch(client, url(event), {"contact": log_contact(cast).pk})
    assert response.status_code == 400
    assert "contact" in response.json()


def test_logging_the_contact_for_a_call_links_them_in_one_step(cast, line, operator, login):
    event = record(cast, line)
    started = event.started_at.isoformat()
    data = {"line": line.pk, "channel": "Call", "started_at": started, "outcome": "AdviceGiven",
            "caller_type": "PossibleVictim", "call_event": event.pk}
    client = login(operator)
    response = client.post("/api/v1/hotline/contacts/", data, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["call_event"] == event.pk
    event.refresh_from_db()
    assert event.contact_id == response.json()["id"]
    again = client.post("/api/v1/hotline/contacts/", data, content_type="application/json")
    assert again.status_code == 400
    assert set(again.json()) == {"call_event"}
    assert Contact.objects.count() == 1


def test_a_call_of_another_organisation_cannot_be_logged(cast, line, operator, login):
    away_event = record_away(cast)
    data = {"line": line.pk, "channel": "Call", "started_at": STARTED.isoformat(),
            "outcome": "AdviceGiven", "caller_type": "PossibleVictim",
            "call_event": away_event.pk}
    response = login(operator).post("/api/v1/hotline/contacts/", data,
                                    content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"call_event"}
    assert not Contact.objects.exists()


def record_away(cast: Any) -> CallEvent:
    return services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR, "away"), line=make_line(cast, "away"),
        started_at=STARTED,
    )[0]
