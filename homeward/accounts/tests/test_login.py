"""Signing in: password, lockout, the second factor, enrolment, recovery
codes, idle sessions, signing out, language and redirects."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import two_factor
from homeward.accounts.models import LoginThrottle, Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    UserFactory,
    totp_device,
)
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
SETUP = "/accounts/2fa/setup/"
DASHBOARD = "/dashboard/"
ME = "/api/v1/me/"

WRONG = "The user name or password is not correct."
LOCKED = "Too many failed attempts"


# --- helpers ---------------------------------------------------------------


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_step(client: Client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def new_member(org: Organisation, role: str, username: str, *, device: bool = False) -> User:
    user = typing.cast(User, UserFactory(username=username))
    MembershipFactory(user=user, organisation=org, role=role)
    if device:
        totp_device(user)
    return user


class Clock:
    """Moves ``django.utils.timezone.now`` forward for the rest of the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta()
        real_now = timezone.now
        monkeypatch.setattr("django.utils.timezone.now", lambda: real_now() + self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# --- the password step -----------------------------------------------------


def test_the_login_page_shows_a_form(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_password_then_authenticator_code_signs_in(client: Client, cast) -> None:
    user = cast.user("case_worker")

    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert signed_in_user_id(client) == str(user.pk)
    # The password alone does not open anything yet.
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == VERIFY

    response = client.post(VERIFY, {"token": totp_code(totp_device(user))})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200

    assert [e.actor_id for e in entries(Action.LOGIN_SUCCESS)] == [user.pk]
    assert [e.actor_id for e in entries(Action.LOGIN_OTP_SUCCESS)] == [user.pk]
    assert entries(Action.LOGIN_SUCCESS)[0].ip == "127.0.0.1"


def test_an_authenticator_code_cannot_be_used_twice(client: Client, cast) -> None:
    user = cast.user("case_worker")
    password_step(client, user.username)
    code = totp_code(totp_device(user))
    assert client.post(VERIFY, {"token": code})["Location"] == DASHBOARD
    client.post("/accounts/logout/")

    password_step(client, user.username)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY


def test_a_wrong_authenticator_code_is_refused_and_audited(client: Client, cast) -> None:
    user = cast.user("coordinator")
    password_step(client, user.username)
    good = totp_code(totp_device(user))
    bad = "000000" if good != "000000" else "111111"

    response = client.post(VERIFY, {"token": bad})

    assert response.status_code == 200
    assert b"This code is not valid" in response.content
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY
    assert [e.actor_id for e in entries(Action.LOGIN_OTP_FAILURE)] == [user.pk]


def test_a_wrong_password_shows_an_error_and_is_audited(client: Client, cast) -> None:
    user = cast.user("case_worker")

    response = password_step(client, user.username, "not the password")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_user_id(client) is None
    [entry] = entries(Action.LOGIN_FAILURE)
    assert (entry.actor_id, entry.actor_name) == (user.pk, user.username)
    assert entry.detail == {"locked": False}


def test_an_unknown_user_name_gets_the_same_error_and_is_not_logged(
    client: Client, cast
) -> None:
    typed = "maria.ivanova-typo"
    known = password_step(client, cast.user("case_worker").username, "wrong password")
    unknown = password_step(client, typed, "wrong password")

    assert unknown.status_code == 200
    assert WRONG in unknown.content.decode()
    assert WRONG in known.content.decode()
    entry = entries(Action.LOGIN_FAILURE)[-1]
    assert entry.actor_id is None
    assert entry.actor_name == ""
    assert not any(
        typed in str(value)
        for row in AuditEntry.objects.values_list() for value in row
    )


def test_the_password_is_never_written_to_the_audit_log(client: Client, cast) -> None:
    password_step(client, "nobody", "p4ssw0rd-typed-into-the-wrong-box")
    password_step(client, cast.user("medical").username, TEST_PASSWORD)
    for row in AuditEntry.objects.values_list():
        text = " ".join(str(value) for value in row)
        assert "p4ssw0rd" not in text
        assert TEST_PASSWORD not in text


def test_a_signed_in_user_visiting_login_goes_to_the_dashboard(login, cast) -> None:
    client = login(cast.user("case_worker"))
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


# --- lockout ---------------------------------------------------------------


def _fail(client: Client, username: str, times: int, ip: str = "127.0.0.1") -> list[str]:
    return [
        password_step(client, username, f"wrong-{i}", REMOTE_ADDR=ip).content.decode()
        for i in range(times)
    ]


def test_repeated_failures_lock_the_account(client: Client, cast) -> None:
    user = cast.user("case_worker")
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER

    pages = _fail(client, user.username, limit)

    assert all(WRONG in page for page in pages[:-1])
    assert LOCKED in pages[-1]
    assert entries(Action.LOGIN_FAILURE)[-1].detail == {"locked": True}
    # Even the right password is refused while the lock lasts.
    response = password_step(client, user.username)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert signed_in_user_id(client) is None
    assert [e.actor_id for e in entries(Action.LOGIN_LOCKED)] == [user.pk]
    assert not entries(Action.LOGIN_SUCCESS)


def test_one_failure_fewer_than_the_limit_does_not_lock(client: Client, cast) -> None:
    user = cast.user("case_worker")
    _fail(client, user.username, settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER - 1)
    assert password_step(client, user.username).status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_a_correct_password_resets_the_failure_count(client: Client, cast) -> None:
    user = cast.user("case_worker")
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER
    _fail(client, user.username, limit - 1)
    password_step(client, user.username)
    client.post("/accounts/logout/")

    pages = _fail(client, user.username, limit - 1)
    assert not any(LOCKED in page for page in pages)


def test_the_lock_follows_the_account_whatever_its_spelling(client: Client, cast) -> None:
    user = cast.user("case_worker")
    spellings = [user.username.upper(), f"  {user.username} ", user.username.title()]
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER
    for i in range(limit):
        password_step(client, spellings[i % len(spellings)], "wrong")
    assert LOCKED in password_step(client, user.username).content.decode()


def test_the_lock_is_per_account(client: Client, cast) -> None:
    _fail(client, cast.user("case_worker").username,
          settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER)
    other = cast.user("shelter_staff")
    assert password_step(client, other.username).status_code == 302
    assert signed_in_user_id(client) == str(other.pk)


def test_unknown_user_names_are_locked_the_same_way(client: Client, db: None) -> None:
    """The answer must not tell whether an account exists."""
    pages = _fail(client, "nobody-here", settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER + 1)
    assert LOCKED in pages[-2]
    assert LOCKED in pages[-1]


def test_the_lock_ends_after_the_lockout_period(client: Client, cast, clock: Clock) -> None:
    user = cast.user("case_worker")
    _fail(client, user.username, settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER)

    clock.advance(settings.HOMEWARD_LOGIN_LOCKOUT_SECONDS - 5)
    assert LOCKED in password_step(client, user.username).content.decode()

    clock.advance(10)
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_the_lock_ends_when_its_time_has_passed_in_the_table(client: Client, cast) -> None:
    user = cast.user("case_worker")
    _fail(client, user.username, settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER)
    LoginThrottle.objects.filter(locked_until__isnull=False).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert password_step(client, user.username).status_code == 302


def test_failures_outside_the_window_are_forgotten(client: Client, cast, clock: Clock) -> None:
    user = cast.user("case_worker")
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER
    _fail(client, user.username, limit - 1)
    clock.advance(settings.HOMEWARD_LOGIN_FAILURE_WINDOW + 1)
    pages = _fail(client, user.username, limit - 1)
    assert not any(LOCKED in page for page in pages)


def test_the_throttle_table_holds_neither_names_nor_addresses(client: Client, cast) -> None:
    user = cast.user("case_worker")
    _fail(client, user.username, 2, ip="203.0.113.77")
    rows = list(LoginThrottle.objects.values_list("key", flat=True))
    assert rows
    for key in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", key)


def test_many_user_names_from_one_address_lock_the_address(client: Client, cast) -> None:
    attacker = "203.0.113.9"
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_IP
    assert limit > settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER

    pages = [
        password_step(client, f"guess{i}", "password1", REMOTE_ADDR=attacker).content.decode()
        for i in range(limit)
    ]

    assert all(WRONG in page for page in pages[:-1])
    assert LOCKED in pages[-1]
    user = cast.user("case_worker")
    # Everyone is refused from that address, even with the right password...
    response = password_step(client, user.username, REMOTE_ADDR=attacker)
    assert LOCKED in response.content.decode()
    assert signed_in_user_id(client) is None
    # ...while other addresses are not affected.
    response = password_step(client, user.username, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    # None of the guessed names is kept in the log.
    assert not AuditEntry.objects.filter(actor_name__startswith="guess").exists()


def test_a_successful_sign_in_does_not_unlock_the_address(client: Client, cast) -> None:
    attacker = "203.0.113.10"
    limit = settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_IP
    for i in range(limit - 1):
        password_step(client, f"guess{i}", "x", REMOTE_ADDR=attacker)
    password_step(client, cast.user("case_worker").username, REMOTE_ADDR=attacker)
    client.post("/accounts/logout/")
    assert LOCKED in password_step(client, "guess-last", "x", REMOTE_ADDR=attacker).content.decode()


# --- which roles need the second factor -----------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.SHELTER_STAFF, Role.MEDICAL,
     Role.REINTEGRATION_WORKER, Role.COORDINATOR, Role.ORG_ADMIN],
)
def test_roles_that_see_identifying_data_need_the_second_factor(
    client: Client, cast, role: str
) -> None:
    user = cast.user(role)
    password_step(client, user.username)

    for path in (DASHBOARD, "/orgs/", "/accounts/security/", "/audit/",
                 f"/orgs/{cast.home.code}/members/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].split("?")[0] == VERIFY, path
    response = client.get(ME)
    assert response.status_code == 403
    assert cast.home.code not in response.content.decode()


def test_the_site_administrator_needs_the_second_factor(client: Client, cast) -> None:
    password_step(client, cast.site_admin.username)
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY
    assert client.get("/api/v1/organisations/").status_code == 403


def test_a_user_without_an_authenticator_is_sent_to_enrol(client: Client, cast) -> None:
    user = new_member(cast.home, Role.CASE_WORKER, "fresh.worker")
    password_step(client, user.username)

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == SETUP
    assert client.get(VERIFY)["Location"].split("?")[0] == SETUP
    assert client.get(ME).status_code == 403


def test_a_researcher_without_an_authenticator_needs_only_the_password(
    client: Client, cast
) -> None:
    user = new_member(cast.home, Role.RESEARCHER, "fresh.researcher")
    response = password_step(client, user.username)
    assert response["Location"] == DASHBOARD

    assert client.get(DASHBOARD).status_code == 200
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "fresh.researcher"


def test_one_identifying_role_anywhere_makes_the_second_factor_required(
    client: Client, cast
) -> None:
    user = new_member(cast.home, Role.RESEARCHER, "two.hats", device=True)
    MembershipFactory(user=user, organisation=cast.away, role=Role.CASE_WORKER)
    password_step(client, user.username)
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY
    assert client.get(ME).status_code == 403


def test_a_user_without_any_membership_needs_the_second_factor(client: Client, db: None) -> None:
    user = typing.cast(User, UserFactory(username="no.org"))
    password_step(client, user.username)
    assert client.get(DASHBOARD)["Location"].split("?")[0] == SETUP


def test_an_unverified_user_can_still_sign_out_and_switch_language(
    client: Client, cast
) -> None:
    user = cast.user("case_worker")
    password_step(client, user.username)
    response = client.post("/accounts/language/", {"language": "ru", "next": VERIFY})
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == VERIFY
    response = client.post("/accounts/logout/")
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None


def test_an_enrolled_user_cannot_replace_the_authenticator_before_verifying(
    client: Client, cast
) -> None:
    user = cast.user("case_worker")
    password_step(client, user.username)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == VERIFY
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


# --- recovery codes --------------------------------------------------------


def test_a_recovery_code_signs_in_once_only(client: Client, cast) -> None:
    user = cast.user("case_worker")
    codes = two_factor.recovery_codes_issue(user=user)

    password_step(client, user.username)
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    [used] = entries(Action.LOGIN_RECOVERY_CODE)
    assert used.detail == {"codes_left": settings.HOMEWARD_RECOVERY_CODES - 1}
    assert codes[0] not in str(used.detail)
    assert codes[0].replace("-", "") not in str(used.detail)

    client.post("/accounts/logout/")
    password_step(client, user.username)
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert b"This code is not valid" in response.content
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1


def test_a_recovery_code_may_be_typed_without_hyphen_or_in_capitals(
    client: Client, cast
) -> None:
    user = cast.user("case_worker")
    codes = two_factor.recovery_codes_issue(user=user)
    password_step(client, user.username)
    response = client.post(VERIFY, {"token": f" {codes[3].replace('-', '').upper()} "})
    assert response["Location"] == DASHBOARD


def test_new_recovery_codes_replace_the_old_ones(client: Client, cast) -> None:
    user = cast.user("case_worker")
    old = two_factor.recovery_codes_issue(user=user)
    two_factor.recovery_codes_issue(user=user)
    password_step(client, user.username)
    assert client.post(VERIFY, {"token": old[0]}).status_code == 200
    assert client.get(DASHBOARD)["Location"].split("?")[0] == VERIFY


# --- enrolment -------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret(client: Client, cast) -> None:
    user = new_member(cast.home, Role.CASE_WORKER, "enrol.me")
    password_step(client, user.username)

    response = client.get(SETUP)

    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in html
    assert two_factor.totp_secret_base32(device) in html
    # The same pending device is shown again on reload.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrolment_with_a_correct_code_confirms_and_shows_recovery_codes(
    client: Client, cast
) -> None:
    user = new_member(cast.home, Role.CASE_WORKER, "enrol.me")
    password_step(client, user.username)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SETUP, {"token": totp_code(device)})

    # Post/redirect/get: the codes are shown on the next page, once.
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    codes = re.findall(r"\b[0-9a-f]{6}-[0-9a-f]{6}\b", response.content.decode())
    assert len(set(codes)) == settings.HOMEWARD_RECOVERY_CODES == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert two_factor.has_two_factor(user)
    # The session counts as verified straight away.
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(ME).status_code == 200
    # A reload does not show them again.
    assert client.get("/accounts/2fa/recovery-codes/new/")["Location"] == "/accounts/security/"
    assert [e.actor_id for e in entries(Action.TWO_FACTOR_ENROLLED)] == [user.pk]
    assert [e.actor_id for e in entries(Action.RECOVERY_CODES_ISSUED)] == [user.pk]
    for entry in AuditEntry.objects.all():
        assert not any(code.replace("-", "") in str(entry.detail) for code in codes)


