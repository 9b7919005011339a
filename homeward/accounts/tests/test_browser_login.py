"""Signing in, in a real Chromium: password, second factor, enrolment, language.

Uses the demo data (``seed_demo``) against pytest-django's ``live_server``.
Texts the Russian interface shows are taken from the project's own catalog
(``gettext`` under ``translation.override("ru")``), so these tests follow the
translation rather than hard-coding it; the literal Russian greeting is
checked as well.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from homeward.accounts.demo import DEMO_PASSWORD, seed_demo
from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from homeward.core.tests.browser import (
    BrowserSession,
    overflowing_elements,
    save_screenshot,
    totp_code,
    totp_code_for_secret,
    wrong_totp_code,
)

pytestmark = pytest.mark.browser

RU_CATALOG = Path(settings.BASE_DIR) / "homeward" / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
# The Russian catalog's greeting for "Welcome, %(name)s" (it chose
# "Здравствуйте" rather than "Добро пожаловать").
RUSSIAN_WELCOME = "Здравствуйте"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def path_is(path: str) -> re.Pattern[str]:
    """The page's path, whatever query string (``?next=...``) follows."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


LOGIN_URL = path_is("/accounts/login/")
VERIFY_URL = path_is("/accounts/login/verify/")
SETUP_URL = path_is("/accounts/2fa/setup/")
DASHBOARD_URL = path_is("/dashboard/")


def t(text: str, language: str) -> str:
    """``text`` as the interface shows it in ``language``."""
    with translation.override(language):
        return gettext(text)


def label(text: str, language: str = "en") -> re.Pattern[str]:
    """A form label as rendered: the text, then Django's label suffix."""
    return re.compile(rf"^{re.escape(t(text, language))}\s*:?$")


def button(page: Page, text: str, language: str = "en"):
    return page.get_by_role("button", name=t(text, language), exact=True)


def expect_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_in(
    page: Page, user: User, password: str, *, language: str = "en", then: str | None = None
) -> None:
    """From the sign-in page to the dashboard: password, then the code.

    ``language`` is the sign-in page's; ``then`` the code page's, which is
    the account's saved language once the password is accepted.
    """
    then = then or language
    expect(page).to_have_url(LOGIN_URL)
    expect_language(page, language)
    page.get_by_label(label("User name", language)).fill(user.username)
    page.get_by_label(label("Password", language)).fill(password)
    button(page, "Continue", language).click()
    expect(page).to_have_url(VERIFY_URL)
    expect_language(page, then)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Enter your code", then))
    page.get_by_label(label("Code", then)).fill(totp_code(user))
    button(page, "Verify", then).click()
    expect(page).to_have_url(DASHBOARD_URL)


def expect_russian_dashboard(page: Page, user: User) -> None:
    expect(page).to_have_url(DASHBOARD_URL)
    expect_language(page, "ru")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"{RUSSIAN_WELCOME}, {user.get_full_name()}")
    expect(heading).to_have_text(
        t("Welcome, %(name)s", "ru") % {"name": user.get_full_name()}
    )
    expect(page.get_by_role("navigation", name=t("Main navigation", "ru"))).to_contain_text(
        t("Dashboard", "ru")
    )
    expect(button(page, "Sign out", "ru")).to_have_text(CYRILLIC)
    expect(page.get_by_role("button", name="Русский")).to_have_attribute("aria-pressed", "true")


@pytest.fixture(autouse=True)
def _russian_catalog_compiled() -> None:
    assert RU_CATALOG.exists(), f"{RU_CATALOG} is missing: run compilemessages"


@pytest.fixture
def demo(transactional_db) -> dict[str, User]:
    seed_demo()
    return {user.username: user for user in User.objects.all()}


def test_case_worker_signs_in_switches_to_russian_and_it_is_remembered(
    browser_session: BrowserSession, browser_page: Page, demo: dict[str, User]
) -> None:
    page = browser_page
    caseworker = demo["caseworker"]

    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    expect_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Homeward")
    sign_in(page, caseworker, DEMO_PASSWORD)
    expect_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Katya Caseworker")
    expect(page.get_by_text("TVAC · Case worker")).to_be_visible()

    page.get_by_role("button", name="Русский").click()
    expect_russian_dashboard(page, caseworker)
    caseworker.refresh_from_db()
    assert caseworker.language == "ru"
    save_screenshot(page, "caseworker-dashboard-ru")

    # Signing out keeps the language; signing in again lands in Russian.
    button(page, "Sign out", "ru").click()
    expect(page).to_have_url(LOGIN_URL)
    expect_language(page, "ru")
    expect(page.get_by_role("status")).to_have_text(t("You have signed out.", "ru"))
    sign_in(page, caseworker, DEMO_PASSWORD, language="ru")
    expect_russian_dashboard(page, caseworker)

    # The choice is stored on the account: on another device the sign-in page
    # is in English, and from the code onwards everything is in Russian.
    other_device = browser_session.new_page()
    other_device.goto("/")
    sign_in(other_device, caseworker, DEMO_PASSWORD, language="en", then="ru")
    expect_russian_dashboard(other_device, caseworker)


