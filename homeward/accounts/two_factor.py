"""TOTP enrolment, verification and recovery codes (django-otp devices)."""

from __future__ import annotations

import base64
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import User
from homeward.audit.services import Action, audit_record

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return confirmed_totp_device(user) is not None


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no script, CSP-safe)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, dark="#111", light="#fff", omitsize=False)
    return svg


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns fresh recovery codes.

    Returns None and changes nothing when the code is wrong.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action=Action.TWO_FACTOR_ENROLLED, actor=user, target=user)
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
        for _ in range(settings.HOMEWARD_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code.replace("-", "")) for code in codes]
    )
    audit_record(action=Action.RECOVERY_CODES_ISSUED, actor=user, target=user)
    return codes


@transaction.atomic
def verify_second_factor(*, request: HttpRequest, user: User, token: str) -> bool:
    """Check a TOTP code or a one-time recovery code and mark the session verified."""
    token = "".join(token.split()).replace("-", "").lower()
    device = confirmed_totp_device(user)
    # Authenticator codes are 6 digits; recovery codes are 12 characters.
    if device is not None and len(token) == 6 and token.isdigit() and device.verify_token(token):
        otp_login(request, device)
        audit_record(action=Action.LOGIN_OTP_SUCCESS, actor=user, target=user)
        return True
    recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if recovery is not None and token and recovery.verify_token(token):
        otp_login(request, recovery)
        audit_record(
            action=Action.LOGIN_RECOVERY_CODE, actor=user, target=user,
            detail={"codes_left": recovery_codes_left(user)},
        )
        return True
    audit_record(action=Action.LOGIN_OTP_FAILURE, actor=user, target=user)
    return False


def mark_session_verified(*, request: HttpRequest, device: TOTPDevice) -> None:
    """After a successful enrolment the session counts as verified."""
    otp_login(request, device)


def users_with_two_factor(user_ids: list[int]) -> set[int]:
    """Which of these users have a confirmed authenticator (one query)."""
    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
