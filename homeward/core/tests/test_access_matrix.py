"""Every URL and every API operation, checked against every audience.

A URL pattern without a declared expectation fails this test: each app
declares its own in ``homeward/<app>/tests/access_expectations.py``.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from drf_spectacular.generators import SchemaGenerator

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import totp_device
from homeward.core.tests.access_matrix import FORBIDDEN, LOGIN, NOT_FOUND, OK, Expect

PUBLIC_NAMES = {"home", "healthz", "accounts:login", "accounts:logout", "accounts:language"}


def _public_names() -> set[str]:
    return PUBLIC_NAMES | {expect.name for expect in _declared().values() if expect.public}


def _declared() -> dict[tuple[str, str], Expect]:
    """Every expectation, by URL name and method."""
    declared: dict[tuple[str, str], Expect] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("homeward."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_expectations")
        except ModuleNotFoundError:
            continue
        for expect in module.EXPECTATIONS:
            key = (expect.name, expect.method)
            assert key not in declared, f"{expect.method} {expect.name} is declared twice"
            declared[key] = expect
    return declared


def _url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}"


def _outcome(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("accounts:login")) and "next=" in location:
            return LOGIN
        return OK
    if 200 <= response.status_code < 300:
        return OK
    return {403: FORBIDDEN, 404: NOT_FOUND}.get(response.status_code, str(response.status_code))


def _client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client


def _request(
    client: Client, method: str, url: str, data: dict[str, Any] | None = None
) -> HttpResponse:
    if data is None:
        return client.generic(method, url)  # type: ignore[return-value]
    return client.generic(  # type: ignore[return-value]
        method, url, json.dumps(data), content_type="application/json"
    )


def test_every_url_pattern_is_declared() -> None:
    declared = {name for name, _method in _declared()}
    names = set(_url_names())
    missing = sorted(names - declared)
    assert not missing, f"URL patterns without an access expectation: {missing}"
    stale = sorted(declared - names)
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


def test_anonymous_reaches_only_public_pages() -> None:
    for expect in _declared().values():
        if expect.anonymous == OK:
            assert expect.name in _public_names(), f"{expect.name} is open to anonymous users"


def test_every_api_operation_is_declared() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    declared = _declared()
    problems = []
    for path, operations in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        name = resolve(concrete).view_name
        for method in operations:
            if (name, method.upper()) not in declared:
                problems.append(f"{method.upper()} {path} ({name})")
    assert not problems, f"API operations without an access expectation: {problems}"


def _url(expect: Expect, kwargs: dict[str, Any]) -> str:
    url = reverse(expect.name, kwargs=kwargs or None)
    return f"{url}?{expect.query}" if expect.query else url


@pytest.mark.django_db
def test_access_matrix(cast: Any) -> None:
    failures: list[str] = []
    for (name, _method), expect in sorted(_declared().items()):
        kwargs = expect.kwargs(cast) if expect.kwargs else {}
        audiences: list[tuple[str, Any, str]] = [("anonymous", None, expect.anonymous)]
        for role in Role.values:
            audiences.append(
                (f"{role}@home", cast.user(role, "home"),
                 expect.expected_for(role, same_organisation=True))
            )
            audiences.append(
                (f"{role}@away", cast.user(role, "away"),
                 expect.expected_for(role, same_organisation=False))
            )
        audiences.append(("site admin", cast.site_admin, expect.site_admin))
        for label, user, wanted in audiences:
            if expect.fresh and expect.kwargs:
                kwargs = expect.kwargs(cast)
            url = _url(expect, kwargs)
            data = expect.data(cast, kwargs) if expect.data else None
            got = _outcome(_request(_client_for(user), expect.method, url, data))
            if got != wanted:
                failures.append(f"{expect.method} {name} as {label}: expected {wanted}, got {got}")
        if expect.not_allowed_method:
            response = _request(_client_for(cast.site_admin), expect.not_allowed_method, url)
            if response.status_code != 405:
                failures.append(
                    f"{expect.not_allowed_method} {name}: expected 405, "
                    f"got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


SECOND_FACTOR_PAGES = {
    "accounts:otp-verify", "accounts:2fa-setup", "accounts:logout", "accounts:language",
}


@pytest.mark.django_db
def test_password_alone_reaches_only_the_second_factor_pages(cast: Any) -> None:
    """A user whose role needs 2FA, signed in with the password only."""
    user = cast.user(Role.CASE_WORKER, "home")
    verify_url = reverse("accounts:otp-verify")
    failures = []
    for (name, _method), expect in sorted(_declared().items()):
        if name in _public_names() | SECOND_FACTOR_PAGES:
            continue
        url = _url(expect, expect.kwargs(cast) if expect.kwargs else {})
        client = Client()
        client.force_login(user)
        response = _request(client, expect.method, url)
        if name.startswith("api:"):
            if response.status_code != 403:
                failures.append(f"{name}: expected 403, got {response.status_code}")
        elif response.status_code != 302 or not response["Location"].startswith(verify_url):
            failures.append(f"{name}: expected a redirect to the code step, got {response}")
    assert not failures, "\n".join(failures)