def test_org_admin_switches_to_russian_before_signing_in(
    browser_page: Page, demo: dict[str, User]
) -> None:
    page = browser_page
    orgadmin = demo["orgadmin"]

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(LOGIN_URL)
    expect_language(page, "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in to Homeward", "ru"))
    for text in ("Sign in to Homeward", "User name", "Password", "Continue"):
        assert CYRILLIC.search(t(text, "ru")), f"{text!r} has no Russian translation"
    expect(page.get_by_label(label("User name", "ru"))).to_be_visible()
    expect(page.get_by_label("Имя пользователя")).to_be_visible()
    expect(page.get_by_label(label("Password", "ru"))).to_be_visible()
    expect(button(page, "Continue", "ru")).to_be_visible()

    sign_in(page, orgadmin, DEMO_PASSWORD, language="ru")
    expect_russian_dashboard(page, orgadmin)
    # An organisation administrator sees the members of the organisation.
    expect(page.get_by_role("heading", name=t("Members by role", "ru"))).to_be_visible()
    save_screenshot(page, "orgadmin-dashboard-ru")


def test_russian_dashboard_fits_its_panels(browser_page: Page, demo: dict[str, User]) -> None:
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Русский").click()
    sign_in(page, demo["orgadmin"], DEMO_PASSWORD, language="ru")
    expect_language(page, "ru")
    assert overflowing_elements(page) == []


def test_wrong_code_is_refused(browser_page: Page, demo: dict[str, User]) -> None:
    page = browser_page
    caseworker = demo["caseworker"]

    page.goto("/accounts/login/")
    page.get_by_label(label("User name")).fill("caseworker")
    page.get_by_label(label("Password")).fill(DEMO_PASSWORD)
    button(page, "Continue").click()
    expect(page).to_have_url(VERIFY_URL)

    page.get_by_label(label("Code")).fill(wrong_totp_code(caseworker))
    button(page, "Verify").click()
    expect(page).to_have_url(VERIFY_URL)
    expect(
        page.get_by_text("This code is not valid. Wait for a new code and try again.")
    ).to_be_visible()
    expect(page.get_by_label(label("Code"))).to_have_attribute("aria-invalid", "true")

    # Not signed in: the dashboard sends the person back to the code.
    page.goto("/dashboard/")
    expect(page).to_have_url(VERIFY_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")

    # django-otp holds the device back for a second after a failure; then
    # the right code works.
    time.sleep(1.1)
    page.get_by_label(label("Code")).fill(totp_code(caseworker))
    button(page, "Verify").click()
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Katya Caseworker")


def test_new_user_enrols_an_authenticator(browser_page: Page, demo: dict[str, User]) -> None:
    page = browser_page
    newcomer = UserFactory(username="newcomer", first_name="Nina", last_name="Newcomer")
    MembershipFactory(
        user=newcomer, organisation=Organisation.objects.get(code="TVAC"), role=Role.CASE_WORKER
    )
    assert not TOTPDevice.objects.filter(user=newcomer).exists()

    page.goto("/")
    page.get_by_label(label("User name")).fill("newcomer")
    page.get_by_label(label("Password")).fill(TEST_PASSWORD)
    button(page, "Continue").click()
    expect(page).to_have_url(SETUP_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor authentication"
    )
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr.locator("svg")).to_be_visible()

    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    page.get_by_label(label("Code from the app")).fill(totp_code_for_secret(secret))
    button(page, "Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    shown = [code.replace("-", "") for code in codes.all_inner_texts()]
    assert len(set(shown)) == 10
    stored = set(
        StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True)
    )
    assert stored == set(shown)
    assert TOTPDevice.objects.filter(user=newcomer, confirmed=True).count() == 1

    page.get_by_role("link", name="I have saved them — continue").click()
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nina Newcomer")
