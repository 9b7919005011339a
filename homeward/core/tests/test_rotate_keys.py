"""Key rotation: re-encrypting stored values under the newest key."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.core import rotation
from homeward.core.crypto import encrypt, token_key_id
from homeward.core.fields import EncryptedDateField, EncryptedTextField
from homeward.core.rotation import models_with_encrypted_fields, rotate_keys

probe_apps = Apps()


class RotationProbe(models.Model):
    name = EncryptedTextField(null=True, blank=True)
    born = EncryptedDateField(null=True, blank=True)
    note = models.CharField(max_length=20, blank=True)

    objects: models.Manager[RotationProbe] = models.Manager()

    class Meta:
        apps = probe_apps
        app_label = "core"
        db_table = "core_test_rotationprobe"

    def __str__(self) -> str:
        return f"probe {self.pk}"


K1 = os.urandom(32)
K2 = os.urandom(32)
NAMES = [f"Имя-{i}" for i in range(7)]


@pytest.fixture(autouse=True)
def old_keys(settings) -> None:
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k1": K1}


@pytest.fixture(scope="module")
def probe_table(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(RotationProbe)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(RotationProbe)


@pytest.fixture
def rows(probe_table, db) -> list[int]:
    """Seven rows under k1, with a NULL and an empty value among them."""
    pks = []
    for i, name in enumerate(NAMES):
        probe = RotationProbe.objects.create(
            name=name if i != 3 else "",
            born=datetime.date(1990, 1, i + 1) if i != 5 else None,
            note=f"row {i}",
        )
        pks.append(probe.pk)
    return pks


def add_new_key(settings) -> None:
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k1": K1, "k2": K2}


def raw_tokens() -> list[str]:
    table = connection.ops.quote_name(RotationProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, born FROM {table} ORDER BY id")
        return [value for row in cursor.fetchall() for value in row if value]


def key_ids() -> list[str]:
    return sorted({token_key_id(token) for token in raw_tokens()})


def assert_all_readable() -> None:
    probes = list(RotationProbe.objects.order_by("pk"))
    assert [p.name for p in probes] == [n if i != 3 else "" for i, n in enumerate(NAMES)]
    assert [p.born for p in probes] == [
        datetime.date(1990, 1, i + 1) if i != 5 else None for i in range(7)
    ]


def test_rotation_moves_every_value_to_the_newest_key(settings, rows):
    assert key_ids() == ["k1"]
    add_new_key(settings)

    report = rotate_keys(models=[RotationProbe], batch_size=3)

    assert key_ids() == ["k2"]
    assert report.key_id == "k2"
    assert report.ok
    assert report.reencrypted == 12  # 14 cells, one empty string, one NULL
    assert report.rows_scanned == 7
    [stats] = report.models
    assert (stats.model, stats.rows_scanned, stats.reencrypted, stats.failed) == (
        "core.rotationprobe",
        7,
        12,
        0,
    )
    assert_all_readable()
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k2": K2}  # the old key can go now
    assert_all_readable()


def test_rotation_leaves_plain_columns_and_empty_values_alone(settings, rows):
    add_new_key(settings)

    rotate_keys(models=[RotationProbe])

    probes = list(RotationProbe.objects.order_by("pk"))
    assert [p.note for p in probes] == [f"row {i}" for i in range(7)]
    table = connection.ops.quote_name(RotationProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {table} WHERE id = %s", [rows[3]])
        assert cursor.fetchone() == ("",)
        cursor.execute(f"SELECT born FROM {table} WHERE id = %s", [rows[5]])
        assert cursor.fetchone() == (None,)


def test_second_rotation_reencrypts_nothing(settings, rows):
    add_new_key(settings)
    rotate_keys(models=[RotationProbe])
    tokens = raw_tokens()

    report = rotate_keys(models=[RotationProbe])

    assert report.reencrypted == 0
    assert report.rows_scanned == 0
    assert raw_tokens() == tokens


def test_rotation_with_a_single_key_changes_nothing(rows):
    tokens = raw_tokens()

    report = rotate_keys(models=[RotationProbe])

    assert report.reencrypted == 0
    assert raw_tokens() == tokens


def test_interrupted_rotation_keeps_its_progress_and_resumes(settings, rows, monkeypatch):
    add_new_key(settings)
    real_batch = rotation._rotate_batch
    calls = 0

    def crash_after_first_batch(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls > 1:
            raise RuntimeError("power cut")
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(rotation, "_rotate_batch", crash_after_first_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        rotate_keys(models=[RotationProbe], batch_size=1)

    # The first batch (the first row) committed; the second rolled back.
    first = RotationProbe.objects.values_list("pk", flat=True).order_by("pk")[0]
    table = connection.ops.quote_name(RotationProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name, born FROM {table} ORDER BY id")
        by_pk = {pk: (name, born) for pk, name, born in cursor.fetchall()}
    assert {token_key_id(t) for t in by_pk[first]} == {"k2"}
    assert key_ids() == ["k1", "k2"]
    assert not AuditEntry.objects.filter(action=Action.KEYS_ROTATED).exists()

    monkeypatch.setattr(rotation, "_rotate_batch", real_batch)
    report = rotate_keys(models=[RotationProbe], batch_size=1)

    assert report.reencrypted == 10  # the first row's two values were already done
    assert report.rows_scanned == 6
    assert key_ids() == ["k2"]
    assert_all_readable()


def test_values_written_during_rotation_are_not_overwritten(settings, rows, monkeypatch):
    add_new_key(settings)
    real_batch = rotation._rotate_batch

    def app_writes_first(cursor, model, fields, batch, *args, **kwargs):
        # The application rewrites the row between the read and the update.
        RotationProbe.objects.filter(pk=batch[0][0]).update(name="Новое имя")
        return real_batch(cursor, model, fields, batch, *args, **kwargs)

    monkeypatch.setattr(rotation, "_rotate_batch", app_writes_first)

    report = rotate_keys(models=[RotationProbe], batch_size=1)

    assert RotationProbe.objects.get(pk=rows[0]).name == "Новое имя"
    assert report.models[0].skipped > 0
    monkeypatch.setattr(rotation, "_rotate_batch", real_batch)
    rotate_keys(models=[RotationProbe])
    assert key_ids() == ["k2"]
    assert RotationProbe.objects.get(pk=rows[0]).name == "Новое имя"


def test_undecryptable_value_is_reported_and_left_alone(settings, rows):
    stray = encrypt("Чужое", associated_data="core.rotationprobe.other_column")
    table = connection.ops.quote_name(RotationProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", [stray, rows[2]])
    add_new_key(settings)

    report = rotate_keys(models=[RotationProbe])

    assert not report.ok
    [failure] = report.failures
    assert (failure.model, failure.pk, failure.field) == (
        "core.rotationprobe",
        str(rows[2]),
        "name",
    )
    assert "Чужое" not in failure.reason
    assert report.reencrypted == 11
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {table} WHERE id = %s", [rows[2]])
        assert cursor.fetchone() == (stray,)


def test_rotation_writes_one_audit_entry_with_counts(settings, rows):
    add_new_key(settings)
    before = AuditEntry.objects.filter(action=Action.KEYS_ROTATED).count()

    rotate_keys(models=[RotationProbe])

    entries = AuditEntry.objects.filter(action=Action.KEYS_ROTATED)
    assert entries.count() == before + 1
    entry = entries.order_by("-id").first()
    assert entry is not None
    assert entry.detail["reencrypted"] == 12
    assert entry.detail["key_id"] == "k2"
    assert entry.detail["failed"] == 0


def test_rotation_refuses_a_zero_batch_size(rows):
    with pytest.raises(ValueError, match="batch_size"):
        rotate_keys(models=[RotationProbe], batch_size=0)


def test_default_model_discovery_only_lists_installed_models_with_encrypted_fields():
    found = models_with_encrypted_fields()

    assert RotationProbe not in found
    assert all(rotation.encrypted_fields(model) for model in found)


def test_command_rotates_and_prints_counts_only(settings, rows, monkeypatch):
    monkeypatch.setattr(rotation, "models_with_encrypted_fields", lambda using: [RotationProbe])
    add_new_key(settings)
    out = io.StringIO()

    call_command("rotate-keys", "--batch-size", "2", stdout=out)

    output = out.getvalue()
    assert "core.rotationprobe: 7 rows scanned, 12 values re-encrypted, 0 failed" in output
    assert "Key k2:" in output
    assert not any(name in output for name in NAMES)
    assert key_ids() == ["k2"]


def test_command_runs_over_all_installed_models(db):
    out = io.StringIO()

    call_command("rotate-keys", stdout=out)

    assert "values re-encrypted" in out.getvalue()


def test_command_fails_and_names_rows_it_cannot_decrypt(settings, rows, monkeypatch):
    monkeypatch.setattr(rotation, "models_with_encrypted_fields", lambda using: [RotationProbe])
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k0": os.urandom(32)}
    lost = RotationProbe.objects.create(name="Потерянное")
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k1": K1, "k2": K2}
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("rotate-keys", stdout=out, stderr=err)

    assert f"core.rotationprobe pk={lost.pk} field=name" in err.getvalue()
    assert "unknown key id 'k0'" in err.getvalue()
    assert "Потерянное" not in out.getvalue() + err.getvalue()


def test_command_rejects_an_unknown_model(db):
    with pytest.raises(CommandError, match="unknown model"):
        call_command("rotate-keys", "--model", "core.nosuchmodel")
