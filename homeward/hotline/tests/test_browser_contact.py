"""Logging a call in a real Chromium without touching the mouse: the operator
tabs through the form, picks with the arrow keys and the space bar, ends the
call with Alt+E and saves with Enter — once in English, once in Russian. The
timer runs, the repeat caller is recognised, the contact's page shows what
was typed and the follow-up lands in the operator's queue."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.core.tests.browser import save_screenshot, sign_in
from homeward.hotline.models import Contact
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.browser

PHONE = "+7 912 345-67-89"
MAX_TABS = 60


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until ``selector`` has the focus (as an operator would)."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never took the focus")


def log_a_call(page: Page, *, caller_country: str, concern_country: str, shot: str) -> None:
    page.goto("/hotline/contacts/new/")
    channel = page.locator("#id_channel_0")
    expect(channel).to_be_focused()
    expect(channel).to_be_checked()

    timer = page.locator("#call-timer")
    expect(timer).to_be_visible()
    first = timer.text_content()
    expect(timer).not_to_have_text(first or "", timeout=3000)  # it runs

    tab_to(page, "#id_line")  # the only line is chosen already
    tab_to(page, "#id_caller_type_0")
    page.keyboard.press("ArrowDown")  # Relative or friend
    expect(page.locator("#id_caller_type_1")).to_be_checked()
    tab_to(page, "#id_caller_country")
    page.keyboard.type(caller_country)
    tab_to(page, "#id_caller_city")
    page.keyboard.type("Astrakhan")
    tab_to(page, "#id_concern_country")
    page.keyboard.type(concern_country)
    tab_to(page, "#id_concern_city")
    page.keyboard.type("Istanbul")
    if page.locator("#who-can-help-button").count():
        page.keyboard.press("Alt+H")  # who can help where the person is
        expect(page.locator("#who-can-help > *").first).to_be_visible()
    tab_to(page, "#id_topics_1")  # Rescue request
    page.keyboard.press("Space")
    expect(page.locator("#id_topics_1")).to_be_checked()
    tab_to(page, "#id_outcome_0")
    page.keyboard.press("ArrowDown")  # Referred
    expect(page.locator("#id_outcome_1")).to_be_checked()
    tab_to(page, "#id_follow_up_due")
    due = timezone.localdate() + datetime.timedelta(days=2)
    # Chromium's date field follows its own (English) interface: month first.
    page.keyboard.type(due.strftime("%m%d%Y"))
    expect(page.locator("#id_follow_up_due")).to_have_value(due.isoformat())
    tab_to(page, "#id_caller_phone")
    page.keyboard.type(PHONE)
    page.keyboard.press("Tab")  # the number is checked when the field is left
    expect(page.locator("#repeat-caller")).to_contain_text(
        re.compile(r"\d"), timeout=5000
    )
    expect(page.locator("#repeat-caller table tbody tr")).to_have_count(1)

    page.keyboard.press("Alt+E")  # end the call
    ended = page.locator("#id_ended_at")
    expect(ended).not_to_have_value("")
    stopped = timer.text_content()
    page.wait_for_timeout(1200)
    assert timer.text_content() == stopped  # the timer stops with the call

    save_screenshot(page, shot)
    tab_to(page, "#id_caller_email")
    page.keyboard.press("Enter")  # save
    expect(page).to_have_url(re.compile(r"/hotline/contacts/\d+/$"))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_operator_logs_a_call_without_the_mouse(browser_page: Page, cast, language) -> None:
    page = browser_page
    operator = cast.user(Role.HOTLINE_OPERATOR)
    operator.language = language
    operator.save()
    line = make_line(cast)
    earlier = log_contact(cast, line=line, caller_phone="8 912 345 67 89")
    sign_in(page, operator)

    if language == "ru":
        log_a_call(page, caller_country="Россия", concern_country="Турция",
                   shot="hotline contact form ru")
    else:
        log_a_call(page, caller_country="Russia", concern_country="Turkey",
                   shot="hotline contact form en")

    contact = Contact.objects.exclude(pk=earlier.pk).get()
    assert contact.caller_type == "RelativeOrFriend"
    assert contact.caller_country.code == "RU"
    assert contact.concern_country.code == "TR"
    assert contact.topics == ["RescueRequest"]
    assert contact.outcome == "Referred"
    assert contact.ended_at is not None
    assert contact.ended_at >= contact.started_at
    assert contact.follow_up_assignee == operator
    assert contact.follow_up_due == timezone.localdate() + datetime.timedelta(days=2)
    assert contact.caller_phone == "+79123456789"
    main = page.locator("main")
    expect(main).to_contain_text("Istanbul")
    expect(main).to_contain_text("Турция" if language == "ru" else "Türkiye")
    expect(main).to_contain_text(PHONE)
    save_screenshot(page, f"hotline contact logged by keyboard {language}")

    page.goto("/hotline/follow-ups/")
    row = page.locator("tbody tr").filter(has=page.locator(
        f'a[href="/hotline/contacts/{contact.pk}/"]'
    ))
    expect(row).to_have_count(1)
    expect(row).not_to_have_class(re.compile("overdue"))
    save_screenshot(page, f"hotline follow-up queue {language}")
