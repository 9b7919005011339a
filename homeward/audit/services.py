"""Writing to the audit log.

Call :func:`audit_record` inside the same transaction as the change it
describes: if the change rolls back, so does its audit row, and no change
commits without one. Never put identifying values in ``detail``: record which
fields changed, not what they hold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.audit.chain import entry_content, entry_content_of, entry_hash, normalise_ip
from homeward.audit.context import current
from homeward.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


class Action:
    """The vocabulary of the audit log (labels in :data:`ACTION_LABELS`)."""

    LOGIN_SUCCESS = "login.success"
    LOGIN_FAILURE = "login.failure"
    LOGIN_LOCKED = "login.locked"
    LOGIN_OTP_SUCCESS = "login.otp_success"
    LOGIN_OTP_FAILURE = "login.otp_failure"
    LOGIN_RECOVERY_CODE = "login.recovery_code"
    LOGOUT = "logout"
    SUDO_CONFIRMED = "sudo.confirmed"
    SUDO_FAILED = "sudo.failed"
    TWO_FACTOR_ENROLLED = "2fa.enrolled"
    RECOVERY_CODES_ISSUED = "2fa.recovery_codes_issued"
    CREATE = "record.create"
    UPDATE = "record.update"
    DELETE = "record.delete"
    VIEW = "record.view"
    EXPORT = "record.export"
    KEYS_ROTATED = "keys.rotated"
    CASE_STEP = "case.step"
    CASE_CLOSED = "case.closed"
    CASE_REOPENED = "case.reopened"
    CONSENT_RECORDED = "consent.recorded"
    EMERGENCY_OVERRIDE = "case.emergency_override"
    MATCH_CHECK = "person.match_check"


def _organisation_of(target: models.Model | None) -> Any:
    if target is None:
        return None
    if target._meta.label == "accounts.Organisation":
        return target
    return getattr(target, "organisation", None)



ACTION_LABELS: dict[str, Promise] = {
    Action.LOGIN_SUCCESS: _("Password accepted"),
    Action.LOGIN_FAILURE: _("Failed sign-in"),
    Action.LOGIN_LOCKED: _("Sign-in refused: locked"),
    Action.LOGIN_OTP_SUCCESS: _("Signed in with code"),
    Action.LOGIN_OTP_FAILURE: _("Wrong code"),
    Action.LOGIN_RECOVERY_CODE: _("Signed in with a recovery code"),
    Action.LOGOUT: _("Signed out"),
    Action.SUDO_CONFIRMED: _("Password confirmed"),
    Action.SUDO_FAILED: _("Password confirmation failed"),
    Action.TWO_FACTOR_ENROLLED: _("Authenticator enrolled"),
    Action.RECOVERY_CODES_ISSUED: _("Recovery codes issued"),
    Action.CREATE: _("Created"),
    Action.UPDATE: _("Changed"),
    Action.DELETE: _("Deleted"),
    Action.VIEW: _("Viewed"),
    Action.EXPORT: _("Exported"),
    Action.KEYS_ROTATED: _("Encryption keys rotated"),
    Action.CASE_STEP: _("Case moved to a new step"),
    Action.CASE_CLOSED: _("Case closed"),
    Action.CASE_REOPENED: _("Case reopened"),
    Action.CONSENT_RECORDED: _("Consent recorded"),
    Action.EMERGENCY_OVERRIDE: _("Emergency override for a minor"),
    Action.MATCH_CHECK: _("Duplicate check"),
}

@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    fields: Iterable[str] = (),
    detail: dict[str, str | int | bool | None] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain and return it.

    ``organisation`` defaults to the target's organisation, then to the one
    the request works in. The chain head is locked for the length of the
    surrounding transaction, so entries are appended strictly one by one.
    """
    context = current.get()
    if organisation is None:
        organisation = _organisation_of(target)
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = actor.get_username() if actor_id is not None else ""
    if organisation is not None:
        organisation_id, organisation_code = organisation.pk, organisation.code
    else:
        organisation_id, organisation_code = context.organisation_id, context.organisation_code
    values: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "organisation_id": organisation_id,
        "organisation_code": organisation_code,
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id),
        "fields": sorted(set(fields)),
        "detail": dict(detail or {}),
        "ip": normalise_ip(ip if ip is not None else context.ip),
    }
    head = _locked_head()
    digest = entry_hash(prev_hash=head.last_hash, content=entry_content(**values))
    entry = AuditEntry.objects.create(prev_hash=head.last_hash, hash=digest, **values)
    AuditChainHead.objects.filter(pk=head.pk).update(last_hash=digest, count=head.count + 1)
    return entry


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the fields whose values differ (the values are not kept)."""
    return sorted(name for name in after if before.get(name) != after[name])


@dataclasses.dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def audit_verify(*, batch_size: int = 2000) -> VerifyResult:
    """Walk the chain from the first entry and report the first broken link."""
    prev_hash = GENESIS_HASH
    checked = 0
    queryset = AuditEntry.objects.order_by("id")
    for entry in queryset.iterator(chunk_size=batch_size):
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.pk, "previous hash does not match")
        if entry_hash(prev_hash=prev_hash, content=entry_content_of(entry)) != entry.hash:
            return VerifyResult(False, checked, entry.pk, "content does not match its hash")
        prev_hash = entry.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:  # entries without a head: the head row was removed
            return VerifyResult(False, checked, None, "the chain head record is missing")
    elif head.count != checked or head.last_hash != prev_hash:
        return VerifyResult(False, checked, None, "entries are missing from the end of the chain")
    return VerifyResult(True, checked)
