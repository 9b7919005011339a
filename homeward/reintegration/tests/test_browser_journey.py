"""The issue's journey, walked in a real Chromium, in English and in Russian:
a TVAC-like case worker refers a case to the Yaroslavl partner NGO with the
minimum data only (no consent to share more is on record); a reintegration
worker in Yaroslavl accepts it; the case worker sets a 3-month monitoring
schedule kept by Yaroslavl; Yaroslavl files the 3-month report; the case
worker sees it on the case's timeline.

Everything after signing in is reached by the links and buttons a person
would use, named by their visible text, looked up in the translation
catalogue (``gettext`` under ``translation.override``) so that the Russian
run follows the catalogue whether or not the translator has reached these
strings yet.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

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
)
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    ContactMode,
    LivingSituation,
    MonitoringOutcome,
    MonitoringPeriod,
    Need,
    ReferralPurpose,
    ReferralStatus,
    ReportStatus,
    SharedPart,
    WorkSituation,
)
from homeward.reintegration.forms_referrals import ReferralForm
from homeward.reintegration.forms_work import ReportForm, ScheduleForm
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule, Referral
from homeward.reintegration.tests.factories import partner_organisation

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "ru": "ru-RU"}
NARRATIVE = "Visited at home: settled with her sister, works at a bakery."


def t(text: Any, language: str) -> str:
    """``text`` (a msgid or a lazy label) as the pages show it in ``language``."""
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def field_label(text: Any, language: str) -> re.Pattern[str]:
    """A form field's label, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(t(text, language))}\s*:?\s*$")


