"""Access expectations of the statistics API: one per operation (URL name
and method).

Reports, releases, budgets and the CTDC datasets are for the report readers
— coordinators and researchers — in AWAY as in HOME (the cast's two
organisations are coalition members, so each counts the other's figures
too: a release counting HOME is readable from AWAY). Only coordinators
make a release (of their own organisation's figures, the default). Every
other role gets 403, and so does the site administrator, who belongs to no
organisation; anonymous callers get 403, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect
from homeward.stats.choices import Mechanism
from homeward.stats.models import Release

READERS = frozenset({Role.COORDINATOR, Role.RESEARCHER})
COORDINATORS = frozenset({Role.COORDINATOR})
REPORT = "exploitation-type"


def _release(cast: Any) -> dict[str, Any]:
    """A (noisy) release of HOME's figures, as ``release_create`` stores it."""
    release = Release.objects.create(
        report=REPORT, params={"organisations": [cast.home.pk]},
        mechanism=Mechanism.GEOMETRIC, epsilon_milli=500,
        table={"rows": ["ForcedLabour"], "columns": ["Persons"], "cells": [[3]]},
        created_by=cast.user(Role.COORDINATOR, "home"),
    )
    release.organisations.add(cast.home)
    return {"pk": release.pk}


def _new_release(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"report": REPORT, "epsilon": "0.1", "mechanism": Mechanism.GEOMETRIC,
            "date_from": "2026-01-01", "date_to": "2026-12-31"}


def _api(name: str, allowed: frozenset[str] = READERS, **extra: Any) -> Expect:
    return Expect(f"api:{name}", anonymous=FORBIDDEN, allowed=allowed,
                  site_admin=FORBIDDEN, **extra)


EXPECTATIONS: list[Expect] = [
    _api("stats-report-list"),
    _api("stats-report-detail", kwargs=lambda cast: {"name": REPORT},
         query="date_from=2026-01-01&date_to=2026-12-31"),
    _api("stats-release-list"),
    _api("stats-release-list", COORDINATORS, method="POST", data=_new_release,
         not_allowed_method=None),
    _api("stats-release-detail", kwargs=_release),
    _api("stats-budget-list"),
    _api("stats-ctdc-dataset-list"),
]

