"""Call events on the operator's pages (views_contacts): the contact form
started from a reported call (``?call=``) saves the contact and its link to
the call together, and the contact list shows the operator's calls not yet
logged — never the caller's number."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.hotline import services
from homeward.hotline.models import CallEvent, Contact, Line
from homeward.hotline.tests.factories import log_contact, make_line
from homeward.hotline.views_contacts import duration_text

pytestmark = pytest.mark.django_db

LIST = reverse("hotline:contact-list")
CREATE = reverse("hotline:contact-create")
PHONE = "+7 912 345-67-89"


def _start() -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)


def call(
    cast: Any, line: Line | None = None, org: str = "home", *, answered: bool = True,
    operator: str = "hotline_operator", **fields: Any,
) -> CallEvent:
    """A call posted by ``org``'s hotline operator account: answered by
    ``operator`` and eight minutes long, or missed."""
    line = line or make_line(cast, org)
    started = fields.pop("started_at", _start())
    values: dict[str, Any] = {"started_at": started, "caller_phone": PHONE}
    if answered:
        values.update({
            "answered_at": started + datetime.timedelta(seconds=20),
            "ended_at": started + datetime.timedelta(minutes=8),
            "operator_username": f"{operator}@{org}",
        })
    values.update(fields)
    event, _new = services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR, org), line=line, **values
    )
    return event


def _form_url(event: CallEvent) -> str:
    return f"{CREATE}?call={event.pk}"


def _data(event: CallEvent, **values: Any) -> dict[str, Any]:
    """The form as the operator sends it for ``event`` (the times as shown)."""
    local = timezone.localtime
    data = {
        "call": str(event.pk), "channel": "Call", "line": str(event.line_id),
        "started_at": local(event.started_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "ended_at": local(event.ended_at).strftime("%Y-%m-%dT%H:%M:%S")
        if event.ended_at else "",
        "caller_type": "RelativeOrFriend", "caller_country": "Russia", "caller_region": "",
        "caller_city": "Astrakhan", "concern_country": "TR", "concern_city": "Istanbul",
        "topics": ["RescueRequest"], "indicators": [], "assessment": "", "advice_given": "",
        "outcome": "AdviceGiven", "notes": "", "follow_up_due": "", "follow_up_assignee": "",
        "caller_name": "", "caller_phone": PHONE, "caller_email": "", "then": "detail",
    }
    data.update(values)
    return data


# --- the form started from a call ----------------------------------------------


def test_form_is_prefilled_from_the_call(cast: Any, login: Any) -> None:
    event = call(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(_form_url(event))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["line"].value() == event.line_id
    assert form["channel"].value() == "Call"
    # As the datetime-local inputs show them: the wall clock of the site's zone.
    assert form["started_at"].value() == timezone.localtime(event.started_at).replace(tzinfo=None)
    assert form["ended_at"].value() == timezone.localtime(event.ended_at).replace(tzinfo=None)
    assert form["caller_phone"].value() == "+7 912 345-67-89"
    body = response.content.decode()
    assert f'<input type="hidden" name="call" value="{event.pk}">' in body
    local = timezone.localtime(event.started_at).strftime("%Y-%m-%dT%H:%M:%S")
    assert f'value="{local}"' in body  # what the call timer starts from
    assert 'data-call-ended="on"' in body
    assert 'id="end-call"' not in body  # the call is over: nothing to end
    # Showing the caller's number is a read of the call, audited.
    assert AuditEntry.objects.filter(
        action=Action.VIEW, target_type__icontains="callevent", target_id=str(event.pk),
    ).exists()


def test_call_still_going_keeps_the_end_call_button(cast: Any, login: Any) -> None:
    event = call(cast, ended_at=None)
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(_form_url(event)).content.decode()
    assert 'id="end-call"' in body
    assert "data-call-ended" not in body


@pytest.mark.parametrize("role", [Role.HOTLINE_OPERATOR, Role.COORDINATOR])
def test_call_of_another_organisation_is_not_found(cast: Any, login: Any, role: str) -> None:
    event = call(cast)
    client = login(cast.user(role, "away"))
    assert client.get(_form_url(event)).status_code == 404
    response = client.post(_form_url(event), _data(event))
    assert response.status_code == 404
    assert client.post(CREATE, _data(event)).status_code == 404  # the hidden field alone
    assert Contact.objects.count() == 0


def test_call_id_that_is_no_number_is_not_found(cast: Any, login: Any) -> None:
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    assert client.get(f"{CREATE}?call=abc").status_code == 404


def test_colleague_in_another_role_is_refused(cast: Any, login: Any) -> None:
    event = call(cast)
    assert login(cast.user(Role.CASE_WORKER)).get(_form_url(event)).status_code == 403


def test_call_already_logged_redirects_to_its_contact(cast: Any, login: Any) -> None:
    event = call(cast)
    contact = log_contact(cast, line=event.line)
    services.call_event_attach(actor=cast.user(Role.HOTLINE_OPERATOR), call_event=event,
                               contact=contact)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(_form_url(event))
    assert response.status_code == 302
    assert response["Location"] == reverse("hotline:contact-detail", kwargs={"pk": contact.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This call is already logged."
    ]


def test_saving_logs_the_contact_and_links_the_call(cast: Any, login: Any) -> None:
    event = call(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(_form_url(event), _data(event))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hotline:contact-detail", kwargs={"pk": contact.pk})
    event.refresh_from_db()
    assert event.contact == contact
    assert contact.line == event.line
    assert contact.started_at == event.started_at
    assert contact.ended_at == event.ended_at
    # The call has left the operator's queue.
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(LIST).content.decode()
    assert "Calls not yet logged" not in body


def test_invalid_form_saves_neither(cast: Any, login: Any) -> None:
    event = call(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        _form_url(event), _data(event, caller_type="", ended_at="2000-01-01T00:00:00"),
    )
    assert response.status_code == 200
    assert response.context["error_summary"]
    assert f'name="call" value="{event.pk}"' in response.content.decode()
    assert Contact.objects.count() == 0
    event.refresh_from_db()
    assert event.contact is None


def test_refused_by_the_service_saves_neither(cast: Any, login: Any) -> None:
    event = call(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        _form_url(event), _data(event, ended_at="2000-01-01T00:00:00"),  # before the start
    )
    assert response.status_code == 200
    assert response.context["error_summary"]
    assert Contact.objects.count() == 0
    event.refresh_from_db()
    assert event.contact is None


def test_call_logged_meanwhile_is_refused_on_the_form(cast: Any, login: Any) -> None:
    event = call(cast)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    client.post(_form_url(event), _data(event))
    response = client.post(_form_url(event), _data(event))
    assert response.status_code == 200
    assert "This call is already logged." in response.content.decode()
    assert Contact.objects.count() == 1


def test_form_without_a_call_links_nothing(cast: Any, login: Any) -> None:
    event = call(cast)
    data = _data(event)
    del data["call"]
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(CREATE, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.contact is None


# --- the panel of calls not yet logged -------------------------------------------


def test_panel_lists_the_operators_own_answered_calls_without_the_number(
    cast: Any, login: Any,
) -> None:
    line = make_line(cast, label_en="Panel line")
    mine = call(cast, line)
    colleagues = call(cast, line, operator="coordinator")
    away = call(cast, org="away", operator="hotline_operator")
    call(cast, line, answered=False)  # missed
    call(cast, line, answered=False, started_at=timezone.now() - datetime.timedelta(hours=30))
    call(cast, org="away", answered=False)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(LIST)
    body = response.content.decode()
    assert "Calls not yet logged" in body
    assert f"?call={mine.pk}\"" in body
    assert "Log this call" in body
    assert "Panel line" in body
    assert "8:00" in body
    assert f"?call={colleagues.pk}\"" not in body
    assert f"?call={away.pk}\"" not in body
    assert "1 missed call on your organisation" in body
    assert "912" not in body
    assert "345-67-89" not in body


def test_panel_is_left_out_when_nothing_waits(cast: Any, login: Any) -> None:
    call(cast, org="away")
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(LIST).content.decode()
    assert "Calls not yet logged" not in body


def test_missed_calls_alone_show_the_note(cast: Any, login: Any) -> None:
    call(cast, answered=False)
    call(cast, answered=False)
    body = login(cast.user(Role.COORDINATOR)).get(LIST).content.decode()
    assert "All the calls you answered are logged." in body
    assert "2 missed calls on your organisation" in body
    assert "Log this call" not in body


def test_duration_text() -> None:
    start = timezone.now()
    assert duration_text(start, None) == ""
    assert duration_text(start, start + datetime.timedelta(minutes=8, seconds=5)) == "8:05"
    assert duration_text(start, start + datetime.timedelta(hours=1, seconds=7)) == "1:00:07"


# --- in a real browser: the call timer -------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_timer_shows_the_reported_call_stopped_and_saving_links_it(
    browser_page: Any, cast: Any,
) -> None:
    from playwright.sync_api import expect

    from homeward.core.tests.browser import sign_in

    page = browser_page
    ended = call(cast)  # 8 minutes, over
    going = call(cast, ended.line, ended_at=None)  # started 30 minutes ago
    sign_in(page, cast.user(Role.HOTLINE_OPERATOR))

    page.goto(_form_url(going))
    timer = page.locator("#call-timer")
    expect(timer).to_have_text(re.compile(r"^30:\d\d$"))
    expect(page.locator("#end-call")).to_be_visible()

    page.goto(LIST)
    page.locator(f"a[href$='?call={ended.pk}']").click()
    expect(timer).to_have_text("08:00")
    page.wait_for_timeout(1500)
    expect(timer).to_have_text("08:00")  # stopped
    expect(page.locator("#end-call")).to_have_count(0)
    page.keyboard.press("Alt+E")
    expect(timer).to_have_text("08:00")  # there is no call to end

    page.locator("#id_caller_type_1").check()
    page.locator("#id_caller_country").fill("Russia")
    page.locator("input[name=topics][value=RescueRequest]").check()
    page.locator("#id_outcome_0").check()
    page.locator("button[name=then][value=detail]").click()
    expect(page.locator("h1")).not_to_have_text("Log a contact")
    ended.refresh_from_db()
    assert ended.contact is not None
    assert ended.contact.ended_at == ended.ended_at
