"""The issue's journey, end to end, in Russian: a mother calls the hotline —
her daughter is held in Istanbul. The operator logs the call by keyboard,
escalates, sees the Turkish task force beside the form and on the escalation
page, records the call to it and opens the urgent case from the pre-filled
intake. The case worker finds the urgent case at the top of her queue; the
operator finds the follow-up in hers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.core.tests.browser import BrowserSession, save_screenshot, sign_in
from homeward.hotline.models import Contact, EscalationCall
from homeward.hotline.tests.escalation_helpers import make_task_force
from homeward.hotline.tests.factories import make_line
from homeward.hotline.tests.test_browser_contact import tab_to

pytestmark = pytest.mark.browser

TASK_FORCE_RU = "Оперативная группа Стамбула"
MOTHER_PHONE = "+7 927 555-01-23"


def log_the_mothers_call(page: Page) -> None:
    """Everything by keyboard, from the first field to "save and escalate"."""
    page.goto("/hotline/contacts/new/")
    expect(page.locator("#id_channel_0")).to_be_focused()  # a call
    timer = page.locator("#call-timer")
    first = timer.text_content() or ""
    expect(timer).not_to_have_text(first, timeout=3000)

    tab_to(page, "#id_caller_type_0")
    page.keyboard.press("ArrowDown")  # relative or friend: the mother
    expect(page.locator("#id_caller_type_1")).to_be_checked()
    tab_to(page, "#id_caller_country")
    page.keyboard.type("Россия")
    tab_to(page, "#id_caller_region")
    page.keyboard.type("Астраханская область")
    tab_to(page, "#id_caller_city")
    page.keyboard.type("Астрахань")
    tab_to(page, "#id_concern_country")
    page.keyboard.type("Турция")
    tab_to(page, "#id_concern_city")
    page.keyboard.type("Istanbul")
    page.keyboard.press("Alt+H")  # who can help, beside the form
    expect(page.locator("#who-can-help")).to_contain_text(TASK_FORCE_RU)
    tab_to(page, "#id_topics_1")  # rescue request
    page.keyboard.press("Space")
    tab_to(page, "#id_indicators_0")
    checkbox = page.locator("#id_indicators_0")
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    tab_to(page, "#id_outcome_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # rescue started
    expect(page.locator("#id_outcome_2")).to_be_checked()
    tab_to(page, "#id_follow_up_due")
    due = timezone.localdate() + datetime.timedelta(days=1)
    page.keyboard.type(due.strftime("%m%d%Y"))  # Chromium's own date order
    tab_to(page, "#id_caller_name")
    page.keyboard.type("Мать (демо)")
    tab_to(page, "#id_caller_phone")
    page.keyboard.type(MOTHER_PHONE)
    tab_to(page, "#id_concern_name")
    page.keyboard.type("Дарья Петрова")
    page.keyboard.press("Alt+E")  # the call ends
    expect(page.locator("#id_ended_at")).not_to_have_value("")
    save_screenshot(page, "journey the mothers call ru")
    tab_to(page, "button[name=then][value=escalate]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/hotline/contacts/\d+/escalate/$"))


def test_mothers_call_becomes_an_urgent_case_in_the_case_workers_queue(
    browser_session: BrowserSession, cast
) -> None:
    operator = cast.user(Role.HOTLINE_OPERATOR)
    case_worker = cast.user(Role.CASE_WORKER)
    for user in (operator, case_worker):
        user.language = "ru"
        user.save()
    make_line(cast)
    task_force = make_task_force(cast)

    page = browser_session.new_page(locale="ru-RU")
    sign_in(page, operator)
    log_the_mothers_call(page)
    contact = Contact.objects.get()
    assert contact.caller_type == "RelativeOrFriend"
    assert contact.concern_country.code == "TR"
    assert contact.caller_phone == "+79275550123"

    # The escalation page: the task force, the call to it, the urgent case.
    helpers = page.locator("#who-can-help-results")
    expect(helpers).to_contain_text(TASK_FORCE_RU)
    expect(helpers.locator("a[href='tel:+902125550101']")).to_be_visible()
    page.locator("#id_entry").select_option(str(task_force.pk))
    page.locator("#id_note").fill("Дежурный принял, выезжают")
    page.locator("form:has(#id_entry) button[type=submit]").click()
    expect(page.locator("#calls-heading + *")).to_contain_text(TASK_FORCE_RU)
    assert EscalationCall.objects.get().entry == task_force
    save_screenshot(page, "journey escalation ru")

    page.locator("a[href*='source=hotline']").first.click()
    expect(page).to_have_url(re.compile(r"/cases/new/\?source=hotline"))
    expect(page.locator("#id_first_name")).to_have_value("Дарья")
    expect(page.locator("#id_last_name")).to_have_value("Петрова")
    expect(page.locator("#id_current_city")).to_have_value("Istanbul")
    for section in ("referral", "person", "situation"):
        page.locator(f"[data-wizard-section={section}] [data-wizard-next]").click()
    page.locator("[data-wizard-submit] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/[A-Z0-9-]+/$"))
    case = Case.objects.get()
    assert case.is_urgent
    contact.refresh_from_db()
    assert contact.case == case
    expect(page.locator("h1 .badge-urgent")).to_be_visible()
    save_screenshot(page, "journey urgent case ru")

    # The follow-up waits in the operator's queue.
    page.goto("/hotline/follow-ups/")
    expect(page.locator(f'tbody a[href="/hotline/contacts/{contact.pk}/"]')).to_have_count(1)

    # The case worker, on her own device, finds the urgent case first.
    worker_page = browser_session.new_page(locale="ru-RU")
    sign_in(worker_page, case_worker)
    urgent = worker_page.locator("a[href*='urgent=on']")
    expect(urgent).to_have_text("1")
    worker_page.goto("/cases/")
    first_row = worker_page.locator("tbody tr").first
    expect(first_row).to_contain_text(case.code)
    expect(first_row.locator(".badge-urgent")).to_be_visible()
    save_screenshot(worker_page, "journey case workers queue ru")
