"""The fixed cast every test can use.

Two organisations, HOME and AWAY, each with one user per role (username
``<role>@<org>``, for example ``case_worker@home``), plus a site
administrator. Every user has a confirmed authenticator. ``login`` signs a
test client in as if the second factor had been verified.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)

os.environ.setdefault("HOMEWARD_ENV", "test")

# Browser fixtures (browser_page, browser_session) for every app's tests.
pytest_plugins = ["homeward.core.tests.browser"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_var_dir(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded files (the library) go to a per-test folder, never to var/."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (a rolled-back test never runs the
    on-commit hooks that would invalidate what it cached)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable() -> None:
    """Tests on ``transactional_db``/``live_server`` empty every table when they
    end; the audit log's triggers refuse that unless switched off for the flush."""
    from homeward.core.tests.browser import allow_audit_log_flush

    allow_audit_log_flush()


@dataclasses.dataclass
class Cast:
    home: Organisation
    away: Organisation
    members: dict[tuple[str, str], User]
    site_admin: User

    def user(self, role: str, org: str = "home") -> User:
        return self.members[(org, role)]


@pytest.fixture
def cast(db: None) -> Cast:
    home = OrganisationFactory(code="HOME", name_en="Home NGO", name_ru="Домашняя НКО")
    away = OrganisationFactory(code="AWAY", name_en="Away NGO", name_ru="Чужая НКО")
    members: dict[tuple[str, str], User] = {}
    for org_key, org in (("home", home), ("away", away)):
        for role in Role.values:
            user = UserFactory(username=f"{role}@{org_key}")
            MembershipFactory(user=user, organisation=org, role=role)
            totp_device(user)
            members[(org_key, role)] = user
    site_admin = UserFactory(username="siteadmin", is_superuser=True)
    totp_device(site_admin)
    return Cast(home=home, away=away, members=members, site_admin=site_admin)


def _verified_login(client: Client, user: User) -> Client:
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """``login(user)`` signs the test client in with 2FA verified."""

    def _login(user: User) -> Client:
        return _verified_login(client, user)

    return _login
