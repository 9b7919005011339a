from __future__ import annotations

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, OK, Expect


def _org(cast):
    return {"code": cast.home.code}


def _member(cast):
    membership = cast.user(Role.CASE_WORKER).memberships.get()
    return {"code": cast.home.code, "pk": membership.pk}


ADMINS = frozenset({Role.ORG_ADMIN})
NOBODY: frozenset[str] = frozenset()

EXPECTATIONS = [
    Expect("home", anonymous=OK),
    Expect("healthz", anonymous=OK),
    Expect("accounts:login", anonymous=OK),
    Expect("accounts:otp-verify"),
    Expect("accounts:logout", method="POST", anonymous=OK),
    Expect("accounts:language", method="POST", anonymous=OK),
    Expect("accounts:2fa-setup"),
    Expect("accounts:2fa-recovery-codes"),
    Expect("accounts:2fa-recovery-codes-new"),
    Expect("accounts:sudo"),
    Expect("accounts:security"),
    Expect("accounts:switch-organisation", method="POST"),
    Expect("accounts:dashboard"),
    Expect("accounts:organisation-list"),
    Expect("accounts:organisation-create", allowed=NOBODY),
    Expect("accounts:organisation-detail", kwargs=_org, scoped=True),
    Expect("accounts:organisation-edit", kwargs=_org, scoped=True, allowed=NOBODY),
    Expect("accounts:member-list", kwargs=_org, scoped=True, allowed=ADMINS),
    Expect("accounts:member-create", kwargs=_org, scoped=True, allowed=ADMINS),
    Expect("accounts:member-edit", kwargs=_member, scoped=True, allowed=ADMINS),
    Expect("accounts:member-delete", kwargs=_member, scoped=True, allowed=ADMINS),
    # REST API: anonymous callers get 403 (session authentication, no challenge).
    Expect("api:schema", anonymous=FORBIDDEN),
    Expect("api:me", anonymous=FORBIDDEN),
    Expect("api:organisation-list", anonymous=FORBIDDEN),
    Expect("api:organisation-detail", kwargs=_org, scoped=True, anonymous=FORBIDDEN),
    Expect(
        "api:member-list", kwargs=_org, scoped=True, allowed=ADMINS, anonymous=FORBIDDEN
    ),
]
