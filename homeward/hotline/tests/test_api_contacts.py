"""The hotline contacts API (hotline/api/contacts.py): contacts, their
follow-ups and escalation calls, the follow-up queue, the lines and the
repeat-caller check.

Call events: ``test_api_call_events.py``. Every audience on every operation:
``access_expectations_api.py`` (the access matrix).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.directory.tests.factories import make_entry
from homeward.hotline import services
from homeward.hotline.models import Contact, EscalationCall
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.django_db

LIST = "/api/v1/hotline/contacts/"
PHONE_CHECK = "/api/v1/hotline/contacts/phone-check/"
FOLLOW_UPS = "/api/v1/hotline/follow-ups/"
LINES = "/api/v1/hotline/lines/"
NOT_LOGGING = [Role.CASE_WORKER, Role.SHELTER_STAFF, Role.MEDICAL, Role.REINTEGRATION_WORKER,
               Role.RESEARCHER, Role.ORG_ADMIN]
IDENTITY = {"caller_name", "caller_phone", "caller_email", "advice_given", "notes",
            "follow_up_note"}
SECRETS = {"caller_name": "Zemfiraquixota", "caller_phone": "+79167770123",
           "caller_email": "zemfira@example.invalid", "advice_given": "Advicesecretword",
           "notes": "Notessecretword"}


def url(contact: Contact, suffix: str = "") -> str:
    return f"{LIST}{contact.pk}/{suffix}"


def post(client: Client, path: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(path, data, content_type="application/json", **extra)


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, data, content_type="application/json")


def new_contact(line_pk: int | None, **overrides: Any) -> dict[str, Any]:
    started = timezone.now() - datetime.timedelta(hours=1)
    return {
        "line": line_pk, "channel": "Call", "started_at": started.isoformat(),
        "ended_at": (started + datetime.timedelta(minutes=12)).isoformat(),
        "caller_type": "RelativeOrFriend", "caller_country": "ru", "caller_city": "Astrakhan",
        "concern_country": "TR", "topics": ["RescueRequest", "MissingPerson"],
        "indicators": ["WithholdsDocuments"], "outcome": "Referred", **overrides,
    }


@pytest.fixture
def operator(cast: Any) -> Any:
    return cast.user(Role.HOTLINE_OPERATOR)


@pytest.fixture
def contact(cast: Any) -> Contact:
    return log_contact(cast, **SECRETS)


def _views(contact: Contact) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW, target_type="hotline.Contact", target_id=str(contact.pk)
    ).count()


# --- the list -------------------------------------------------------------------


def test_list_rows_carry_no_caller_identity(contact, operator, login):
    response = login(operator).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == contact.pk
    assert row["organisation"] == "HOME"
    assert row["topics"] == ["RescueRequest"]
    assert not IDENTITY & set(row)
    text = response.content.decode()
    for secret in SECRETS.values():
        assert secret not in text


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_list_refuses_roles_that_do_not_log_contacts(contact, cast, login, role):
    assert login(cast.user(role)).get(LIST).status_code == 403


def test_list_of_another_organisation_shows_none_of_ours(contact, cast, login):
    body = login(cast.user(Role.HOTLINE_OPERATOR, "away")).get(LIST).json()
    assert body["count"] == 0


def test_list_filters(cast, operator, login):
    line = make_line(cast)
    old = log_contact(cast, line=line, started_at=timezone.now() - datetime.timedelta(days=10))
    professional = log_contact(cast, caller_type="Professional", topics=["Legal"])
    with_follow_up = log_contact(cast, follow_up_due=timezone.localdate())
    client = login(operator)

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{LIST}?{query}").json()["results"]}

    today = timezone.localdate()
    assert ids(f"line={line.pk}") == {old.pk}
    assert ids(f"since={today.isoformat()}") == {professional.pk, with_follow_up.pk}
    assert ids(f"until={(today - datetime.timedelta(days=5)).isoformat()}") == {old.pk}
    assert ids("caller_type=Professional") == {professional.pk}
    assert ids("topic=Legal") == {professional.pk}
    assert ids("follow_up_open=true") == {with_follow_up.pk}
    assert client.get(f"{LIST}?caller_type=Alien").status_code == 400


def test_list_is_paginated(cast, operator, login):
    line = make_line(cast)
    for _n in range(3):
        log_contact(cast, line=line)
    body = login(operator).get(f"{LIST}?limit=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


# --- logging a contact --------------------------------------------------------------


def test_logs_a_contact_and_answers_with_it_in_full(cast, operator, login):
    line = make_line(cast)
    entry = make_entry(cast.home)
    response = post(login(operator), LIST, new_contact(
        line.pk, referrals=[entry.pk], caller_phone="8 (912) 345-67-89", caller_name="Мама",
        follow_up_due=timezone.localdate().isoformat(),
    ))
    assert response.status_code == 201, response.json()
    body = response.json()
    contact = Contact.objects.get()
    assert body["id"] == contact.pk
    assert body["caller_phone"] == "+79123456789"
    assert body["caller_name"] == "Мама"
    assert body["caller_country"] == "RU"
    assert body["referrals"] == [entry.pk]
    assert body["operator"]["username"] == "hotline_operator@home"
    assert body["follow_up_assignee"]["id"] == operator.pk
    assert contact.operator == operator
    assert contact.organisation == cast.home
    assert contact.topics == ["RescueRequest", "MissingPerson"]
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="hotline.Contact").exists()


def test_logs_a_contact_without_line_in_a_named_organisation(cast, operator, login):
    response = post(login(operator), LIST, new_contact(None, channel="Email",
                                                       organisation="HOME"))
    assert response.status_code == 201, response.json()
    assert Contact.objects.get().line is None


def test_a_contact_without_line_nor_organisation_is_refused_per_field(cast, operator, login):
    response = post(login(operator), LIST, new_contact(None, channel="Email"))
    assert response.status_code == 400
    assert "line" in response.json()
    assert not Contact.objects.exists()


def test_missing_fields_are_refused_in_the_requests_language_and_nothing_saved(
    cast, operator, login
):
    response = post(login(operator), LIST, {"line": make_line(cast).pk},
                    HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    body = response.json()
    for field in ("channel", "started_at", "caller_type", "outcome"):
        assert body[field] == ["Обязательное поле."]
    assert not Contact.objects.exists()


def test_a_broken_rule_is_refused_per_field_and_nothing_saved(cast, operator, login):
    started = timezone.now() - datetime.timedelta(hours=1)
    line = make_line(cast)
    before = AuditEntry.objects.count()
    response = post(login(operator), LIST, new_contact(
        line.pk, started_at=started.isoformat(),
        ended_at=(started - datetime.timedelta(minutes=1)).isoformat(),
    ), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"ended_at": ["The end is before the start."]}
    assert not Contact.objects.exists()
    assert AuditEntry.objects.count() == before


def test_unknown_fields_and_picklist_values_are_refused(cast, operator, login):
    client = login(operator)
    line = make_line(cast)
    response = post(client, LIST, new_contact(line.pk, organisation_id=2, topics=["Aliens"]))
    assert response.status_code == 400
    assert set(response.json()) == {"organisation_id"}
    response = post(client, LIST, new_contact(line.pk, topics=["Aliens"], caller_country="XX"))
    assert set(response.json()) == {"topics", "caller_country"}
    assert not Contact.objects.exists()


def test_logging_on_a_line_of_another_organisation_is_forbidden(cast, operator, login):
    away_line = make_line(cast, "away")
    response = post(login(operator), LIST, new_contact(away_line.pk))
    assert response.status_code == 403
    response = post(login(operator), LIST, new_contact(None, organisation="AWAY"))
    assert response.status_code == 403
    assert not Contact.objects.exists()


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_logging_is_refused_to_roles_that_do_not_log_contacts(cast, login, role):
    response = post(login(cast.user(role)), LIST, new_contact(make_line(cast).pk))
    assert response.status_code == 403
    assert not Contact.objects.exists()


# --- one contact ------------------------------------------------------------------


def test_detail_shows_the_contact_in_full_and_is_audited(cast, contact, operator, login):
    coordinator = cast.user(Role.COORDINATOR)
    case = open_case(cast, coordinator)
    services.contact_link_case(actor=coordinator, contact=contact, case=case)
    services.escalation_call_record(actor=operator, contact=contact, other="Task force",
                                    called_at=timezone.now(), note="Escalated")
    response = login(operator).get(url(contact))
    assert response.status_code == 200
    body = response.json()
    for field, value in SECRETS.items():
        assert body[field] == value
    assert body["case"] == case.code
    assert [call["other"] for call in body["escalation_calls"]] == ["Task force"]
    assert body["escalation_calls"][0]["note"] == "Escalated"
    assert body["call_event"] is None
    assert _views(contact) == 1


def test_detail_is_not_found_for_another_organisation(contact, cast, login):
    for role in (Role.HOTLINE_OPERATOR, Role.COORDINATOR):
        assert login(cast.user(role, "away")).get(url(contact)).status_code == 404
    assert login(cast.site_admin).get(url(contact)).status_code == 404
    assert _views(contact) == 0


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_detail_is_forbidden_to_colleagues_in_other_roles(contact, cast, login, role):
    client = login(cast.user(role))
    assert client.get(url(contact)).status_code == 403
    assert patch(client, url(contact), {"caller_city": "Tver"}).status_code == 403
    assert _views(contact) == 0


def test_detail_answers_405_to_other_methods(contact, operator, login):
    client = login(operator)
    assert client.put(url(contact), {}, content_type="application/json").status_code == 405
    assert client.delete(url(contact)).status_code == 405


def test_patch_changes_the_fields_given(cast, contact, operator, login):
    entry = make_entry(cast.home)
    response = patch(login(operator), url(contact), {
        "caller_city": "Tver", "referrals": [entry.pk], "caller_phone": "",
    })
    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.caller_city == "Tver"
    assert contact.caller_phone == ""
    assert contact.caller_name == SECRETS["caller_name"]
    assert list(contact.referrals.all()) == [entry]
    audit = AuditEntry.objects.filter(action=Action.UPDATE, target_type="hotline.Contact").get()
    assert {"caller_city", "caller_phone", "referrals"} == set(audit.fields)


def test_patch_refuses_a_broken_rule_and_changes_nothing(contact, operator, login):
    response = patch(login(operator), url(contact), {"caller_phone": "12-34"})
    assert response.status_code == 400
    assert "caller_phone" in response.json()
    contact.refresh_from_db()
    assert contact.caller_phone == SECRETS["caller_phone"]


def test_patch_cannot_move_a_contact_to_another_organisation(contact, operator, login):
    response = patch(login(operator), url(contact), {"organisation": "AWAY"})
    assert response.status_code == 400
    assert set(response.json()) == {"organisation"}
    contact.refresh_from_db()
    assert contact.organisation.code == "HOME"


def test_patch_of_another_organisations_contact_is_not_found(contact, cast, login):
    client = login(cast.user(Role.HOTLINE_OPERATOR, "away"))
    assert patch(client, url(contact), {"caller_city": "Tver"}).status_code == 404


# --- follow-up done -------------------------------------------------------------------


def test_follow_up_done_once(cast, operator, login):
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    client = login(operator)
    response = post(client, url(contact, "follow-up-done/"), {"note": "Called back"})
    assert response.status_code == 200
    assert response.json()["follow_up_note"] == "Called back"
    contact.refresh_from_db()
    assert contact.follow_up_done_at is not None
    again = post(client, url(contact, "follow-up-done/"), {})
    assert again.status_code == 400
    assert again.json() == {"detail": "This follow-up is already done."}


def test_follow_up_done_needs_a_follow_up(contact, operator, login):
    response = post(login(operator), url(contact, "follow-up-done/"), {})
    assert response.status_code == 400
    assert login(operator).get(url(contact, "follow-up-done/")).status_code == 405


def test_follow_up_done_refuses_others(cast, login):
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    path = url(contact, "follow-up-done/")
    assert post(login(cast.user(Role.CASE_WORKER)), path, {}).status_code == 403
    assert post(login(cast.user(Role.HOTLINE_OPERATOR, "away")), path, {}).status_code == 404
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


# --- escalation calls -------------------------------------------------------------------


def test_records_and_lists_escalation_calls(cast, contact, operator, login):
    entry = make_entry(cast.home)
    client = login(operator)
    called = timezone.now()
    response = post(client, url(contact, "escalation-calls/"), {
        "entry": entry.pk, "called_at": called.isoformat(), "note": "Promised a patrol",
    })
    assert response.status_code == 201, response.json()
    assert response.json()["entry"] == entry.pk
    assert response.json()["recorded_by"] == "hotline_operator@home"
    listed = client.get(url(contact, "escalation-calls/"))
    assert listed.status_code == 200
    assert [call["note"] for call in listed.json()] == ["Promised a patrol"]
    assert _views(contact) == 1


def test_an_escalation_call_needs_who_was_called(contact, operator, login):
    response = post(login(operator), url(contact, "escalation-calls/"),
                    {"called_at": timezone.now().isoformat()})
    assert response.status_code == 400
    assert "entry" in response.json()
    assert not EscalationCall.objects.exists()


def test_escalation_calls_refuse_others(contact, cast, login):
    path = url(contact, "escalation-calls/")
    assert login(cast.user(Role.CASE_WORKER)).get(path).status_code == 403
    assert login(cast.user(Role.COORDINATOR, "away")).get(path).status_code == 404
    assert login(cast.user(Role.COORDINATOR)).patch(path).status_code == 405


# --- the follow-up queue ----------------------------------------------------------------


def test_follow_up_queue_puts_overdue_first_and_carries_no_identity(cast, operator, login):
    today = timezone.localdate()
    later = log_contact(cast, follow_up_due=today + datetime.timedelta(days=2), **SECRETS)
    overdue = log_contact(cast, follow_up_due=today - datetime.timedelta(days=1))
    theirs = log_contact(cast, actor=cast.user(Role.COORDINATOR), follow_up_due=today)
    log_contact(cast)  # no follow-up
    client = login(operator)
    response = client.get(FOLLOW_UPS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [overdue.pk, theirs.pk, later.pk]
    assert [row["overdue"] for row in rows] == [True, False, False]
    assert not IDENTITY & set(rows[0])
    for secret in SECRETS.values():
        assert secret not in response.content.decode()
    mine = client.get(f"{FOLLOW_UPS}?assignee=me").json()["results"]
    assert [row["id"] for row in mine] == [overdue.pk, later.pk]
    coordinator = cast.user(Role.COORDINATOR)
    by_id = client.get(f"{FOLLOW_UPS}?assignee={coordinator.pk}").json()["results"]
    assert [row["id"] for row in by_id] == [theirs.pk]
    by_line = client.get(f"{FOLLOW_UPS}?line={theirs.line_id}").json()["results"]
    assert [row["id"] for row in by_line] == [theirs.pk]
    assert client.get(f"{FOLLOW_UPS}?assignee=you").status_code == 400


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_follow_up_queue_refuses_roles_that_do_not_log_contacts(cast, login, role):
    assert login(cast.user(role)).get(FOLLOW_UPS).status_code == 403


# --- lines -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_every_member_of_the_coalition_reads_the_lines(cast, login, role):
    line = make_line(cast)
    make_line(cast, is_active=False)
    body = login(cast.user(role, "away")).get(LINES).json()
    assert [row["id"] for row in body["results"]] == [line.pk]
    assert body["results"][0]["organisation"] == "HOME"
    assert body["results"][0]["languages"] == ["ru"]


def test_lines_refuse_anonymous_callers(cast, client):
    assert client.get(LINES).status_code == 403


# --- repeat callers ----------------------------------------------------------------------


def test_phone_check_finds_earlier_contacts_and_audits_only_the_count(cast, operator, login):
    earlier = log_contact(cast, caller_phone="+7 912 345-67-89")
    log_contact(cast, caller_phone="+79990001122")
    log_contact(cast, org="away", caller_phone="+79123456789")
    response = post(login(operator), PHONE_CHECK, {"phone": "8 912 345 67 89"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["id"] for row in body["contacts"]] == [earlier.pk]
    assert not IDENTITY & set(body["contacts"][0])
    audit = AuditEntry.objects.get(action=Action.MATCH_CHECK)
    assert audit.detail == {"lookup": "caller_phone", "visible": 1}
    assert "912" not in str(audit.detail)


def test_phone_check_is_a_post(cast, operator, login):
    assert login(operator).get(f"{PHONE_CHECK}?phone=89123456789").status_code == 405


def test_phone_check_needs_a_phone(cast, operator, login):
    response = post(login(operator), PHONE_CHECK, {})
    assert response.status_code == 400
    assert "phone" in response.json()


@pytest.mark.parametrize("role", NOT_LOGGING)
def test_phone_check_refuses_roles_that_do_not_log_contacts(cast, login, role):
    log_contact(cast, caller_phone="+79123456789")
    response = post(login(cast.user(role)), PHONE_CHECK, {"phone": "+79123456789"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.MATCH_CHECK).exists()


# --- schema --------------------------------------------------------------------------------


def test_openapi_schema_documents_the_hotline_api_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/hotline/contacts/", "/api/v1/hotline/contacts/{id}/",
        "/api/v1/hotline/contacts/{id}/follow-up-done/",
        "/api/v1/hotline/contacts/{id}/escalation-calls/",
        "/api/v1/hotline/contacts/phone-check/", "/api/v1/hotline/follow-ups/",
        "/api/v1/hotline/lines/", "/api/v1/hotline/call-events/",
        "/api/v1/hotline/call-events/{id}/",
    ):
        assert f"{path}:" in schema, path
