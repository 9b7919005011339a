"""Declarations for the access matrix test (``test_access_matrix.py``).

Every URL pattern of the project, and every operation of the OpenAPI schema,
must be declared by its app in ``homeward/<app>/tests/access_expectations.py``
as a list ``EXPECTATIONS`` of :class:`Expect` — one per URL name and method
(an API path answering GET and POST has two). The test signs in as every
audience and checks the declared outcome; an undeclared URL fails the test.

Audiences: anonymous; each role in the organisation that owns the record
(HOME); the same role in another organisation (AWAY); the site administrator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from homeward.accounts.roles import Role

# Outcomes
OK = "ok"  # 2xx, or a redirect that is not a demand to sign in
LOGIN = "login"  # redirect to the sign-in page (with ?next=)
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not_found"  # 404

ALL_ROLES: frozenset[str] = frozenset(Role.values)


@dataclasses.dataclass(frozen=True)
class Expect:
    name: str
    method: str = "GET"
    # Builds the URL kwargs from the test cast (records belong to HOME).
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    anonymous: str = LOGIN
    # Roles that may use it in their own organisation; the others get 403.
    allowed: frozenset[str] = ALL_ROLES
    # The URL names a record of HOME: members of AWAY get 404, whatever their role.
    scoped: bool = False
    site_admin: str = OK
    # A method the URL must answer with 405.
    not_allowed_method: str | None = "PATCH"
    # Deliberately open to everyone (the public directory, sign-in pages).
    public: bool = False
    # Query string added to the URL, e.g. "country=TR".
    query: str = ""
    # The outcome for every member of AWAY, whatever their role, when it is not
    # the one above: a HOME record others may see but not change is FORBIDDEN.
    away: str | None = None
    # The outcome for members of HOME without an allowed role, when it is not
    # FORBIDDEN: a record only its creator may see is NOT_FOUND for colleagues.
    others: str | None = None
    # The JSON body of the request (API writes), built for each request from
    # the cast and the URL kwargs, e.g. with the record's current version.
    data: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    # Build the record (kwargs) anew for each audience: for requests that
    # cannot succeed twice on one record (close, delete, …).
    fresh: bool = False

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if self.away is not None and not same_organisation:
            return self.away
        if self.scoped and not same_organisation:
            return NOT_FOUND
        if role in self.allowed:
            return OK
        return self.others if self.others is not None else FORBIDDEN
