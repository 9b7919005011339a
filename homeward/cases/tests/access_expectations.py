"""The cases app's access expectations, gathered from each part."""

from __future__ import annotations

from homeward.cases.tests.expectations_api import EXPECTATIONS as API
from homeward.cases.tests.expectations_pages_cases import EXPECTATIONS as CASE_PAGES
from homeward.cases.tests.expectations_pages_records import EXPECTATIONS as RECORD_PAGES

EXPECTATIONS = [*API, *CASE_PAGES, *RECORD_PAGES]
