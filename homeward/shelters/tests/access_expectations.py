"""Access expectations of the shelters' pages and API (one module per part)."""

from __future__ import annotations

from homeward.shelters.tests import (
    access_expectations_api,
    access_expectations_case,
    access_expectations_shelter,
)

EXPECTATIONS = [
    *access_expectations_shelter.EXPECTATIONS,
    *access_expectations_case.EXPECTATIONS,
    *access_expectations_api.EXPECTATIONS,
]
