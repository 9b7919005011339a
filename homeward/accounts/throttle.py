"""Sign-in lockout after repeated failures, per user name and per address."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.accounts.models import LoginThrottle


def _key(scope: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"login-throttle:{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _subjects(username: str, ip: str | None) -> list[tuple[str, str, int]]:
    subjects = [
        (
            LoginThrottle.Scope.USER.value,
            _key("user", username.strip().casefold()),
            settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_USER,
        )
    ]
    if ip:
        subjects.append(
            (
                LoginThrottle.Scope.IP.value,
                _key("ip", ip),
                settings.HOMEWARD_LOGIN_MAX_FAILURES_PER_IP,
            )
        )
    return subjects


def locked_until(*, username: str, ip: str | None) -> datetime | None:
    """When the lock on this user name or address ends, or None if not locked."""
    now = timezone.now()
    latest: datetime | None = None
    for scope, key, _limit in _subjects(username, ip):
        row = LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now).first()
        if row is not None and row.locked_until is not None and (
            latest is None or row.locked_until > latest
        ):
            latest = row.locked_until
    return latest


@transaction.atomic
def record_failure(*, username: str, ip: str | None) -> bool:
    """Count a failed attempt. Returns True when this failure caused a lock."""
    now = timezone.now()
    window = timedelta(seconds=settings.HOMEWARD_LOGIN_FAILURE_WINDOW)
    lock_for = timedelta(seconds=settings.HOMEWARD_LOGIN_LOCKOUT_SECONDS)
    locked_now = False
    for scope, key, limit in _subjects(username, ip):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_started": now}
        )
        if row.window_started < now - window:
            row.window_started, row.failures = now, 0
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + lock_for
            row.failures, row.window_started = 0, now
            locked_now = True
        row.save()
    return locked_now


@transaction.atomic
def record_success(*, username: str) -> None:
    """A correct password clears the user name's counter (not the address's)."""
    LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.USER, key=_key("user", username.strip().casefold())
    ).delete()
