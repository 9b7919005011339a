"""The hotline contact pages: the list, the keyboard-first form, the contact's
page and the repeat-caller panel. Only the hotline operators and
coordinators of the owning organisation reach them; every look is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.hotline.models import Contact
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.django_db

LIST = reverse("hotline:contact-list")
CREATE = reverse("hotline:contact-create")
PHONE_CHECK = reverse("hotline:contact-phone-check")
LOGGERS = (Role.HOTLINE_OPERATOR, Role.COORDINATOR)
OTHERS = [role for role in Role.values if role not in LOGGERS]
PHONE = "+7 912 345-67-89"


def _detail(contact):
    return reverse("hotline:contact-detail", kwargs={"pk": contact.pk})


def _edit(contact):
    return reverse("hotline:contact-edit", kwargs={"pk": contact.pk})


def _data(line, **values):
    data = {
        "channel": "Call", "line": str(line.pk) if line else "",
        "started_at": (timezone.localtime() - datetime.timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M:%S"),
        "ended_at": "", "caller_type": "RelativeOrFriend", "caller_country": "Russia",
        "caller_region": "", "caller_city": "Astrakhan", "concern_country": "TR",
        "concern_city": "Istanbul", "topics": ["RescueRequest"], "indicators": [],
        "assessment": "", "advice_given": "", "outcome": "AdviceGiven", "notes": "",
        "follow_up_due": "", "follow_up_assignee": "", "caller_name": "",
        "caller_phone": "", "caller_email": "", "then": "detail",
    }
    data.update(values)
    return data


# --- access -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, cast):
    contact = log_contact(cast)
    for url in (LIST, CREATE, _detail(contact), _edit(contact)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", OTHERS)
def test_roles_that_log_no_contacts_get_403_everywhere(cast, login, role):
    contact = log_contact(cast)
    client = login(cast.user(role))
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(contact.line)).status_code == 403
    assert client.post(PHONE_CHECK, {"caller_phone": PHONE}).status_code == 403
    assert client.get(_detail(contact)).status_code == 403
    assert client.get(_edit(contact)).status_code == 403
    assert client.post(_edit(contact), _data(contact.line)).status_code == 403
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("role", Role.values)
def test_other_organisations_get_404_on_a_contact(cast, login, role):
    contact = log_contact(cast)
    client = login(cast.user(role, "away"))
    assert client.get(_detail(contact)).status_code == 404
    assert client.get(_edit(contact)).status_code == 404
    assert client.post(_edit(contact), _data(contact.line)).status_code == 404


def test_site_admin_is_refused_the_lists_and_finds_no_contact(cast, login):
    contact = log_contact(cast)
    client = login(cast.site_admin)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.get(_detail(contact)).status_code == 404


def test_wrong_methods_get_405(cast, login):
    contact = log_contact(cast)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    assert client.post(LIST).status_code == 405
    assert client.get(PHONE_CHECK).status_code == 405
    assert client.post(_detail(contact)).status_code == 405
    assert client.delete(_edit(contact)).status_code == 405


# --- the list -----------------------------------------------------------------


@pytest.mark.parametrize("role", LOGGERS)
def test_list_shows_the_organisations_contacts_without_callers_identity(cast, login, role):
    contact = log_contact(cast, caller_name="Marina Secret", caller_phone=PHONE)
    log_contact(cast, org="away", caller_city="Elsewhere-town")
    response = login(cast.user(role)).get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert _detail(contact) in body
    assert "Astrakhan" in body
    assert "Istanbul" in body
    assert "Marina Secret" not in body
    assert "912" not in body
    assert "Elsewhere-town" not in body
    assert "Log a contact" in body


def test_list_filters_by_caller_type_topic_line_and_open_follow_up(cast, login):
    line = make_line(cast)
    rescue = log_contact(cast, line=line, follow_up_due=timezone.localdate())
    job = log_contact(
        cast, topics=["JobOfferCheck"], caller_type="PlanningToWorkAbroad",
    )
    client = login(cast.user(Role.HOTLINE_OPERATOR))

    def shown(query):
        body = client.get(LIST, query).content.decode()
        return {c.pk for c in (rescue, job) if _detail(c) in body}

    assert shown({}) == {rescue.pk, job.pk}
    assert shown({"topic": "JobOfferCheck"}) == {job.pk}
    assert shown({"caller_type": "RelativeOrFriend"}) == {rescue.pk}
    assert shown({"line": line.pk}) == {rescue.pk}
    assert shown({"open_follow_up": "on"}) == {rescue.pk}
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert shown({"started_from": tomorrow}) == set()


# --- the form -------------------------------------------------------------------


def test_form_autofocuses_the_channel_and_prefills_the_start(cast, login):
    line = make_line(cast)
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(CREATE).content.decode()
    first_radio = body[body.index('value="Call"'):].split(">", 1)[0]
    assert "autofocus" in first_radio
    assert 'id="id_channel_0"' in first_radio
    assert body.count("autofocus") == 1
    assert 'type="datetime-local"' in body
    assert timezone.localtime().strftime("%Y-%m-%dT%H:") in body
    assert '<datalist id="country-names">' in body
    assert "<kbd>Alt</kbd>+<kbd>E</kbd>" in body
    assert "hotline/js/contact-form.js" in body
    assert f'<option value="{line.pk}" selected>' in body  # the only line


def test_operator_logs_a_call_and_lands_on_its_page(cast, login):
    line = make_line(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    response = login(operator).post(CREATE, _data(
        line, caller_phone="8 912 345 67 89", caller_name="Marina",
        follow_up_due=(timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    ))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(contact)
    assert contact.operator == operator
    assert contact.caller_country.code == "RU"
    assert contact.concern_country.code == "TR"
    assert contact.caller_phone == "+79123456789"
    assert contact.follow_up_assignee == operator
    assert AuditEntry.objects.filter(action=Action.CREATE, target_id=str(contact.pk)).exists()


def test_line_defaults_to_the_last_one_used_or_the_query(cast, login):
    first, second = make_line(cast), make_line(cast)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    client.post(CREATE, _data(second))
    body = client.get(CREATE).content.decode()
    assert f'<option value="{second.pk}" selected>' in body
    body = client.get(CREATE, {"line": first.pk}).content.decode()
    assert f'<option value="{first.pk}" selected>' in body


def test_save_and_escalate_goes_to_the_escalation_page(cast, login):
    line = make_line(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        CREATE, _data(line, then="escalate")
    )
    contact = Contact.objects.get()
    assert response["Location"] == reverse(
        "hotline:contact-escalate", kwargs={"pk": contact.pk}
    )


def test_refusal_shows_an_error_summary_and_keeps_the_input(cast, login):
    line = make_line(cast)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        CREATE, _data(line, caller_type="", caller_city="Kazan")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert 'href="#id_caller_type_0"' in body
    assert 'value="Kazan"' in body
    assert not Contact.objects.exists()


def test_operator_edits_a_contact(cast, login):
    contact = log_contact(cast, caller_phone=PHONE)
    client = login(cast.user(Role.COORDINATOR))
    body = client.get(_edit(contact)).content.decode()
    assert 'value="Türkiye"' in body
    assert 'value="+7 912 345-67-89"' in body
    response = client.post(_edit(contact), _data(
        contact.line, caller_phone=PHONE, outcome="Referred", concern_country="Germany",
    ))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == "Referred"
    assert contact.concern_country.code == "DE"


# --- the contact's page ------------------------------------------------------------


def test_detail_shows_the_callers_identity_and_is_audited(cast, login):
    contact = log_contact(
        cast, caller_name="Marina", caller_phone=PHONE, caller_email="m@example.org",
        advice_given="Call the consulate", follow_up_due=timezone.localdate(),
    )
    user = cast.user(Role.HOTLINE_OPERATOR)
    body = login(user).get(_detail(contact)).content.decode()
    assert "Marina" in body
    assert "+7 912 345-67-89" in body
    assert "m@example.org" in body
    assert "Call the consulate" in body
    assert "Mark follow-up done" in body
    assert reverse("hotline:follow-up-done", kwargs={"pk": contact.pk}) in body
    assert AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=user.pk, target_type="hotline.Contact",
        target_id=str(contact.pk),
    ).exists()


def test_detail_links_the_case_only_when_the_user_may_see_it(cast, login):
    contact = log_contact(cast)
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(_detail(contact)).content.decode()
    assert "cases/" not in body.split('id="contact-heading"')[1].split("</section>")[0]


def test_follow_up_done_is_recorded_on_the_contact(cast, login):
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    url = reverse("hotline:follow-up-done", kwargs={"pk": contact.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, {"note": "Called back, safe"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.follow_up_done_at is not None
    assert contact.follow_up_note == "Called back, safe"
    again = client.post(url, {"note": "twice"}, follow=True)
    assert "already done" in again.content.decode()


def test_follow_up_done_is_refused_outside_scope(cast, login):
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    url = reverse("hotline:follow-up-done", kwargs={"pk": contact.pk})
    assert login(cast.user(Role.HOTLINE_OPERATOR, "away")).post(url).status_code == 404
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


# --- repeat callers ----------------------------------------------------------------


def test_phone_check_lists_earlier_contacts_from_the_number(cast, login):
    earlier = log_contact(cast, caller_phone=PHONE)
    user = cast.user(Role.HOTLINE_OPERATOR)
    response = login(user).post(PHONE_CHECK, {"caller_phone": "89123456789"})
    body = response.content.decode()
    assert response.status_code == 200
    assert _detail(earlier) in body
    entry = AuditEntry.objects.filter(action=Action.MATCH_CHECK, actor_id=user.pk).get()
    assert entry.detail == {"lookup": "caller_phone", "visible": 1}
    assert "912" not in str(entry.detail)


def test_phone_check_never_shows_other_organisations_contacts(cast, login):
    theirs = log_contact(cast, org="away", caller_phone=PHONE)
    body = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        PHONE_CHECK, {"caller_phone": PHONE}
    ).content.decode()
    assert _detail(theirs) not in body
    assert "No earlier contacts from this number." in body


def test_phone_check_says_nothing_without_a_number(cast, login):
    body = login(cast.user(Role.HOTLINE_OPERATOR)).post(
        PHONE_CHECK, {"caller_phone": ""}
    ).content.decode()
    assert body.strip() == ""


def test_detail_shows_earlier_contacts_from_the_stored_phone(cast, login):
    earlier = log_contact(cast, caller_phone=PHONE)
    contact = log_contact(cast, caller_phone="8 (912) 345-67-89")
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(_detail(contact)).content.decode()
    assert "Earlier contacts from this number" in body
    assert _detail(earlier) in body
