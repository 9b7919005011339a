"""Re-encrypting stored values under the newest encryption key.

:func:`rotate_keys` walks the tables of models with encrypted fields in
primary-key order and rewrites every token sealed under an older key id with
the newest key. Each batch commits in its own transaction, so an interrupted
run keeps what it did, and a re-run only touches values still under an older
key: the rotation is resumable and idempotent. Once it reports no failures,
the older keys can be removed from ``HOMEWARD_ENCRYPTION_KEYS``.

Only counts, model labels, field names and primary keys are reported;
values never are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from homeward.audit.services import Action, audit_record
from homeward.core.crypto import TOKEN_PREFIX, DecryptionError, decrypt, encrypt, newest_key_id
from homeward.core.crypto import token_key_id as _token_key_id
from homeward.core.fields import EncryptedFieldMixin, encrypted_fields

__all__ = [
    "ModelRotation",
    "RotationFailure",
    "RotationReport",
    "models_with_encrypted_fields",
    "rotate_keys",
]


class _Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclasses.dataclass(frozen=True)
class RotationFailure:
    """A value that could not be decrypted (it is left untouched)."""

    model: str
    pk: str
    field: str
    reason: str


@dataclasses.dataclass
class ModelRotation:
    """What the rotation did to one model's table.

    ``rows_scanned`` counts the rows read because they held at least one
    non-empty value not under the newest key. ``skipped`` counts values left
    alone because the row changed while the batch ran (a later run picks them
    up if they still need it).
    """

    model: str
    rows_scanned: int = 0
    reencrypted: int = 0
    failed: int = 0
    skipped: int = 0


@dataclasses.dataclass
class RotationReport:
    key_id: str
    models: list[ModelRotation] = dataclasses.field(default_factory=list)
    failures: list[RotationFailure] = dataclasses.field(default_factory=list)

    @property
    def rows_scanned(self) -> int:
        return sum(item.rows_scanned for item in self.models)

    @property
    def reencrypted(self) -> int:
        return sum(item.reencrypted for item in self.models)

    @property
    def ok(self) -> bool:
        """True when every value is now readable under the newest key."""
        return not self.failures


def models_with_encrypted_fields(using: str = DEFAULT_DB_ALIAS) -> list[type[Model]]:
    """Installed, managed, concrete models whose own table has encrypted columns."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
        and encrypted_fields(model)
    ]


def rotate_keys(
    *,
    models: Iterable[type[Model]] | None = None,
    batch_size: int = 500,
    stdout: _Writer | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> RotationReport:
    """Re-encrypt every value under an older key with the newest key.

    ``models`` defaults to :func:`models_with_encrypted_fields`. Values that
    fail to decrypt are left as they are and listed in the report. One
    ``keys.rotated`` audit entry is written at the end of a completed run.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    newest = newest_key_id()
    report = RotationReport(key_id=newest)
    chosen = models_with_encrypted_fields(using) if models is None else list(models)
    seen: set[type[Model]] = set()
    for model in chosen:
        concrete = model._meta.concrete_model or model
        if concrete in seen:
            continue
        seen.add(concrete)
        fields = encrypted_fields(concrete)
        if not fields:
            continue
        stats = ModelRotation(model=concrete._meta.label_lower)
        report.models.append(stats)
        _rotate_model(concrete, fields, newest, batch_size, using, stats, report.failures)
        if stdout is not None:
            stdout.write(
                f"{stats.model}: {stats.rows_scanned} rows scanned, "
                f"{stats.reencrypted} values re-encrypted, {stats.failed} failed\n"
            )
    audit_record(
        action=Action.KEYS_ROTATED,
        detail={
            "reencrypted": report.reencrypted,
            "key_id": newest,
            "failed": len(report.failures),
        },
    )
    return report


def _rotate_model(
    model: type[Model],
    fields: Sequence[EncryptedFieldMixin],
    newest: str,
    batch_size: int,
    using: str,
    stats: ModelRotation,
    failures: list[RotationFailure],
) -> None:
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk_column = qn(model._meta.pk.column)
    columns = [qn(field.column) for field in fields]
    prefix = f"{TOKEN_PREFIX}:{newest}:"
    # Rows with at least one non-empty value not under the newest key. The
    # Python side checks every value again; this only saves reading rows.
    stale = " OR ".join(
        f"({col} <> %s AND SUBSTR({col}, 1, {len(prefix):d}) <> %s)" for col in columns
    )
    stale_params: list[Any] = ["", prefix] * len(columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT {pk_column}, {', '.join(columns)} FROM {table} WHERE "  # noqa: S608
    order = f" ORDER BY {pk_column} LIMIT %s{lock}"
    last_pk: Any = None
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if last_pk is None:
                cursor.execute(f"{select}({stale}){order}", [*stale_params, batch_size])
            else:
                cursor.execute(
                    f"{select}{pk_column} > %s AND ({stale}){order}",
                    [last_pk, *stale_params, batch_size],
                )
            rows = cursor.fetchall()
            if rows:
                _rotate_batch(cursor, model, fields, rows, newest, stats, failures)
        if len(rows) < batch_size:
            return
        last_pk = rows[-1][0]


def _rotate_batch(
    cursor: CursorWrapper,
    model: type[Model],
    fields: Sequence[EncryptedFieldMixin],
    rows: Sequence[tuple[Any, ...]],
    newest: str,
    stats: ModelRotation,
    failures: list[RotationFailure],
) -> None:
    """Re-encrypt one batch of rows (runs inside the batch's transaction)."""
    qn = cursor.db.ops.quote_name
    table = qn(model._meta.db_table)
    pk_column = qn(model._meta.pk.column)
    label = model._meta.label_lower
    for pk, *values in rows:
        stats.rows_scanned += 1
        changes: list[tuple[str, str, str]] = []
        for field, token in zip(fields, values, strict=True):
            if token is None or token == "":
                continue
            try:
                if _token_key_id(token) == newest:
                    continue
                fresh = encrypt(
                    decrypt(token, associated_data=field.associated_data),
                    associated_data=field.associated_data,
                )
            except DecryptionError as exc:
                stats.failed += 1
                failures.append(RotationFailure(label, str(pk), field.name, str(exc)))
                continue
            changes.append((qn(field.column), token, fresh))
        if not changes:
            continue
        assignments = ", ".join(f"{column} = %s" for column, _, _ in changes)
        # Compare-and-set: a value rewritten by the application meanwhile is
        # already under the newest key and must not be overwritten.
        unchanged = " AND ".join(f"{column} = %s" for column, _, _ in changes)
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s AND {unchanged}",  # noqa: S608
            [*(fresh for _, _, fresh in changes), pk, *(old for _, old, _ in changes)],
        )
        if cursor.rowcount == 1:
            stats.reencrypted += len(changes)
        else:
            stats.skipped += len(changes)
