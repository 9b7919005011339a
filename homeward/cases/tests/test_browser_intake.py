"""The intake wizard in a real Chromium: one section at a time, the
missing-person report only for that kind of case, and the duplicate check
that names only the organisation of a match out of scope."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.cases.tests.factories import open_case
from homeward.core.tests.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser




def test_case_worker_opens_a_case_through_the_wizard(browser_page: Page, cast) -> None:
    page = browser_page
    open_case(cast.away, cast.user(Role.CASE_WORKER, "away"), first_name="Мария",
              last_name="Иванова", first_name_latin="Maria", last_name_latin="Ivanova",
              birth_year=1990)
    worker = cast.user(Role.CASE_WORKER)
    sign_in(page, worker)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="New case").click()

    referral = page.locator("[data-wizard-section=referral]")
    person = page.locator("[data-wizard-section=person]")
    expect(referral).to_be_visible()
    expect(person).to_be_hidden()
    expect(page.get_by_role("button", name="Open the case")).to_be_hidden()
    report = page.locator("[data-missing-report]")
    expect(report).to_be_hidden()
    page.get_by_label("Missing person").check()
    expect(report).to_be_visible()
    page.get_by_label("Victim case").check()
    expect(report).to_be_hidden()
    page.get_by_label("Referral source").select_option("IomMission")
    page.get_by_label("Referring organisation", exact=False).last.fill("IOM Ankara")
    referral.get_by_role("button", name="Next").click()

    expect(person).to_be_visible()
    expect(referral).to_be_hidden()
    page.get_by_label(re.compile(r"^First name:")).fill("Мария")
    page.get_by_label(re.compile(r"^Surname:")).fill("Иванова")
    page.get_by_label(re.compile(r"^Year of birth:")).fill("1990")
    page.get_by_label(re.compile(r"^Year of birth:")).blur()
    matches = page.locator("#person-matches")
    expect(matches).to_contain_text("A possible match exists at Away NGO — ask them.")
    expect(matches).not_to_contain_text("1990")
    save_screenshot(page, "intake duplicate elsewhere")
    person.get_by_role("button", name="Next").click()

    situation = page.locator("[data-wizard-section=situation]")
    expect(situation).to_be_visible()
    page.get_by_label("Country of exploitation").select_option("TR")
    situation.get_by_role("button", name="Next").click()

    expect(page.locator("[data-wizard-section=consents]")).to_be_visible()
    page.get_by_label("Consent: Assistance").select_option("Given")
    page.get_by_label("How (Assistance)").select_option("Oral")
    page.get_by_role("button", name="Open the case").click()

    case = Case.objects.filter(organisation=cast.home).get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)
    expect(page.locator("#timeline-heading")).to_be_visible()
    save_screenshot(page, "case overview after intake")


def test_errors_open_the_section_that_holds_them(browser_page: Page, cast) -> None:
    page = browser_page
    sign_in(page, cast.user(Role.COORDINATOR))
    page.goto("/cases/new/")
    page.get_by_label("Referral source").select_option("Ngo")
    page.locator("[data-wizard-section=referral]").get_by_role("button", name="Next").click()
    page.locator("[data-wizard-section=person]").get_by_role("button", name="Next").click()
    page.locator("[data-wizard-section=situation]").get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Open the case").click()
    # No name was given: the person section opens, with the service's message.
    expect(page.locator("[data-wizard-section=person]")).to_be_visible()
    expect(page.locator("[data-wizard-section=person]")).to_contain_text(
        "Give at least a first name or a surname"
    )
    assert not Case.objects.exists()
