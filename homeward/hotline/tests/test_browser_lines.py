"""The hotline lines in a real Chromium: a coordinator working in Russian adds
the line for Germany and finds it in the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.core.tests.browser import save_screenshot, sign_in
from homeward.directory.phones import display
from homeward.hotline.models import Line

pytestmark = pytest.mark.browser


def test_coordinator_adds_a_line_for_germany_in_russian(browser_page: Page, cast) -> None:
    page = browser_page
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = "ru"
    coordinator.save()
    sign_in(page, coordinator)

    page.get_by_role("link", name="Горячая линия", exact=True).click()
    page.locator(".subnav").get_by_role("link", name="Линии", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Горячие линии")
    page.get_by_role("link", name="Новая линия", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Новая линия")
    page.locator("#id_label_en").fill("Germany hotline")
    page.locator("#id_label_ru").fill("Горячая линия в Германии")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_number").fill("0800 1234567")
    page.locator("input[name=languages][value=ru]").check()
    page.locator("input[name=languages][value=de]").check()
    page.locator("#id_is_24_7").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/hotline/lines/$"))
    expect(page.locator(".messages")).to_contain_text("Линия добавлена.")
    line = Line.objects.get(organisation=cast.home)
    assert line.number == "+498001234567"
    row = page.locator("tbody tr", has_text="Горячая линия в Германии")
    expect(row).to_contain_text("Германия")
    expect(row).to_contain_text(display(line.number))
    expect(row).to_contain_text("24/7")
    save_screenshot(page, "hotline lines after adding germany")