def expect_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def open_reintegration_home(page: Page, language: str) -> None:
    """The main navigation's "Reintegration"."""
    page.goto("/dashboard/")
    main = page.get_by_role("navigation", name=t("Main navigation", language))
    main.get_by_role("link", name=t("Reintegration", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/reintegration/$"))
    expect_language(page, language)


def open_case_tab(page: Page, case: Case, tab: str, language: str) -> None:
    page.goto(f"/cases/{case.code}/")
    tabs = page.get_by_role("navigation", name=t("Parts of the case", language))
    tabs.get_by_role("link", name=t(tab, language), exact=True).click()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_tvac_refers_yaroslavl_monitors_and_tvac_reads_the_report_on_the_timeline(
    browser_session: BrowserSession, cast: Any, language: str
) -> None:
    yar = partner_organisation("YAR")
    worker: User = cast.user(Role.CASE_WORKER)
    partner: User = yar.user(Role.REINTEGRATION_WORKER)
    for user in (worker, partner):
        user.language = language
        user.save()
    case: Case = open_case(cast)  # no consent to share data with Yaroslavl
    with translation.override(language):
        yar_name = yar.organisation.name

    # 1. The case worker refers the case to Yaroslavl from its Reintegration tab.
    page = browser_session.new_page(locale=LOCALES[language])
    sign_in(page, worker)
    expect_language(page, language)
    open_case_tab(page, case, "Reintegration", language)
    expect(page).to_have_url(re.compile(rf"/reintegration/cases/{case.code}/$"))
    page.get_by_role("link", name=t("Refer to an organisation", language), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/reintegration/referrals/new/{case.code}/$"))
    receiver = ReferralForm.base_fields["receiver"].label
    page.get_by_label(field_label(receiver, language)).select_option(value=str(yar.entry.pk))
    purposes = page.locator("#id_purposes")
    for purpose in (ReferralPurpose.REINTEGRATION, ReferralPurpose.MONITORING):
        purposes.get_by_label(t(purpose.label, language), exact=True).check()
    needs = page.locator("#id_needs")
    for need in (Need.HOUSING, Need.WORK):
        needs.get_by_label(t(need.label, language), exact=True).check()
    parts = page.locator("#shared-parts")
    for part in MINIMUM_PARTS:  # the minimum: ticked and locked
        box = parts.get_by_label(t(SharedPart(part).label, language), exact=True)
        expect(box).to_be_checked()
        expect(box).to_be_disabled()
    # No consent on record: the name cannot be shared.
    expect(parts.get_by_label(t(SharedPart.NAMES.label, language), exact=True)).to_be_disabled()
    save_screenshot(page, f"reintegration journey refer {language}")
    page.get_by_role("button", name=t("Send the referral", language), exact=True).click()
    expect(page).to_have_url(re.compile(r"/reintegration/referrals/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)
    referral = Referral.objects.get(case=case)
    assert (referral.receiver, referral.status) == (yar.organisation, ReferralStatus.PENDING)
    assert list(referral.shared_parts) == list(MINIMUM_PARTS)

    # 2. Yaroslavl finds it among the referrals waiting for an answer and accepts.
    yar_page = browser_session.new_page(locale=LOCALES[language])
    sign_in(yar_page, partner)
    open_reintegration_home(yar_page, language)
    waiting = yar_page.get_by_role("region", name=t("Referrals waiting for an answer", language))
    waiting.get_by_role("link", name=case.code, exact=True).click()
    expect(yar_page).to_have_url(re.compile(rf"/reintegration/referrals/{referral.pk}/$"))
    main = yar_page.locator("main")
    expect(main).not_to_contain_text(case.person.last_name)
    expect(main).not_to_contain_text(case.person.last_name_latin)
    yar_page.get_by_role("button", name=t("Accept", language), exact=True).click()
    expect(yar_page.get_by_role("link", name=t("Open the reintegration work", language),
                                exact=True)).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.answered_by) == (ReferralStatus.ACCEPTED, partner)
    expect(yar_page.locator("main")).not_to_contain_text(case.person.last_name)
    save_screenshot(yar_page, f"reintegration journey accepted {language}")

    # 3. The case worker sets 3 months of monitoring, kept by Yaroslavl.
    open_case_tab(page, case, "Reintegration", language)
    page.get_by_role("link", name=t("Schedule monitoring", language), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/reintegration/cases/{case.code}/monitoring/new/$"))
    schedule_fields = ScheduleForm.base_fields
    page.get_by_label(field_label(schedule_fields["organisation"].label, language)).select_option(
        value=str(yar.organisation.pk))
    page.get_by_label(field_label(schedule_fields["period"].label, language)).select_option(
        value=MonitoringPeriod.THREE_MONTHS)
    page.get_by_role("button", name=t("Schedule", language), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/reintegration/cases/{case.code}/"))
    expect(page.get_by_text(t("Monitoring was scheduled.", language))).to_be_visible()
    schedule = MonitoringSchedule.objects.get(case=case)
    assert (schedule.organisation, schedule.period, schedule.referral) == (
        yar.organisation, MonitoringPeriod.THREE_MONTHS, referral)
    report = MonitoringReport.objects.get(schedule=schedule)
    assert (report.months, report.status) == (3, ReportStatus.DUE)

    # 4. Yaroslavl files the 3-month report from its list of reports due.
    open_reintegration_home(yar_page, language)
    due = yar_page.get_by_role("region", name=t("My monitoring reports due", language))
    due.get_by_role("link", name=case.code, exact=True).click()
    expect(yar_page).to_have_url(re.compile(
        rf"/reintegration/cases/{case.code}/monitoring/reports/{report.pk}/$"))
    report_fields = ReportForm.base_fields
    contacted_on = yar_page.get_by_label(
        field_label(report_fields["contacted_on"].label, language))
    expect(contacted_on).to_have_value(timezone.localdate().isoformat())
    for name, value in (("contact_mode", ContactMode.VISIT),
                        ("living_situation", LivingSituation.WITH_FAMILY),
                        ("work_situation", WorkSituation.EMPLOYED),
                        ("feels_safe", "yes"),
                        ("outcome", MonitoringOutcome.STABLE)):
        yar_page.get_by_label(field_label(report_fields[name].label, language)).select_option(
            value=value)
    yar_page.get_by_label(field_label(report_fields["narrative"].label, language)).fill(NARRATIVE)
    save_screenshot(yar_page, f"reintegration journey report {language}")
    yar_page.get_by_role("button", name=t("Submit the report", language), exact=True).click()
    expect(yar_page.get_by_text(t("The monitoring report was submitted.", language))
           ).to_be_visible()
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.outcome) == (
        ReportStatus.SUBMITTED, partner, MonitoringOutcome.STABLE)
    assert report.narrative == NARRATIVE

    # 5. The case worker sees the report on the case's timeline.
    page.goto(f"/cases/{case.code}/")
    expect_language(page, language)
    timeline = page.get_by_role("region", name=t("Timeline", language), exact=True)
    with translation.override(language):
        title = gettext("Monitoring report by %(organisation)s") % {"organisation": yar_name}
    item = timeline.get_by_role("listitem").filter(has_text=title)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(t(MonitoringOutcome.STABLE.label, language))
    with translation.override(language):
        accepted = gettext("%(organisation)s accepted the referral") % {"organisation": yar_name}
    expect(timeline).to_contain_text(accepted)
    save_screenshot(page, f"reintegration journey timeline {language}")
