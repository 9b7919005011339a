"""Access expectations of the hotline's analysis pages and the analysis API.

The analysis is for coordinators and researchers (``HOTLINE_ANALYSE``), in
AWAY as in HOME: the pages are no record, each member sees their own
organisations' numbers (that HOME's never reach AWAY is checked by the
analysis tests). Every other role gets 403, and so does the site
administrator, who belongs to no organisation. Anonymous callers are sent to
sign in on the pages and get 403 from the API.
"""

from __future__ import annotations

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect

ANALYSTS = frozenset({Role.COORDINATOR, Role.RESEARCHER})


def _analysis(name: str, query: str = "") -> Expect:
    return Expect(name, allowed=ANALYSTS, site_admin=FORBIDDEN, query=query)


def _api(name: str) -> Expect:
    return Expect(name, allowed=ANALYSTS, site_admin=FORBIDDEN, anonymous=FORBIDDEN)


EXPECTATIONS: list[Expect] = [
    _analysis("hotline:analysis"),
    _analysis("hotline:analysis-regions"),
    _analysis("hotline:analysis-campaigns"),
    _analysis("hotline:analysis-export", "table=channels&format=csv"),
    _api("api:hotline-analysis-overview"),
    _api("api:hotline-analysis-regions"),
    _api("api:hotline-analysis-campaigns"),
]
