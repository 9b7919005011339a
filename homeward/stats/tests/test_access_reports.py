"""The access matrix for the report pages alone (the full matrix,
``core/tests/test_access_matrix.py``, checks every app and is slow)."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.accounts.roles import Role
from homeward.core.tests.test_access_matrix import _client_for, _outcome, _request, _url
from homeward.stats.tests.access_expectations_reports import EXPECTATIONS


@pytest.mark.django_db
@pytest.mark.parametrize("expect", EXPECTATIONS, ids=lambda e: f"{e.method} {e.name}")
def test_report_pages_answer_each_audience_as_declared(cast: Any, expect: Any) -> None:
    kwargs = expect.kwargs(cast) if expect.kwargs else {}
    url = _url(expect, kwargs)
    audiences: list[tuple[str, Any, str]] = [("anonymous", None, expect.anonymous),
                                             ("site admin", cast.site_admin, expect.site_admin)]
    for role in Role.values:
        for org, same in (("home", True), ("away", False)):
            audiences.append((f"{role}@{org}", cast.user(role, org),
                              expect.expected_for(role, same_organisation=same)))
    failures = [
        f"{label}: expected {wanted}, got {got}"
        for label, user, wanted in audiences
        if (got := _outcome(_request(_client_for(user), expect.method, url))) != wanted
    ]
    if expect.not_allowed_method:
        status = _request(_client_for(cast.site_admin), expect.not_allowed_method, url).status_code
        if status != 405:
            failures.append(f"{expect.not_allowed_method}: expected 405, got {status}")
    assert not failures, "\n".join(failures)
