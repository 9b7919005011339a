"""Access expectations of reintegration's pages and API (one module per part)."""

from __future__ import annotations

from homeward.reintegration.tests import (
    access_expectations_api,
    access_expectations_manage,
    access_expectations_referrals,
    access_expectations_work,
)

EXPECTATIONS = [
    *access_expectations_referrals.EXPECTATIONS,
    *access_expectations_work.EXPECTATIONS,
    *access_expectations_manage.EXPECTATIONS,
    *access_expectations_api.EXPECTATIONS,
]
