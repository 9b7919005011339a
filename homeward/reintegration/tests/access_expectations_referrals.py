"""Access expectations of referrals between organisations.

The queues are for those who answer or send referrals (case workers,
reintegration workers, coordinators); others get 403. Sending and
transferring are pages of a HOME case nobody is assigned to: its managers
may open them; whoever does not see the case gets 404.

A referral's pages are declared on a referral from an AWAY case to HOME, so
that both sides are seen at once: the receiving side is HOME's case workers,
reintegration workers and coordinators; the sending side AWAY's case
workers and coordinators. Everyone else (the other roles of both
organisations, the site administrator) gets 404. An action of one side is
403 for the other.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, OK, Expect
from homeward.reintegration.choices import ReferralStatus
from homeward.reintegration.tests.factories import make_referral

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
RECEIVERS = frozenset({Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.COORDINATOR})


@dataclasses.dataclass(frozen=True)
class ExpectSides(Expect):
    """A referral from AWAY to HOME: ``receiver`` is what HOME's receiving
    roles get, ``sender`` what AWAY's sending roles get; 404 for the rest."""

    receiver: str = OK
    sender: str = OK

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if same_organisation:
            return self.receiver if role in RECEIVERS else NOT_FOUND
        return self.sender if role in MANAGERS else NOT_FOUND


def _code(cast: Any) -> dict[str, Any]:
    return {"code": open_case(cast, cast.user(Role.CASE_WORKER)).code}


def _incoming(cast: Any, status: str) -> dict[str, Any]:
    case = open_case(cast.away)
    return {"pk": make_referral(case, cast.home, status=status).pk}


def _pending(cast: Any) -> dict[str, Any]:
    return _incoming(cast, ReferralStatus.PENDING)


def _accepted(cast: Any) -> dict[str, Any]:
    return _incoming(cast, ReferralStatus.ACCEPTED)


def _case_page(name: str) -> Expect:
    return Expect(name, kwargs=_code, allowed=MANAGERS, scoped=True, others=NOT_FOUND,
                  site_admin=NOT_FOUND)


def _sides(name: str, method: str = "GET", **extra: Any) -> ExpectSides:
    return ExpectSides(name, method=method, site_admin=NOT_FOUND, **extra)


EXPECTATIONS: list[Expect] = [
    Expect("reintegration:referral-list", allowed=RECEIVERS, site_admin=FORBIDDEN),
    # GET shows the forms; the POSTs are tested in test_views_referrals.py.
    _case_page("reintegration:referral-new"),
    _case_page("reintegration:transfer-new"),
    _sides("reintegration:referral-detail", kwargs=_pending),
    _sides("reintegration:referral-accept", "POST", kwargs=_pending, fresh=True,
           sender=FORBIDDEN),
    _sides("reintegration:referral-decline", kwargs=_pending, sender=FORBIDDEN),
    _sides("reintegration:referral-revoke", kwargs=_pending, receiver=FORBIDDEN),
    _sides("reintegration:referral-complete", "POST", kwargs=_accepted, fresh=True),
    _sides("reintegration:referral-assign", "POST", kwargs=_accepted, sender=FORBIDDEN),
    _sides("reintegration:referral-export", kwargs=_accepted),
]
