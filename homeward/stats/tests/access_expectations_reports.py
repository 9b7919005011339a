"""Access expectations of the statistics index, the report pages, their
downloads and the statistical abstract.

The reports are for coordinators and researchers (``STATS_VIEW``), in AWAY
as in HOME: a report is no record, each reader counts the organisations
``scope`` gives them. Every other role gets 403, and so does the site
administrator, who belongs to no organisation. Anonymous visitors are sent
to sign in. An abstract is its maker's: HOME's coordinator made the one
named here; the other report readers (HOME's researcher, AWAY's readers)
get 404, everyone else 403.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, OK, Expect
from homeward.stats.models import Abstract

READERS = frozenset({Role.COORDINATOR, Role.RESEARCHER})


@dataclasses.dataclass(frozen=True)
class MakerOnly(Expect):
    """A record of HOME's coordinator alone: 404 for the other readers."""

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if role not in self.allowed:
            return FORBIDDEN
        if role == Role.COORDINATOR and same_organisation:
            return OK
        return NOT_FOUND


def _report(cast: Any) -> dict[str, Any]:
    return {"name": "nationality-by-destination"}


def _abstract(cast: Any) -> dict[str, Any]:
    made = Abstract.objects.create(
        created_by=cast.user(Role.COORDINATOR, "home"), language="en",
        params={"filter": {"organisations": [cast.home.pk]}, "k": 11}, pdf=b"%PDF-1.4 matrix",
        finished_at=timezone.now(),
    )
    return {"pk": made.pk}


def _reader(name: str, **extra: Any) -> Expect:
    return Expect(f"stats:{name}", allowed=READERS, site_admin=FORBIDDEN, **extra)


EXPECTATIONS: list[Expect] = [
    _reader("index"),
    _reader("report", kwargs=_report),
    _reader("report-download", kwargs=_report, query="format=csv"),
    _reader("abstract"),
    # The matrix posts no form: the page answers with the form's errors.
    _reader("abstract", method="POST"),
    MakerOnly("stats:abstract-download", kwargs=_abstract, allowed=READERS,
              site_admin=FORBIDDEN),
]
