"""What the reintegration endpoints share: the case as reintegration work
reaches it (404 for a case the caller cannot reach) and the audit row of
every read. (The 403 for a role that sees a record but may not do what it
asks is ``cases.api.common.require``.)
"""

from __future__ import annotations

from rest_framework.request import Request

from homeward.accounts.models import User
from homeward.cases.api.common import request_user
from homeward.cases.services import case_view_record
from homeward.reintegration.selectors import CaseAccess, case_access
from homeward.reintegration.services.referrals import referral_view_record


def access_for(request: Request, code: str) -> tuple[User, CaseAccess]:
    """The case by code through the reintegration gate: its own side, or an
    organisation that accepted a referral of it; 404 for everyone else."""
    user = request_user(request)
    return user, case_access(user=user, code=code)


def record_read(user: User, access: CaseAccess, what: str) -> None:
    """Audit a read of the case's records: in the case's log as a look at
    the case, or — for a receiving organisation — as a look at the referral."""
    if access.full or access.referral is None:
        case_view_record(actor=user, case=access.case, tab=f"api:reintegration-{what}")
    else:
        referral_view_record(actor=user, referral=access.referral, what="api")
