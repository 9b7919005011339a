"""Access expectations of the CTDC reference data pages (``/stats/reference/``).

The list is for every report reader (coordinators and researchers), in
AWAY as in HOME: CTDC data is public reference data, no organisation's
record. Uploading and confirming an import is for coordinators
(``STATS_PUBLISH``). Every other role gets 403, and so does the site
administrator, who belongs to no organisation; anonymous callers are sent
to sign in. An empty POST to the upload shows the form again (200); a
confirmation without a checked file goes back to the upload page.
"""

from __future__ import annotations

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect

READERS = frozenset({Role.COORDINATOR, Role.RESEARCHER})
PUBLISHERS = frozenset({Role.COORDINATOR})

EXPECTATIONS: list[Expect] = [
    Expect("stats:reference", allowed=READERS, site_admin=FORBIDDEN),
    Expect("stats:reference-upload", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    Expect("stats:reference-upload", method="POST", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    Expect("stats:reference-confirm", method="POST", allowed=PUBLISHERS, site_admin=FORBIDDEN,
           not_allowed_method="GET"),
]
