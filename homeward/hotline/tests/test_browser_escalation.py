"""Rescue escalation in a real Chromium: the operator sees the Turkish task
force for a contact about Istanbul, records the call, and opens the urgent
case from the pre-filled intake wizard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.core.tests.browser import save_screenshot, sign_in
from homeward.hotline.models import EscalationCall
from homeward.hotline.tests.escalation_helpers import (
    TASK_FORCE,
    make_task_force,
    rescue_contact,
)

pytestmark = pytest.mark.browser


def test_operator_escalates_to_the_turkish_task_force_and_opens_the_urgent_case(
    browser_page: Page, cast
) -> None:
    page = browser_page
    task_force = make_task_force(cast)
    contact = rescue_contact(cast)
    sign_in(page, cast.user(Role.HOTLINE_OPERATOR))
    page.goto(reverse("hotline:contact-escalate", kwargs={"pk": contact.pk}))

    expect(page.get_by_role("heading", level=1)).to_have_text("Rescue escalation")
    helpers = page.locator("#who-can-help-results")
    expect(helpers).to_contain_text(TASK_FORCE)
    expect(helpers.locator("a[href='tel:+902125550101']")).to_be_visible()
    expect(helpers).to_contain_text("24/7")
    # Looking elsewhere swaps the list in place (htmx), and says what it does not know.
    page.locator("#id_country").fill("Atlantis")
    page.get_by_role("button", name="Find").click()
    expect(helpers).to_contain_text("We do not know the country “Atlantis”")
    page.locator("#id_country").fill("Турция")
    page.get_by_role("button", name="Find").click()
    expect(helpers).to_contain_text(TASK_FORCE)
    save_screenshot(page, "escalation who can help in istanbul")

    page.locator("#id_entry").select_option(str(task_force.pk))
    page.locator("#id_note").fill("Duty officer sends a team")
    page.get_by_role("button", name="Record the call").click()
    expect(page.locator(".messages")).to_contain_text("The call was recorded.")
    calls = page.get_by_role("table", name="Calls made")
    expect(calls).to_contain_text(TASK_FORCE)
    expect(calls).to_contain_text("Duty officer sends a team")
    assert EscalationCall.objects.get().entry == task_force

    page.get_by_role("link", name="Open an urgent case").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New case")
    expect(page.get_by_role("note")).to_contain_text("you open urgent cases only")
    expect(page.get_by_label("Referral source")).to_have_value("Hotline")
    referral = page.locator("[data-wizard-section=referral]")
    referral.get_by_role("button", name="Next").click()
    person = page.locator("[data-wizard-section=person]")
    expect(page.get_by_label(re.compile(r"^First name:"))).to_have_value("Anna")
    person.get_by_role("button", name="Next").click()
    situation = page.locator("[data-wizard-section=situation]")
    expect(page.get_by_label("City where the person is now")).to_have_value("Istanbul")
    situation.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Open the case").click()

    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Urgent")
    save_screenshot(page, "urgent case opened from the hotline")
    contact.refresh_from_db()
    assert contact.case == case
    assert case.is_urgent

    # Back on the escalation page, the action now leads to the case.
    page.goto(reverse("hotline:contact-escalate", kwargs={"pk": contact.pk}))
    expect(page.get_by_role("link", name=f"Go to case {case.code}")).to_be_visible()
