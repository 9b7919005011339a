"""The issue's statistics journey, walked in a real Chromium, in Russian and
in English: a coordinator opens "nationality by destination" for 2026 from
the main navigation, downloads it as XLSX (it opens and holds the page's
figures) and asks for the statistical abstract in their language (the job
is run by the test, as the worker would) and downloads its PDF; a
researcher of the other organisation opens the same report and sees the
same figures — and no case: no link to one, and a case's page is refused.

Everything after signing in is reached by the links and buttons a person
would use, named by their visible text looked up in the translation
catalogue (``gettext`` under ``translation.override``).
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.cases.tests.factories import open_case
from homeward.core.tests.browser import (
    BrowserSession,
    browser_page_fixture,  # noqa: F401 - the browser_page fixture
    browser_session_fixture,  # noqa: F401 - the browser_session fixture
    save_screenshot,
    sign_in,
    totp_code,
)
from homeward.jobs.services import run_pending_jobs
from homeward.stats import reports
from homeward.stats.models import Abstract

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "ru": "ru-RU"}
REPORT = "nationality-by-destination"
# (destination, citizenship, persons): enough for figures above k = 11,
# and a small group the pages must hide.
GROUPS = (("TR", "RU", 14), ("TR", "KZ", 12), ("AE", "UZ", 3))


def t(text: Any, language: str) -> str:
    """``text`` (a msgid or a lazy label) as the pages show it in ``language``."""
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def field_label(text: Any, language: str) -> re.Pattern[str]:
    """A form field's label, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(t(text, language))}\s*:?\s*$")


def sign_in_any(page: Page, user: User) -> None:
    """Sign in through the real pages; the second factor only when asked
    (researchers, who see aggregates only, need none)."""
    from homeward.accounts.tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("#id_token").count():
        page.locator("#id_token").fill(totp_code(user))
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def open_statistics(page: Page, language: str) -> None:
    """The main navigation's "Statistics"."""
    page.goto("/dashboard/")
    main = page.get_by_role("navigation", name=t("Main navigation", language))
    main.get_by_role("link", name=t("Statistics", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/stats/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)


def open_report_for_2026(page: Page, language: str) -> Locator:
    """From the index: the report, filtered to 2026; returns its table."""
    title = t(reports.get(REPORT).title, language)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/stats/reports/{REPORT}/"))
    filters = page.get_by_role("form", name=t("Filters", language))
    filters.get_by_label(field_label("From", language)).fill("2026-01-01")
    filters.get_by_label(field_label("To", language)).fill("2026-12-31")
    filters.get_by_role("button", name=t("Show", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"date_from=2026-01-01"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("canvas#report-chart")).to_have_attribute("data-drawn", "yes")
    return page.locator("table.stats-table")


def figures(table: Locator) -> list[list[str]]:
    """The table's body and total row, cell by cell, without the row labels."""
    rows = table.locator("tbody tr, tfoot tr").all()
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows]


def make_cases(cast: Any) -> list[Case]:
    made = []
    for destination, citizenship, persons in GROUPS:
        for day in range(persons):
            made.append(open_case(
                cast, citizenships=[citizenship], destination_country=destination,
                opened_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=day),
            ))
    # Outside the period: never counted in 2026's figures.
    open_case(cast, citizenships=["RU"], destination_country="TR",
              opened_on=datetime.date(2025, 6, 1))
    return made


@pytest.mark.parametrize(("language", "other"), [("ru", "en"), ("en", "ru")])
def test_coordinator_downloads_figures_and_abstract_researcher_sees_figures_not_cases(
    browser_session: BrowserSession, cast: Any, language: str, other: str, tmp_path: Path
) -> None:
    coordinator: User = cast.user(Role.COORDINATOR)
    researcher: User = cast.user(Role.RESEARCHER, "away")
    coordinator.language = language
    coordinator.save()
    researcher.language = other
    researcher.save()
    cases = make_cases(cast)

    # 1. The coordinator opens the report for 2026 from the main navigation.
    page = browser_session.new_page(locale=LOCALES[language])
    sign_in(page, coordinator)
    open_statistics(page, language)
    table = open_report_for_2026(page, language)
    with translation.override(language):
        turkey = reports.get(REPORT).rows.label("TR")
    expect(table.locator("tbody")).to_contain_text(turkey)
    expect(table).to_contain_text("<11")
    expect(page.locator("#suppression-note")).to_be_visible()
    shown = figures(table)
    visible = {cell for row in shown for cell in row if cell.isdigit()}
    assert "3" not in visible  # the three Uzbeks are hidden
    assert "14" in visible
    save_screenshot(page, f"stats journey report {language}")

    # 2. … and downloads it as XLSX: it opens and holds the same figures.
    downloads = page.get_by_role("region", name=t("Download", language))
    with page.expect_download() as xlsx_info:
        downloads.get_by_role("link", name=re.compile(r"^XLSX")).click()
    xlsx = tmp_path / "report.xlsx"
    xlsx_info.value.save_as(xlsx)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).active
    in_file = {str(value).strip() for row in sheet.iter_rows(values_only=True)
               for value in row if value is not None}
    assert visible <= in_file
    assert "<11" in in_file

    # 3. The statistical abstract of 2026 in the coordinator's language.
    open_statistics(page, language)
    save_screenshot(page, f"stats journey index {language}")
    panel = page.get_by_role("region", name=t("Statistical abstract", language))
    panel.get_by_label(field_label("From", language)).fill("2026-01-01")
    panel.get_by_label(field_label("To", language)).fill("2026-12-31")
    panel.get_by_label(field_label("Language", language)).select_option(value=language)
    panel.get_by_role("button", name=t("Make the abstract", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    made = Abstract.objects.get(created_by=coordinator)
    assert made.language == language
    assert run_pending_jobs() >= 1
    made.refresh_from_db()
    assert made.finished_at is not None
    page.goto("/stats/abstract/")
    mine = page.get_by_role("region", name=t("My abstracts", language))
    with page.expect_download() as pdf_info:
        mine.get_by_role("link", name=re.compile(rf"^{re.escape(t('Download', language))}"))\
            .first.click()
    pdf = tmp_path / "abstract.pdf"
    pdf_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    save_screenshot(page, f"stats journey abstract {language}")

    # 4. A researcher of AWAY (the coalition's figures are pooled) sees the
    #    same figures, and no case.
    other_page = browser_session.new_page(locale=LOCALES[other])
    sign_in_any(other_page, researcher)
    open_statistics(other_page, other)
    other_table = open_report_for_2026(other_page, other)
    assert figures(other_table) == shown
    expect(other_page.locator("main a[href*='/cases/']")).to_have_count(0)
    main_nav = other_page.get_by_role("navigation", name=t("Main navigation", other))
    expect(main_nav.get_by_role("link", name=t("Cases", other), exact=True)).to_have_count(0)
    # No k field for researchers.
    expect(other_page.locator("#id_min_cell")).to_have_count(0)
    save_screenshot(other_page, f"stats journey researcher {other}")
    # A case's page, asked for with the researcher's session (not opened as a
    # page: the refusal would be reported as a console error).
    response = other_page.request.get(f"/cases/{cases[0].code}/")
    assert response.status in (403, 404)
    assert cases[0].person.last_name not in response.text()
