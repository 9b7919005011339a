"""The case tabs in a real Chromium: the story form shows the fieldset of the
chosen stage (records.js, CSP-safe), and the locked medical tab of a minor
reads well in Russian."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case, open_minor_case
from homeward.core.tests.browser import overflowing_elements, save_screenshot, sign_in
from homeward.directory.models import EntryKind
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.browser




def test_event_form_shows_the_fieldset_of_the_chosen_stage(
    browser_page: Page, cast: Any
) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker)
    page = browser_page
    sign_in(page, worker)
    page.goto(f"/cases/{case.code}/story/new/?type=Recruitment")
    recruitment = page.locator('fieldset[data-show-values="Recruitment"]')
    transit = page.locator('fieldset[data-show-values="Transit"]')
    expect(recruitment).to_be_visible()
    expect(transit).to_be_hidden()
    page.locator("#id_type").select_option("Transit")
    expect(recruitment).to_be_hidden()
    expect(transit).to_be_visible()
    page.locator("#id_country").select_option("GE")
    page.get_by_label("Bus", exact=True).check()
    page.locator("#id_description").fill("By bus from Vladikavkaz to Tbilisi.")
    save_screenshot(page, "cases-event-form-transit")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/story/$"))
    expect(page.locator(".story-event")).to_contain_text("By bus from Vladikavkaz")
    save_screenshot(page, "cases-story")


def test_locked_medical_tab_of_a_minor_in_russian(browser_page: Page, cast: Any) -> None:
    worker = cast.user(Role.CASE_WORKER)
    worker.language = "ru"
    worker.save(update_fields=["language"])
    case = open_minor_case(cast, worker)
    page = browser_page
    sign_in(page, worker)
    page.goto(f"/cases/{case.code}/medical/")
    expect(page.locator(".medical-lock")).to_be_visible()
    expect(page.locator(f'a[href="/cases/{case.code}/guardians/new/"]')).to_be_visible()
    expect(page.locator(f'a[href="/cases/{case.code}/medical/new/?emergency=1"]'))\
        .to_be_visible()
    assert overflowing_elements(page) == []
    save_screenshot(page, "cases-medical-locked-ru")


def test_consent_form_asks_for_the_organisation_only_for_data_sharing(
    browser_page: Page, cast: Any
) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker)
    page = browser_page
    sign_in(page, worker)
    page.goto(f"/cases/{case.code}/consents/new/")
    organisation = page.locator("#id_organisation")
    page.locator("#id_purpose").select_option("Assistance")
    expect(organisation).to_be_hidden()
    page.locator("#id_purpose").select_option("DataSharing")
    expect(organisation).to_be_visible()
    organisation.select_option(str(cast.away.pk))
    page.locator('input[name=decision][value="Given"]').check()
    page.locator('input[name=form][value="Signed"]').check()
    scan: FilePayload = {
        "name": "consent.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n% signed consent\n%%EOF\n",
    }
    page.locator("#id_scan").set_input_files(files=scan)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/consents/$"))
    history = page.locator("#history-DataSharing").locator("xpath=..")
    expect(history).to_contain_text("Away NGO")
    expect(history.locator(".in-force")).to_have_count(1)
    expect(history.get_by_role("link", name="Download")).to_be_visible()
    assert overflowing_elements(page) == []
    save_screenshot(page, "cases-consents")


def test_rescue_by_the_task_force(browser_page: Page, cast: Any) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker, destination_country="TR", destination_city="Istanbul")
    make_entry(cast.away, kind=EntryKind.TASK_FORCE, name_en="Istanbul task force")
    make_entry(cast.away, kind=EntryKind.NGO, name_en="Istanbul shelter NGO")
    page = browser_page
    sign_in(page, worker)
    page.goto(f"/cases/{case.code}/rescue/new/")
    page.get_by_label(re.compile("Istanbul task force")).check()
    page.locator("#id_contacted_at").fill(
        (timezone.localtime() - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_outcome").select_option("Rescued")
    save_screenshot(page, "cases-rescue-form")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/rescue/$"))
    expect(page.locator("main")).to_contain_text("Istanbul task force")
    expect(page.locator(".case-path [aria-current=step]")).to_have_text("Rescue")
    save_screenshot(page, "cases-rescue")
