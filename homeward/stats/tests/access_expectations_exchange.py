"""Access expectations of the HTCDS exchange pages: coordinators only (they
hold ``STATS_PUBLISH``), each for the organisations where they publish;
everyone else 403, the site administrator (no membership) too."""

from __future__ import annotations

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect

PUBLISHERS = frozenset({Role.COORDINATOR})

EXPECTATIONS: list[Expect] = [
    Expect("stats:exchange", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    # A de-identified download (an identifying one asks for the password first).
    Expect("stats:exchange-export", allowed=PUBLISHERS, site_admin=FORBIDDEN,
           query="format=csv"),
    Expect("stats:exchange-import", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    # Nothing waiting: back to the upload page.
    Expect("stats:exchange-import-confirm", method="POST", allowed=PUBLISHERS,
           site_admin=FORBIDDEN),
]
