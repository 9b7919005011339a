"""Access expectations of the hotline's pages.

Lines and campaigns identify nobody: every member of the coalition reads the
lists, AWAY included (a HOME line or campaign is visible to AWAY, so changing
it is 403 there, not 404). The site administrator is no member: the lists
answer but are empty, adding is refused (403) and a HOME record is not found.
Adding and changing are for coordinators, in their own organisation.
"""

from __future__ import annotations

import datetime
from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect
from homeward.hotline import services
from homeward.hotline.tests import (
    access_expectations_analysis,
    access_expectations_api,
    access_expectations_contacts,
    access_expectations_escalation,
)
from homeward.hotline.tests.factories import make_line

MANAGERS = frozenset({Role.COORDINATOR})


def _line(cast: Any) -> dict[str, Any]:
    return {"pk": make_line(cast).pk}


def _campaign(cast: Any) -> dict[str, Any]:
    campaign = services.campaign_create(
        actor=cast.user(Role.COORDINATOR), organisation=cast.home, name="Airport brochures",
        channels=["AirportBrochures"], starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 4, 30),
    )
    return {"pk": campaign.pk}


def _manage(name: str, kwargs: Any = None) -> Expect:
    if kwargs is None:
        return Expect(name, allowed=MANAGERS, site_admin=FORBIDDEN)
    return Expect(
        name, kwargs=kwargs, allowed=MANAGERS, away=FORBIDDEN, site_admin=NOT_FOUND
    )


MANAGE_EXPECTATIONS: list[Expect] = [
    Expect("hotline:line-list"),
    _manage("hotline:line-create"),
    _manage("hotline:line-edit", _line),
    Expect("hotline:campaign-list"),
    _manage("hotline:campaign-create"),
    _manage("hotline:campaign-edit", _campaign),
]

EXPECTATIONS: list[Expect] = [
    *MANAGE_EXPECTATIONS,
    *access_expectations_contacts.EXPECTATIONS,
    *access_expectations_escalation.EXPECTATIONS,
    *access_expectations_analysis.EXPECTATIONS,
    *access_expectations_api.EXPECTATIONS,
]
