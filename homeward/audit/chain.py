"""Canonical hashing of audit entries (shared by writing and verifying).

The hash is an HMAC-SHA256 under ``HOMEWARD_AUDIT_KEY``, a secret kept
outside the database: someone who can rewrite the table (a DBA disabling the
triggers) still cannot forge a chain that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings


def entry_hash(*, prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    message = f"{prev_hash}\n{payload}".encode()
    return hmac.new(settings.HOMEWARD_AUDIT_KEY, message, hashlib.sha256).hexdigest()


def entry_content(
    *,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    organisation_id: int | None,
    organisation_code: str,
    action: str,
    target_type: str,
    target_id: str,
    fields: list[str],
    detail: dict[str, Any],
    ip: str | None,
) -> dict[str, Any]:
    return {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "organisation_id": organisation_id,
        "organisation_code": organisation_code,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "fields": list(fields),
        "detail": detail,
        "ip": normalise_ip(ip),
    }


def entry_content_of(entry: Any) -> dict[str, Any]:
    """The hashed content of a stored entry (as :func:`entry_content`)."""
    return entry_content(
        at=entry.at,
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        organisation_id=entry.organisation_id,
        organisation_code=entry.organisation_code,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        fields=list(entry.fields),
        detail=dict(entry.detail),
        ip=entry.ip,
    )


def normalise_ip(ip: str | None) -> str | None:
    """One spelling per address, so the database's own formatting cannot
    change a hash."""
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return None
