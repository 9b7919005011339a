"""Access expectations of the statistics pages and API (one module per part)."""

from __future__ import annotations

from homeward.stats.tests import (
    access_expectations_api,
    access_expectations_exchange,
    access_expectations_reference,
    access_expectations_releases,
    access_expectations_reports,
)

EXPECTATIONS = [
    *access_expectations_reports.EXPECTATIONS,
    *access_expectations_releases.EXPECTATIONS,
    *access_expectations_exchange.EXPECTATIONS,
    *access_expectations_reference.EXPECTATIONS,
    *access_expectations_api.EXPECTATIONS,
]
