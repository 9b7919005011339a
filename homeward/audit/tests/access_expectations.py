from __future__ import annotations

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import Expect

AUDITORS = frozenset({Role.ORG_ADMIN})

# Not scoped to HOME: an administrator of any organisation reads its own log.
EXPECTATIONS = [
    Expect("audit:entry-list", allowed=AUDITORS),
    Expect("audit:entry-export", allowed=AUDITORS),
]
