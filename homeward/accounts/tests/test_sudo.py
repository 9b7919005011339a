""""Re-enter your password" before exports and deletions (sudo mode)."""

from __future__ import annotations

import csv
import io
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from homeward.accounts import sudo
from homeward.accounts.models import Membership
from homeward.accounts.tests.factories import TEST_PASSWORD
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action, audit_record

EXPORT = "/audit/export.csv"
CONFIRM = "/accounts/confirm-password/"
WRONG = "The password is not correct."
LOCKED = "Too many failed attempts"


def _redirected_to_confirm(response, next_url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == CONFIRM and parse_qs(location.query).get("next") == [next_url]


def _confirm(client: Client, password: str, next_url: str = EXPORT):
    return client.post(f"{CONFIRM}?next={next_url}", {"password": password, "next": next_url})


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def admin_client(login, cast) -> Client:
    return login(cast.user("org_admin"))


class SudoClock:
    """Moves the clock the sudo module reads, and nothing else."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        monkeypatch.setattr(sudo, "time", SimpleNamespace(time=lambda: time.time() + self.offset))

    def advance(self, seconds: float) -> None:
        self.offset += seconds


# --- the export asks for the password first --------------------------------


def test_the_export_first_asks_for_the_password(admin_client: Client) -> None:
    response = admin_client.get(EXPORT)
    assert _redirected_to_confirm(response, EXPORT)
    assert not _entries(Action.EXPORT)


def test_the_filters_survive_the_detour(admin_client: Client) -> None:
    response = admin_client.get(EXPORT, {"action": "logout"})
    assert _redirected_to_confirm(response, f"{EXPORT}?action=logout")


def test_the_confirmation_page_shows_a_password_field(admin_client: Client) -> None:
    response = admin_client.get(f"{CONFIRM}?next={EXPORT}")
    assert response.status_code == 200
    assert b'type="password"' in response.content
    assert f'value="{EXPORT}"'.encode() in response.content


def test_a_wrong_password_is_refused_and_audited(admin_client: Client, cast) -> None:
    user = cast.user("org_admin")

    response = _confirm(admin_client, "not my password")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert [e.actor_id for e in _entries(Action.SUDO_FAILED)] == [user.pk]
    assert not _entries(Action.SUDO_CONFIRMED)
    assert _redirected_to_confirm(admin_client.get(EXPORT), EXPORT)


def test_wrong_passwords_count_towards_the_sign_in_lockout(
    admin_client: Client, cast
) -> None:
    user = cast.user("org_admin")
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER
    for _ in range(limit):
        _confirm(admin_client, "guessing")

    # Locked: the right password no longer works here...
    response = _confirm(admin_client, TEST_PASSWORD)
    assert response.status_code == 200
    assert _redirected_to_confirm(admin_client.get(EXPORT), EXPORT)
    assert not _entries(Action.SUDO_CONFIRMED)
    # ...nor on the sign-in page.
    other = Client()
    response = other.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert LOCKED in response.content.decode()
    assert len(_entries(Action.SUDO_FAILED)) == limit + 1


def test_the_right_password_leads_back_and_the_export_downloads(
    admin_client: Client, cast
) -> None:
    user = cast.user("org_admin")
    audit_record(action=Action.VIEW, actor=user, organisation=cast.home, target_type="x.Y")

    response = _confirm(admin_client, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == EXPORT
    assert [e.actor_id for e in _entries(Action.SUDO_CONFIRMED)] == [user.pk]

    response = admin_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="homeward-audit-')
    rows = _csv_rows(response)
    assert rows[0] == ["id", "time_utc", "user", "organisation", "action", "record_type",
                       "record_id", "fields", "ip", "hash"]
    assert any(row[4] == Action.VIEW for row in rows[1:])
    [export] = _entries(Action.EXPORT)
    assert export.actor_id == user.pk
    assert export.detail["format"] == "csv"
    assert export.organisation_code == cast.home.code


def test_the_export_holds_only_the_administrators_organisation(
    admin_client: Client, cast
) -> None:
    audit_record(action=Action.VIEW, actor=cast.user("case_worker", "away"),
                 organisation=cast.away, target_type="away.Secret")
    audit_record(action=Action.VIEW, actor=cast.user("case_worker"),
                 organisation=cast.home, target_type="home.Record")
    _confirm(admin_client, TEST_PASSWORD)

    rows = _csv_rows(admin_client.get(EXPORT))

    assert {row[3] for row in rows[1:]} == {cast.home.code}
    assert "away.Secret" not in {row[5] for row in rows[1:]}
    assert "home.Record" in {row[5] for row in rows[1:]}


def test_people_who_may_not_read_the_log_get_403_not_the_password_page(
    login, cast
) -> None:
    client = login(cast.user("case_worker"))
    assert client.get(EXPORT).status_code == 403
    assert client.get("/audit/?x=1").status_code == 403
    assert not _entries(Action.EXPORT)


def test_the_confirmation_lasts_for_the_sudo_period_only(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _confirm(admin_client, TEST_PASSWORD)
    clock = SudoClock(monkeypatch)

    clock.advance(settings.HOMEWARD_SUDO_SECONDS - 5)
    assert admin_client.get(EXPORT).status_code == 200

    clock.advance(10)
    assert _redirected_to_confirm(admin_client.get(EXPORT), EXPORT)
    assert len(_entries(Action.EXPORT)) == 1


def test_an_expired_confirmation_in_the_session_is_not_honoured(admin_client: Client) -> None:
    _confirm(admin_client, TEST_PASSWORD)
    session = admin_client.session
    session[sudo.SESSION_KEY] = time.time() - 1
    session.save()
    assert _redirected_to_confirm(admin_client.get(EXPORT), EXPORT)


def test_the_confirmation_ends_with_the_session(admin_client: Client, login, cast) -> None:
    _confirm(admin_client, TEST_PASSWORD)
    admin_client.post("/accounts/logout/")
    client = login(cast.user("org_admin"))
    assert _redirected_to_confirm(client.get(EXPORT), EXPORT)


# --- removing a member ------------------------------------------------------


def _member_delete_url(cast, role: str = "case_worker") -> tuple[str, Membership]:
    membership = Membership.objects.get(user=cast.user(role), organisation=cast.home)
    return f"/orgs/{cast.home.code}/members/{membership.pk}/remove/", membership


def test_removing_a_member_asks_for_the_password_first(admin_client: Client, cast) -> None:
    url, membership = _member_delete_url(cast)

    assert _redirected_to_confirm(admin_client.get(url), url)
    assert _redirected_to_confirm(admin_client.post(url), url)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not _entries(Action.DELETE)


def test_removing_a_member_after_confirming(admin_client: Client, cast) -> None:
    url, membership = _member_delete_url(cast)
    response = _confirm(admin_client, TEST_PASSWORD, url)
    assert response["Location"] == url

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{cast.home.code}/members/"
    assert not Membership.objects.filter(pk=membership.pk).exists()
    [entry] = _entries(Action.DELETE)
    assert entry.target_type == "accounts.Membership"
    assert entry.target_id == str(membership.pk)


def test_other_organisations_members_are_404_before_any_password_prompt(
    login, cast
) -> None:
    url, membership = _member_delete_url(cast)
    client = login(cast.user("org_admin", "away"))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_members_without_the_capability_get_403(login, cast) -> None:
    url, _membership = _member_delete_url(cast, "researcher")
    client = login(cast.user("coordinator"))
    assert client.get(url).status_code == 403


def test_new_recovery_codes_need_the_password(admin_client: Client) -> None:
    url = "/accounts/2fa/recovery-codes/"
    assert _redirected_to_confirm(admin_client.get(url), url)
    assert _redirected_to_confirm(admin_client.post(url), url)
    assert not _entries(Action.RECOVERY_CODES_ISSUED)
    _confirm(admin_client, TEST_PASSWORD, url)
    response = admin_client.post(url)
    assert response["Location"] == "/accounts/2fa/recovery-codes/new/"
    assert admin_client.get(response["Location"]).status_code == 200
    assert len(_entries(Action.RECOVERY_CODES_ISSUED)) == 1
