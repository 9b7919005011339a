"""The issue's journey, walked in a real Chromium, in English and in Russian:
the staff of the Kazan safe house answer a referral of a woman from another
organisation, admit her and record the standard package — one service
refused —; the network's occupancy dashboard then shows one free bed fewer
for Kazan than the coordinator saw before the admission.

Everything is reached by the links and buttons a person would use, named by
their visible text. The text is looked up in the translation catalogue
(``gettext`` under ``translation.override``), so the Russian run follows
the catalogue whether or not the translator has reached these strings yet.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Page, expect

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.browser import (
    BrowserSession,
    browser_page_fixture,  # noqa: F401 - the browser_page fixture
    browser_session_fixture,  # noqa: F401 - the browser_session fixture
    save_screenshot,
    sign_in,
)
from homeward.shelters.choices import OfferStatus, ReferralStatus, StandardService
from homeward.shelters.forms_stays import AdmitForm
from homeward.shelters.models import ServiceOffer, Shelter, ShelterStay
from homeward.shelters.services.referrals import referral_send
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "ru": "ru-RU"}
# The standard package as the woman decided on arrival: she refuses the
# psychological consultation (participation is voluntary).
DECISIONS = {
    StandardService.WELCOME: OfferStatus.ACCEPTED,
    StandardService.HOUSING: OfferStatus.ACCEPTED,
    StandardService.MEDICAL_HELP: OfferStatus.ACCEPTED,
    StandardService.PSYCHOLOGICAL: OfferStatus.REFUSED,
    StandardService.SOCIAL_LEGAL: OfferStatus.ACCEPTED,
    StandardService.MATERIAL_HELP: OfferStatus.ACCEPTED,
}


def t(text: Any, language: str, context: str = "") -> str:
    """``text`` (a msgid or a lazy label) as the pages show it in ``language``."""
    with translation.override(language):
        if context:
            return pgettext(context, text)
        return gettext(text) if isinstance(text, str) else str(text)


def field_label(text: Any, language: str) -> re.Pattern[str]:
    """A form field's label, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(t(text, language))}\s*:?\s*$")