def test_enrolment_with_a_wrong_code_confirms_nothing(client: Client, cast) -> None:
    user = new_member(cast.home, Role.CASE_WORKER, "enrol.me")
    password_step(client, user.username)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    good = totp_code(device)
    bad = "123456" if good != "123456" else "654321"

    response = client.post(SETUP, {"token": bad})

    assert response.status_code == 200
    assert b"This code is not valid" in response.content
    assert b"<svg" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert not two_factor.has_two_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(DASHBOARD)["Location"].split("?")[0] == SETUP
    assert not entries(Action.TWO_FACTOR_ENROLLED)


def test_a_verified_user_can_replace_the_authenticator(login, cast) -> None:
    user = cast.user("case_worker")
    client = login(user)
    old = totp_device(user)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SETUP, {"token": totp_code(pending)})

    assert response["Location"] == "/accounts/2fa/recovery-codes/new/"
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [pending.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- idle sessions ---------------------------------------------------------


def test_sessions_end_after_thirty_idle_minutes_by_default() -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_expires(login, cast, clock: Clock) -> None:
    client = login(cast.user("case_worker"))
    assert client.get(DASHBOARD).status_code == 200

    clock.advance(settings.SESSION_COOKIE_AGE + 1)

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(ME).status_code == 403


def test_activity_keeps_the_session_alive(login, cast, clock: Clock) -> None:
    client = login(cast.user("case_worker"))
    age = settings.SESSION_COOKIE_AGE
    for _ in range(3):
        clock.advance(age - 60)
        assert client.get(DASHBOARD).status_code == 200
    clock.advance(age + 1)
    assert client.get(DASHBOARD).status_code == 302


def test_a_session_whose_expiry_has_passed_is_not_authenticated(login, cast) -> None:
    client = login(cast.user("case_worker"))
    assert client.get(DASHBOARD).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    store = SessionStore(session_key=key)
    store.load()
    store.set_expiry(timezone.now() - timedelta(seconds=1))
    store.save()

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_session_cookie_is_a_browser_session_cookie(client: Client, cast) -> None:
    response = password_step(client, cast.user("case_worker").username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_signing_in_gives_a_new_session_key(client: Client, cast) -> None:
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    password_step(client, cast.user("case_worker").username)
    assert client.session.session_key != before


# --- signing out -----------------------------------------------------------


def test_sign_out_needs_post(login, cast) -> None:
    client = login(cast.user("case_worker"))
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert client.get(DASHBOARD).status_code == 200
    assert not entries(Action.LOGOUT)


def test_sign_out_ends_the_session_and_is_audited(login, cast) -> None:
    user = cast.user("case_worker")
    client = login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)
    [entry] = entries(Action.LOGOUT)
    assert entry.actor_id == user.pk


def test_sign_out_when_not_signed_in_writes_nothing(client: Client, db: None) -> None:
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not entries(Action.LOGOUT)


# --- language --------------------------------------------------------------


def test_switching_language_saves_it_on_the_account_and_in_a_cookie(login, cast) -> None:
    user = cast.user("case_worker")
    client = login(user)

    response = client.post("/accounts/language/", {"language": "ru", "next": "/orgs/"})

    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    user.refresh_from_db()
    assert user.language == "ru"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    [entry] = entries(Action.UPDATE)
    assert entry.fields == ["language"]
    assert '<html lang="ru">' in client.get(DASHBOARD).content.decode()


def test_the_saved_language_wins_after_the_next_sign_in(client: Client, cast) -> None:
    user = cast.user("case_worker")
    user.language = "ru"
    user.save()
    response = password_step(client, user.username)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_switching_language_needs_post(login, cast) -> None:
    client = login(cast.user("case_worker"))
    assert client.get("/accounts/language/?language=ru").status_code == 405


def test_an_unknown_language_changes_nothing(login, cast) -> None:
    user = cast.user("case_worker")
    client = login(user)
    response = client.post("/accounts/language/", {"language": "xx"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_anonymous_visitors_can_switch_language(client: Client, db: None) -> None:
    response = client.post("/accounts/language/", {"language": "ru", "next": LOGIN})
    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert '<html lang="ru">' in client.get(LOGIN).content.decode()


# --- redirects after sign-in -----------------------------------------------

EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "http://evil.example/dashboard/",
    "///evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "https://testserver.evil.example/",
]


@pytest.mark.parametrize("evil", EVIL)
def test_sign_in_never_redirects_to_another_site(client: Client, cast, evil: str) -> None:
    user = cast.user("researcher")
    response = client.post(
        f"{LOGIN}?next={evil}",
        {"username": user.username, "password": TEST_PASSWORD, "next": evil},
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_sign_in_follows_a_local_next(client: Client, cast) -> None:
    user = cast.user("researcher")
    response = client.post(
        LOGIN, {"username": user.username, "password": TEST_PASSWORD, "next": "/orgs/"}
    )
    assert response["Location"] == "/orgs/"


def test_the_next_parameter_is_escaped_on_the_login_page(client: Client, db: None) -> None:
    response = client.get(LOGIN, {"next": '"><script>alert(1)</script>'})
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize("evil", EVIL[:3])
def test_the_second_step_never_redirects_to_another_site(
    client: Client, cast, evil: str
) -> None:
    user = cast.user("case_worker")
    password_step(client, user.username)
    response = client.post(VERIFY, {"token": totp_code(totp_device(user)), "next": evil})
    assert response["Location"] == DASHBOARD


@pytest.mark.parametrize("evil", EVIL[:3])
def test_language_switch_never_redirects_to_another_site(
    client: Client, db: None, evil: str
) -> None:
    response = client.post("/accounts/language/", {"language": "en", "next": evil})
    assert response["Location"] == DASHBOARD


@pytest.mark.parametrize("evil", EVIL[:3])
def test_password_confirmation_never_redirects_to_another_site(
    login: Callable[[User], Client], cast, evil: str
) -> None:
    client = login(cast.user("org_admin"))
    response = client.post(
        f"{reverse('accounts:sudo')}?next={evil}", {"password": TEST_PASSWORD, "next": evil}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_the_page_asked_for_is_reached_after_the_second_step(client: Client, cast) -> None:
    user = cast.user("case_worker")
    response = client.post(
        "/accounts/login/?next=/orgs/",
        {"username": user.username, "password": TEST_PASSWORD, "next": "/orgs/"},
    )
    assert response["Location"] == "/orgs/"
    response = client.get("/orgs/")
    assert response["Location"] == f"{VERIFY}?next=%2Forgs%2F"
    response = client.post(
        VERIFY, {"token": totp_code(totp_device(user)), "next": "/orgs/"}
    )
    assert response["Location"] == "/orgs/"


def test_the_language_chosen_before_signing_in_is_kept_on_the_account(
    client: Client, cast
) -> None:
    user = cast.user("case_worker")
    client.post("/accounts/language/", {"language": "ru", "next": "/accounts/login/"})
    password_step(client, user.username)
    user.refresh_from_db()
    assert user.language == "ru"
