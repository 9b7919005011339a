"""The rescue escalation pages: who can help (audited), the calls made, and
the urgent case opened from the contact through the pre-filled intake."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import TeamRole
from homeward.cases.models import Case, CaseAssignment
from homeward.hotline.choices import Outcome
from homeward.hotline.models import EscalationCall
from homeward.hotline.tests.escalation_helpers import (
    TASK_FORCE,
    make_task_force,
    posted,
    rescue_contact,
)
from homeward.hotline.tests.factories import log_contact

pytestmark = pytest.mark.django_db

HELPERS = reverse("hotline:who-can-help")
LOGGERS = [Role.HOTLINE_OPERATOR, Role.COORDINATOR]
NOT_LOGGERS = [r for r in Role.values if r not in LOGGERS]


def _escalate(contact):
    return reverse("hotline:contact-escalate", kwargs={"pk": contact.pk})


def _intake(contact):
    return reverse("cases:case-create") + f"?source=hotline&ref={contact.pk}"


def _lookups(user):
    return AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=user.pk, target_type="directory.ContactPoint",
        detail__query="who_can_help",
    )


# --- access -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, cast):
    contact = log_contact(cast)
    for url in (HELPERS, _escalate(contact)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", NOT_LOGGERS)
def test_roles_that_log_no_contacts_get_403_everywhere(cast, login, role):
    contact = log_contact(cast)
    client = login(cast.user(role))
    assert client.get(HELPERS, {"country": "TR"}).status_code == 403
    assert client.get(_escalate(contact)).status_code == 403
    response = client.post(_escalate(contact), {"other": "Police", "called_at": "2026-01-01T10:00"})
    assert response.status_code == 403
    assert not EscalationCall.objects.exists()


@pytest.mark.parametrize("role", LOGGERS)
def test_outsiders_do_not_find_the_contact(cast, login, role):
    contact = log_contact(cast)
    client = login(cast.user(role, "away"))
    assert client.get(_escalate(contact)).status_code == 404
    assert client.post(_escalate(contact), {"other": "Police"}).status_code == 404
    assert client.get(HELPERS, {"country": "TR", "contact": contact.pk}).status_code == 404
    missing = reverse("hotline:contact-escalate", kwargs={"pk": 999999})
    assert login(cast.user(role)).get(missing).status_code == 404


def test_wrong_methods_are_405(cast, login):
    contact = log_contact(cast)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    assert client.post(HELPERS, {"country": "TR"}).status_code == 405
    assert client.patch(_escalate(contact)).status_code == 405


# --- who can help -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["TR", "tr", "Turkey", "Турция"])
def test_who_can_help_takes_a_code_or_an_english_or_russian_name(cast, login, typed):
    make_task_force(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    response = login(operator).get(HELPERS, {"country": typed, "city": "Istanbul"})
    body = response.content.decode()
    assert response.status_code == 200
    assert TASK_FORCE in body
    assert 'href="tel:+902125550101"' in body
    entry = _lookups(operator).get()
    assert entry.detail["country"] == "TR"
    assert entry.detail["city"] == "Istanbul"
    assert entry.detail["results"] == 1


def test_who_can_help_lists_24_7_lines_first(cast, login):
    from homeward.directory.models import EntryKind
    from homeward.directory.tests.factories import make_contact, make_entry

    office = make_entry(cast.home, kind=EntryKind.NGO, name_en="Aaa office hours NGO",
                        country="TR", city="Istanbul")
    make_contact(office, label_en="Office", phone="+90 212 555 0199", is_24_7=False,
                 hours="Mon-Fri 9-18")
    make_task_force(cast)
    body = login(cast.user(Role.COORDINATOR)).get(HELPERS, {"country": "TR"}).content.decode()
    assert body.index(TASK_FORCE) < body.index("Aaa office hours NGO")


def test_unknown_country_says_so_and_looks_nothing_up(cast, login):
    operator = cast.user(Role.HOTLINE_OPERATOR)
    response = login(operator).get(HELPERS, {"country": "Atlantis"})
    assert response.status_code == 200
    assert "We do not know the country “Atlantis”" in response.content.decode()
    assert not _lookups(operator).exists()


def test_who_can_help_without_a_country_asks_for_one(cast, login):
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(HELPERS)
    assert response.status_code == 200
    assert "Type the country" in response.content.decode()


# --- the escalation page ------------------------------------------------------


def test_page_shows_who_can_help_where_the_person_is_and_audits_it(cast, login):
    make_task_force(cast)
    contact = rescue_contact(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    response = login(operator).get(_escalate(contact))
    body = response.content.decode()
    assert response.status_code == 200
    assert TASK_FORCE in body
    assert _intake(contact).replace("&", "&amp;") in body
    # No more of the contact than the rescue needs: never the caller.
    assert "Anna" not in body
    assert "532" not in body
    entry = _lookups(operator).get()
    assert entry.detail == {"query": "who_can_help", "country": "TR", "city": "Istanbul",
                            "results": 1, "contact": contact.pk}
    assert entry.organisation_code == "HOME"


def test_page_falls_back_to_the_callers_country(cast, login):
    make_task_force(cast)
    contact = rescue_contact(cast, concern_country="", concern_city="")
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(_escalate(contact)).content.decode()
    assert TASK_FORCE in body


def test_recording_a_call_to_a_directory_entry(cast, login):
    entry = make_task_force(cast)
    contact = rescue_contact(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    called = timezone.localtime().replace(second=0, microsecond=0)
    response = login(operator).post(_escalate(contact), {
        "entry": entry.pk, "called_at": called.strftime("%Y-%m-%dT%H:%M"),
        "note": "Team on its way",
    })
    assert response.status_code == 302
    call = EscalationCall.objects.get()
    assert (call.contact, call.entry, call.called_at, call.note) == (
        contact, entry, called, "Team on its way")
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="hotline.EscalationCall",
                                     target_id=str(call.pk)).exists()
    page = login(operator).get(_escalate(contact)).content.decode()
    assert "Team on its way" in page


def test_recording_a_call_needs_someone(cast, login):
    contact = rescue_contact(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(_escalate(contact), {
        "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    })
    assert response.status_code == 200
    assert "Choose who was called" in response.content.decode()
    assert not EscalationCall.objects.exists()


def test_recording_a_call_to_someone_not_in_the_directory(cast, login):
    contact = rescue_contact(cast)
    response = login(cast.user(Role.COORDINATOR)).post(_escalate(contact), {
        "other": "Consulate duty officer",
        "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    })
    assert response.status_code == 302
    assert EscalationCall.objects.get().other == "Consulate duty officer"


# --- the urgent case ----------------------------------------------------------


def _open_from_contact(client, contact):
    page = client.get(_intake(contact))
    assert page.status_code == 200
    return client.post(reverse("cases:case-create"), posted(page.context["form"]))


def test_escalation_creates_exactly_one_urgent_case_linked_to_the_contact(
    cast, login, django_capture_on_commit_callbacks,
):
    contact = rescue_contact(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    client = login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _open_from_contact(client, contact)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case-detail", kwargs={"code": case.code})
    contact.refresh_from_db()
    assert contact.case == case
    assert contact.outcome == Outcome.CASE_OPENED
    assert case.is_urgent
    assert case.case_owner is None
    assert str(case.current_country) == "TR"
    assert case.current_city == "Istanbul"
    assert case.person.first_name == "Anna"
    assert case.person.last_name == "Ivanova"
    assert CaseAssignment.objects.get(case=case).role == TeamRole.HOTLINE
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="cases.Case",
                                     target_id=str(case.pk), detail__urgent=True).exists()
    assert AuditEntry.objects.filter(action=Action.UPDATE, target_type="hotline.Contact",
                                     target_id=str(contact.pk), fields=["case", "outcome"]
                                     ).exists()
    # The case workers and coordinators of HOME are told: the code, never a name.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        cast.user(role).email for role in (Role.CASE_WORKER, Role.COORDINATOR)
    )
    assert all(case.code in m.body for m in mail.outbox)
    assert not any("Anna" in m.body for m in mail.outbox)
    # The operator lands on the case and keeps seeing it.
    assert client.get(response["Location"]).status_code == 200


def test_opening_again_from_a_linked_contact_is_refused_and_opens_nothing(cast, login):
    contact = rescue_contact(cast)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    page = client.get(_intake(contact))
    data = posted(page.context["form"])
    assert client.post(reverse("cases:case-create"), data).status_code == 302
    again = client.post(reverse("cases:case-create"), data)
    assert again.status_code == 200
    assert "already linked to another case" in again.content.decode()
    assert Case.objects.count() == 1
    # The escalation page now leads to the case instead.
    body = client.get(_escalate(contact)).content.decode()
    case = Case.objects.get()
    assert reverse("cases:case-detail", kwargs={"code": case.code}) in body
    assert "source=hotline" not in body


def test_case_worker_opening_with_a_forged_reference_links_nothing(cast, login):
    contact = rescue_contact(cast)
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_intake(contact))
    assert "Anna" not in page.content.decode()  # the contact is not theirs to read
    data = posted(page.context["form"])
    data.update({"first_name": "Maria", "referral_source": "Hotline", "kind": "Victim",
                 "source": "hotline", "ref": str(contact.pk)})
    assert client.post(reverse("cases:case-create"), data).status_code == 302
    contact.refresh_from_db()
    assert contact.case is None


def test_the_opened_case_is_first_in_the_case_workers_queue(cast, login):
    from homeward.cases.tests.factories import open_case

    older = open_case(cast, opened_on=timezone.localdate() - datetime.timedelta(days=1))
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    _open_from_contact(client, rescue_contact(cast))
    urgent = Case.objects.get(is_urgent=True)
    body = login(cast.user(Role.CASE_WORKER)).get(reverse("cases:case-list")).content.decode()
    assert body.index(urgent.code) < body.index(older.code)
    assert "Urgent" in body
