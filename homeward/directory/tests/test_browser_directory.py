"""The directory in a real Chromium: the public list in Russian, the entry
page, "who can help" for a hotline operator, and the map."""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)
from homeward.core.tests.browser import BrowserSession, save_screenshot, sign_in
from homeward.directory.models import ContactPoint, Entry, Service
from homeward.directory.phones import display
from homeward.directory.tests.factories import make_contact, make_entry

pytestmark = pytest.mark.browser


@dataclasses.dataclass
class World:
    owner: Organisation
    angel: Entry
    task_force: Entry
    duty_desk: ContactPoint
    rescue_line: ContactPoint
    safe_house: Entry


@pytest.fixture
def world(transactional_db: None) -> World:
    # Transactional tests empty every table afterwards, the managed list of
    # services (a data migration) included: put back the one used here.
    Service.objects.get_or_create(
        code="hotline", defaults={"name_en": "Hotline", "name_ru": "Горячая линия"}
    )
    owner = OrganisationFactory.create(code="AC-TEST", name_en="Angel Coalition office")
    angel = make_entry(
        owner, name_en="Angel Coalition", name_ru="Ангельская коалиция", country="RU",
        city="Moscow", kind="coalition_member", is_24_7=True, services=["hotline"],
        latitude="55.75580", longitude="37.61730", website="https://example.org/",
    )
    make_contact(angel, label_en="Hotline", label_ru="Горячая линия", phone="+7 495 123-45-67",
                 is_24_7=True)
    make_entry(owner, name_en="Crisis Centre", name_ru="Кризисный центр", country="RU",
               city="Saint Petersburg", latitude="59.93430", longitude="30.33510")
    task_force = make_entry(
        owner, name_en="Istanbul Anti-Trafficking Task Force",
        name_ru="Стамбульская полиция по борьбе с торговлей людьми", kind="task_force",
        city="Istanbul", latitude="41.00820", longitude="28.97840",
    )
    duty_desk = make_contact(task_force, label_en="Duty desk", label_ru="Дежурная часть",
                             phone="+90 212 555 0101", hours="9–18")
    rescue_line = make_contact(
        task_force, label_en="Rescue line for operators", label_ru="Линия для операторов",
        phone="+90 212 555 0102", visibility="restricted",
        restricted_roles=[Role.HOTLINE_OPERATOR], is_24_7=True,
    )
    safe_house = make_entry(
        owner, name_en="Secret Safe House", name_ru="Тайное убежище", kind="shelter",
        visibility="restricted", restricted_roles=[Role.HOTLINE_OPERATOR],
        latitude="39.93340", longitude="32.85970",
    )
    return World(owner, angel, task_force, duty_desk, rescue_line, safe_house)


def _operator(world: World) -> User:
    user = UserFactory.create(username="operator", first_name="Olga", last_name="Operator",
                       language="en")
    MembershipFactory.create(user=user, organisation=world.owner, role=Role.HOTLINE_OPERATOR)
    totp_device(user)
    return user




def test_anonymous_visitor_finds_angel_coalition_in_russian(
    browser_page: Page, world: World
) -> None:
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name=re.compile("Directory|Справочник")).click()
    expect(page).to_have_url(re.compile(r"/directory/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("#id_q").fill("Ангел")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=%D0%90%D0%BD%D0%B3%D0%B5%D0%BB"))
    results = page.locator(".entry-card")
    expect(results).to_have_count(1)
    results.get_by_role("link", name="Ангельская коалиция").click()
    expect(page).to_have_url(re.compile(rf"/directory/{world.angel.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ангельская коалиция")
    expect(page.locator('a[href="tel:+74951234567"]')).to_have_text(
        display("+74951234567")
    )
    save_screenshot(page, "directory-angel-entry-ru")


def test_hotline_operator_sees_the_restricted_line_the_public_does_not(
    browser_session: BrowserSession, browser_page: Page, world: World
) -> None:
    operator = _operator(world)
    page = browser_page
    sign_in(page, operator)
    page.get_by_role("link", name="Directory").click()
    page.get_by_role("link", name="Who can help now?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who can help now?")
    page.locator("#id_country").select_option("TR")
    page.get_by_role("button", name="Find").click()
    results = page.locator("#who-can-help-results")
    first = results.locator(".helper").first
    expect(first).to_contain_text("Rescue line for operators")
    expect(first.locator(f'a[href="tel:{world.rescue_line.phone}"]')).to_have_text(
        display(world.rescue_line.phone)
    )
    expect(first).to_contain_text("24/7")
    # htmx put the search in the address bar: a reload shows the same results.
    expect(page).to_have_url(re.compile(r"/directory/who-can-help/\?country=TR"))
    save_screenshot(page, "directory-who-can-help-operator")

    public = browser_session.new_page()
    public.goto(f"/directory/{world.task_force.pk}/")
    expect(public.get_by_role("heading", level=1)).to_contain_text("Стамбульская полиция")
    expect(public.get_by_role("cell", name="Дежурная часть", exact=True)).to_be_visible()
    html = public.content()
    assert "Линия для операторов" not in html
    assert world.rescue_line.phone not in html
    assert display(world.rescue_line.phone) not in html
    missing = public.request.get(f"/directory/{world.safe_house.pk}/")
    assert missing.status == 404
    assert "Тайное убежище" not in missing.text()


def test_map_draws_the_world_and_the_public_entries(browser_page: Page, world: World) -> None:
    page = browser_page
    page.goto("/directory/map/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Three public entries have coordinates; the restricted safe house is not drawn.
    expect(page.locator("#directory-map")).to_have_attribute("data-markers", "3")
    expect(page.locator("#directory-map path.leaflet-interactive")).to_have_count(3)
    assert page.locator("#directory-map path:not(.leaflet-interactive)").count() > 100
    table = page.locator("table")
    expect(table).to_contain_text("Ангельская коалиция")
    expect(table).not_to_contain_text("Тайное убежище")
    page.locator("#directory-map path.leaflet-interactive").first.click(force=True)
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", re.compile(r"^/directory/\d+/$")
    )
    save_screenshot(page, "directory-map-ru", full_page=False)
