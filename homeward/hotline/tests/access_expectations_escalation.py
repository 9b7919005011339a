"""Access expectations of the hotline's rescue escalation pages.

Both are for the roles that log contacts (hotline operators and
coordinators). The escalation page names a HOME contact: every member of
AWAY, and the site administrator (no member), does not find it; HOME
colleagues in other roles are refused. Who can help names no record:
members of AWAY who log contacts use it in their own organisation.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect
from homeward.hotline.tests.factories import log_contact

LOGGERS = frozenset({Role.HOTLINE_OPERATOR, Role.COORDINATOR})


def _contact(cast: Any) -> dict[str, Any]:
    # Without a line: the matrix makes enough of them already.
    return {"pk": log_contact(cast, line=None, organisation=cast.home).pk}


EXPECTATIONS: list[Expect] = [
    Expect("hotline:who-can-help", allowed=LOGGERS, site_admin=FORBIDDEN,
           query="country=TR&city=Istanbul"),
    Expect("hotline:contact-escalate", kwargs=_contact, allowed=LOGGERS, scoped=True,
           site_admin=NOT_FOUND),
    # An empty form: shown again with its errors, nothing recorded.
    Expect("hotline:contact-escalate", method="POST", kwargs=_contact, allowed=LOGGERS,
           scoped=True, site_admin=NOT_FOUND),
]
