"""The placement search in a real Chromium, in English and in Russian: a
case worker looks for a place for a mother with a 6-month-old baby. The
rehabilitation center — adults, and children from 1 year only — is listed
among the shelters that cannot take her, with the reason "No infants under
1 year"; the house for mothers with babies can.

Labels are looked up in the translation catalogue, as in
``test_browser_journey``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import OrganisationFactory
from homeward.cases.models import Case
from homeward.cases.tests.factories import open_case
from homeward.core.tests.browser import (
    BrowserSession,
    browser_page_fixture,  # noqa: F401 - the browser_page fixture
    browser_session_fixture,  # noqa: F401 - the browser_session fixture
    save_screenshot,
    sign_in,
)
from homeward.shelters.choices import ShelterKind
from homeward.shelters.tests.factories import make_shelter
from homeward.shelters.tests.test_browser_journey import LOCALES, expect_language, field_label, t

pytestmark = pytest.mark.browser

# How a person types "6 months" in each language.
SIX_MONTHS = {"en": "6 months", "ru": "6 мес"}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_mother_with_a_six_month_old_is_not_placed_in_the_rehabilitation_center(
    browser_session: BrowserSession, cast: Any, language: str
) -> None:
    iom = OrganisationFactory.create(code="IOM", name_en="IOM Moscow", name_ru="МОМ, Москва")
    center = make_shelter(
        iom, name_en="IOM Rehabilitation Center", name_ru="Реабилитационный центр МОМ",
        kind=ShelterKind.REHABILITATION_CENTER, region="Moscow", city="Moscow", genders=[],
        min_age=18, children_allowed=True, children_min_age_months=12, beds=20, cots=2,
    )
    mothers = make_shelter(
        cast.away, name_en="House for mothers", name_ru="Дом для матерей",
        kind=ShelterKind.MOTHERS_WITH_CHILDREN, region="Nizhny Novgorod Oblast",
        city="Nizhny Novgorod", children_min_age_months=0, beds=6, cots=6,
    )
    case: Case = open_case(cast, origin_region="Republic of Dagestan")
    worker = cast.user(Role.CASE_WORKER)
    worker.language = language
    worker.save()

    page = browser_session.new_page(locale=LOCALES[language])
    sign_in(page, worker)
    expect_language(page, language)
    main = page.get_by_role("navigation", name=t("Main navigation", language))
    main.get_by_role("link", name=t("Cases", language), exact=True).click()
    page.get_by_role("link", name=case.code, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/$"))
    parts = page.get_by_role("navigation", name=t("Parts of the case", language))
    parts.get_by_role("link", name=t("Shelter", language), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/shelters/cases/{case.code}/$"))
    page.get_by_role("link", name=t("Find a shelter", language), exact=True).click()

    page.get_by_label(field_label("Accompanying children's ages", language)).fill(
        SIX_MONTHS[language])
    page.get_by_role("button", name=t("Search", language), exact=True).click()

    with translation.override(language):
        center_name, mothers_name = center.name, mothers.name
    excluded = page.locator("#excluded")
    center_row = excluded.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=center_name, exact=True))
    expect(center_row).to_contain_text(t("No infants under 1 year", language))
    fits = page.locator("#fits")
    expect(fits.get_by_role("rowheader", name=mothers_name, exact=True)).to_be_visible()
    expect(fits).not_to_contain_text(center_name)
    expect(fits.get_by_role("button", name=t("Ask this shelter", language))).to_have_count(1)
    save_screenshot(page, f"shelters placement mother with infant {language}")
