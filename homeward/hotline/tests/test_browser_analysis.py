"""The analysis in a real Chromium: a coordinator opens the problem regions
and sees the chart (drawn by Chart.js) and the map of destination countries,
in English and in Russian."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.core.tests.browser import save_screenshot, sign_in
from homeward.hotline.models import Campaign
from homeward.hotline.tests.factories import make_line
from homeward.hotline.tests.test_analysis import RELATIVE, VICTIM, add

pytestmark = pytest.mark.browser


def _calls(cast: Any) -> None:
    operator = cast.user("hotline_operator")
    line = make_line(cast, label_en="Line A")
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    add(line, operator, 14, last_week, **RELATIVE)
    add(line, operator, 12, last_week, **VICTIM)
    add(line, operator, 3, last_week, **{**VICTIM, "caller_country": "DE",
                                          "caller_city": "Berlin"})
    Campaign.objects.create(
        organisation=cast.home, name="Airport brochures", cities="Astrakhan",
        starts_on=last_week - datetime.timedelta(days=3),
        ends_on=last_week + datetime.timedelta(days=3),
    )
    add(line, operator, 4, last_week, **{**VICTIM, "caller_country": "PL",
                                          "caller_city": "Warsaw"})


def _open_regions(page: Page, cast: Any, language: str) -> dict[str, Any]:
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = language
    coordinator.save()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    sign_in(page, coordinator)
    page.goto("/hotline/analysis/regions/")
    canvas = page.locator("#chart-destinations")
    expect(canvas).to_have_attribute("data-drawn", "yes")
    size = canvas.bounding_box()
    assert size is not None
    assert size["width"] > 100
    assert size["height"] > 100
    assert page.evaluate("() => window.Chart.getChart('chart-destinations') !== undefined")
    country_map = page.locator("#analysis-map")
    expect(country_map).to_have_attribute("data-shaded", "4")
    assert country_map.locator("path").count() > 150
    # Turkey (14) and the Emirates (12) are shaded; Germany (3) and Poland (4)
    # are hatched (two hidden cells: no second one needs hiding).
    assert country_map.locator("path[fill]").count() == 2
    assert country_map.locator("path.hidden-count").count() == 2
    assert not errors, errors
    return {"page": page}


def test_coordinator_sees_the_problem_regions_chart_and_map(browser_page: Page, cast) -> None:
    _calls(cast)
    _open_regions(browser_page, cast, "en")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Problem regions")
    expect(browser_page.locator("table", has_text="Destination countries").first).to_contain_text(
        "<11")
    save_screenshot(browser_page, "hotline analysis regions")
    browser_page.get_by_role("link", name="Overview", exact=True).click()
    expect(browser_page.locator("#chart-over-time")).to_have_attribute("data-drawn", "yes")
    expect(browser_page.locator("#chart-channels")).to_have_attribute("data-drawn", "yes")
    save_screenshot(browser_page, "hotline analysis overview")
    browser_page.get_by_role("link", name="Campaigns", exact=True).last.click()
    expect(browser_page.locator("canvas[data-chart=campaign]")).to_have_attribute(
        "data-drawn", "yes")
    save_screenshot(browser_page, "hotline analysis campaigns")


def test_coordinator_sees_the_problem_regions_in_russian(browser_page: Page, cast) -> None:
    _calls(cast)
    _open_regions(browser_page, cast, "ru")
    expect(browser_page.locator("html")).to_have_attribute("lang", "ru")
    save_screenshot(browser_page, "hotline analysis regions ru")
