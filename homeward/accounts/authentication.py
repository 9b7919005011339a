"""Signing in and out, with lockout and an audit row for every attempt."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest

from homeward.accounts import throttle
from homeward.accounts.models import User
from homeward.audit.services import Action, audit_record
from homeward.core.net import client_ip


@dataclasses.dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_until: datetime | None = None


def _known_user(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


def sign_in(*, request: HttpRequest, username: str, password: str) -> SignInResult:
    """Check the password step. Locked names and addresses are refused before
    the password is even looked at. The typed user name is never written to
    the audit log unless it names a real account (it may be a mistyped password).
    """
    ip = client_ip(request)
    until = throttle.locked_until(username=username, ip=ip)
    if until is not None:
        with transaction.atomic():
            audit_record(action=Action.LOGIN_LOCKED, actor=_known_user(username))
        return SignInResult(None, until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        with transaction.atomic():
            locked = throttle.record_failure(username=username, ip=ip)
            audit_record(
                action=Action.LOGIN_FAILURE, actor=_known_user(username),
                detail={"locked": locked},
            )
        until = throttle.locked_until(username=username, ip=ip) if locked else None
        return SignInResult(None, until)
    assert isinstance(user, User)  # noqa: S101 - AUTH_USER_MODEL is accounts.User
    with transaction.atomic():
        throttle.record_success(username=username)
        login(request, user)
        audit_record(action=Action.LOGIN_SUCCESS, actor=user, target=user)
    return SignInResult(user)


def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            audit_record(action=Action.LOGOUT, actor=user, target=user)
        logout(request)


def confirm_password(*, request: HttpRequest, user: User, password: str) -> bool:
    """The sudo step: a wrong password counts towards the user's lockout."""
    ip = client_ip(request)
    with transaction.atomic():
        if throttle.locked_until(username=user.username, ip=ip) is None and user.check_password(
            password
        ):
            audit_record(action=Action.SUDO_CONFIRMED, actor=user, target=user)
            return True
        throttle.record_failure(username=user.username, ip=ip)
        audit_record(action=Action.SUDO_FAILED, actor=user, target=user)
        return False