def expect_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def open_shelters_tab(page: Page, tab: str, language: str) -> None:
    """The main navigation's "Shelters", then one of the shelters' tabs."""
    main = page.get_by_role("navigation", name=t("Main navigation", language))
    main.get_by_role("link", name=t("Shelters", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/shelters/$"))
    tabs = page.get_by_role("navigation", name=t("Shelters", language), exact=True)
    tabs.get_by_role("link", name=t(tab, language), exact=True).click()


def free_beds_on_dashboard(page: Page, shelter: Shelter, language: str) -> int:
    """Walk to the occupancy dashboard and read the shelter's free beds."""
    page.goto("/dashboard/")
    open_shelters_tab(page, "Occupancy", language)
    expect(page).to_have_url(re.compile(r"/shelters/occupancy/$"))
    expect_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Shelter occupancy", language))
    row = page.locator(f"tr[data-shelter='{shelter.pk}']")
    with translation.override(language):
        expect(row.get_by_role("rowheader")).to_contain_text(shelter.name)
    return int((row.locator("[data-free-beds]").text_content() or "").strip())


@pytest.mark.parametrize("language", ["en", "ru"])
def test_kazan_admits_a_referred_woman_and_the_dashboard_shows_one_bed_fewer(
    browser_session: BrowserSession, cast: Any, language: str
) -> None:
    # A case of the HOME organisation: a woman who consented to share her data
    # with the Kazan safe house's organisation, and the request to Kazan.
    kzn = shelter_organisation("KZN")
    kazan = make_shelter(kzn.organisation, name_en="Kazan safe house for women",
                         name_ru="Убежище для женщин, Казань", beds=10, cots=2)
    other = make_shelter(kzn.organisation, name_en="Kazan annex", name_ru="Флигель, Казань",
                         beds=4)
    worker = cast.user(Role.CASE_WORKER)
    case: Case = open_case(cast)
    give_consent(case, worker, purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral = referral_send(actor=worker, case=case, shelter=kazan,
                             needed_from=timezone.localdate(),
                             note="Arrives by train tomorrow morning.")
    staff: User = kzn.user(Role.SHELTER_STAFF)
    coordinator: User = cast.user(Role.COORDINATOR)
    for user in (staff, coordinator):
        user.language = language
        user.save()

    # The coordinator looks at the network before the admission.
    coordinator_page = browser_session.new_page(locale=LOCALES[language])
    sign_in(coordinator_page, coordinator)
    free_before = free_beds_on_dashboard(coordinator_page, kazan, language)
    assert free_before == 10
    annex_before = int(coordinator_page.locator(
        f"tr[data-shelter='{other.pk}'] [data-free-beds]").text_content() or "0")

    # The shelter staff in Kazan find the request in their inbox.
    page = browser_session.new_page(locale=LOCALES[language])
    sign_in(page, staff)
    expect_language(page, language)
    open_shelters_tab(page, "Referrals", language)
    expect(page).to_have_url(re.compile(r"/shelters/referrals/$"))
    inbox = page.get_by_role("table")
    expect(inbox).not_to_contain_text(case.person.last_name)  # no names in lists
    inbox.get_by_role("link", name=case.code, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/shelters/referrals/{referral.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)
    expect(page.get_by_text("Arrives by train tomorrow morning.")).to_be_visible()
    save_screenshot(page, f"shelters journey referral {language}")

    # Accept, then admit today with no child.
    page.get_by_role("button", name=t("Accept", language), exact=True).click()
    expect(page.get_by_role("button", name=t("Admit", language), exact=True)).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == staff
    # The admission form, as the code labels it today: admitted today, no child.
    admit_form = AdmitForm()
    admitted_on = page.get_by_label(field_label(admit_form.fields["admitted_on"].label, language))
    expect(admitted_on).to_have_value(timezone.localdate().isoformat())
    children = page.get_by_label(field_label(admit_form.fields["children"].label, language))
    expect(children).to_have_value("")
    page.get_by_role("button", name=t("Admit", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/shelters/stays/\d+/$"))
    stay = ShelterStay.objects.get(case=case)
    assert (stay.shelter, stay.admitted_on, stay.discharged_on) == (
        kazan, timezone.localdate(), None)
    assert not stay.children.exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ADMITTED
    # The resident page shows her name (and only here).
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.person.last_name)

    # The standard package: several services accepted, one refused.
    # The panel's one link opens the form (its wording is still being tuned).
    package_panel = page.get_by_role("region", name=t("Standard package", language), exact=True)
    package_panel.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Standard package", language))
    for service, status in DECISIONS.items():
        page.get_by_label(field_label(service.label, language)).select_option(value=status)
    save_screenshot(page, f"shelters journey package {language}")
    page.get_by_role("button", name=t("Record", language, context="verb"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/shelters/stays/{stay.pk}/$"))
    package = page.locator("table.package-table")
    for service, status in DECISIONS.items():
        row = package.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=t(service.label, language), exact=True))
        expect(row).to_contain_text(t(OfferStatus(status).label, language))
    refused_row = package.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=t(StandardService.PSYCHOLOGICAL.label, language),
                             exact=True))
    expect(refused_row.locator(".offer-refused")).to_be_visible()
    save_screenshot(page, f"shelters journey resident {language}")
    recorded = dict(ServiceOffer.objects.filter(case=case).values_list("service", "status"))
    assert recorded == {str(service): str(status) for service, status in DECISIONS.items()}
    assert set(ServiceOffer.objects.filter(case=case).values_list(
        "organisation__code", "decided_on")) == {("KZN", timezone.localdate())}

    # The coordinator's dashboard: one free bed fewer in Kazan, the annex unchanged.
    free_after = free_beds_on_dashboard(coordinator_page, kazan, language)
    assert free_after == free_before - 1
    expect(coordinator_page.locator(
        f"tr[data-shelter='{other.pk}'] [data-free-beds]")).to_have_text(str(annex_before))
    expect(coordinator_page.locator("main")).not_to_contain_text(case.code)  # counts only
    save_screenshot(coordinator_page, f"shelters journey dashboard {language}")
