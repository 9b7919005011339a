"""Access expectations of the differentially private release pages.

Report readers (coordinators and researchers) see the releases of the
organisations they count: HOME and AWAY are both coalition members, so a
HOME release is visible to AWAY's readers too. Only coordinators make a
release (an empty POST re-shows the form). Everyone else gets 403, the site
administrator (no membership) too; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect
from homeward.stats.choices import Mechanism
from homeward.stats.models import Release

READERS = frozenset({Role.COORDINATOR, Role.RESEARCHER})
PUBLISHERS = frozenset({Role.COORDINATOR})


def _release(cast: Any) -> dict[str, Any]:
    release = Release.objects.create(
        report="nationality-by-destination",
        params={"organisations": [cast.home.pk]},
        mechanism=Mechanism.GEOMETRIC,
        epsilon_milli=1000,
        table={"rows": ["TR"], "columns": ["RU"], "cells": [[12]]},
    )
    release.organisations.set([cast.home])
    return {"pk": release.pk}


EXPECTATIONS: list[Expect] = [
    Expect("stats:release-list", allowed=READERS, site_admin=FORBIDDEN),
    Expect("stats:release-create", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    Expect("stats:release-create", method="POST", allowed=PUBLISHERS, site_admin=FORBIDDEN),
    Expect("stats:release-detail", kwargs=_release, allowed=READERS, site_admin=FORBIDDEN),
    Expect("stats:release-download", kwargs=_release, allowed=READERS, site_admin=FORBIDDEN,
           query="format=csv"),
]
