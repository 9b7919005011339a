"""The audit log is a hash chain that notices any edit, removal or insertion,
and the database itself refuses to change or remove its rows."""

from __future__ import annotations

import importlib
import io
import ipaddress
import json
import re
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict

from homeward.accounts.models import Organisation, User
from homeward.accounts.services import member_create, organisation_update
from homeward.accounts.tests.factories import OrganisationFactory, UserFactory
from homeward.audit.chain import entry_content, entry_hash
from homeward.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from homeward.audit.services import Action, audit_record, audit_verify

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
SQLITE = connection.vendor == "sqlite"
postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL"),
]
sqlite_only = pytest.mark.skipif(not SQLITE, reason="SQLite triggers")

_append_only = importlib.import_module("homeward.audit.migrations.0002_append_only")
_head_guard = importlib.import_module("homeward.audit.migrations.0003_protect_chain_head")


# --- helpers ---------------------------------------------------------------


@pytest.fixture
def actor() -> User:
    return typing.cast(User, UserFactory(username="auditor"))


def _organisation(code: str, **values: Any) -> Organisation:
    return typing.cast(Organisation, OrganisationFactory(code=code, **values))


def _write(actor: User, n: int) -> list[AuditEntry]:
    return [
        audit_record(
            action=Action.VIEW, actor=actor, target_type="test.Thing", target_id=str(i),
            fields=["name", "born"], detail={"n": i}, ip="192.0.2.7",
        )
        for i in range(n)
    ]


def _verify_fails_at(entry_id: int | None) -> str:
    """Run ``audit verify`` expecting it to fail; return its message."""
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=io.StringIO())
    message = str(excinfo.value)
    if entry_id is None:
        assert "chain head" in message
    else:
        assert re.search(rf"#{entry_id}\b", message), message
    return message


@contextmanager
def dba_unlocked() -> Iterator[None]:
    """What a database administrator could do: switch the append-only triggers
    off for a moment. They are switched back on afterwards."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")
            cursor.execute("DROP TRIGGER audit_chainhead_no_rewind")
            cursor.execute("DROP TRIGGER audit_chainhead_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if POSTGRES:
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
                cursor.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER USER")
            else:
                for statement in [*_append_only.SQLITE_TRIGGERS, *_head_guard.SQLITE_TRIGGERS]:
                    cursor.execute(statement)


def _raw(sql: str, params: Sequence[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


# --- the chain -------------------------------------------------------------


def test_each_entry_links_to_the_hash_of_the_one_before(actor: User) -> None:
    entries = _write(actor, 5)

    stored = list(AuditEntry.objects.order_by("id"))
    assert [e.pk for e in stored][-5:] == [e.pk for e in entries]
    previous = GENESIS_HASH
    for entry in stored:
        assert entry.prev_hash == previous
        assert re.fullmatch(r"[0-9a-f]{64}", entry.hash)
        previous = entry.hash
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_hash == previous
    assert head.count == len(stored)


def test_the_stored_hash_is_the_hash_of_the_canonical_content(actor: User) -> None:
    entry = _write(actor, 1)[0]
    entry.refresh_from_db()
    content = entry_content(
        at=entry.at, actor_id=entry.actor_id, actor_name=entry.actor_name,
        organisation_id=entry.organisation_id, organisation_code=entry.organisation_code,
        action=entry.action, target_type=entry.target_type, target_id=entry.target_id,
        fields=entry.fields, detail=entry.detail, ip=entry.ip,
    )
    assert entry_hash(prev_hash=entry.prev_hash, content=content) == entry.hash


def test_verify_accepts_an_intact_chain(actor: User) -> None:
    _write(actor, 4)
    result = audit_verify()
    assert result.ok
    assert result.checked == AuditEntry.objects.count()
    assert result.broken_id is None


def test_verify_accepts_an_empty_log() -> None:
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("ip", "stored"),
    [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("198.51.100.200", "198.51.100.200"),
        ("not an address", None),
        ("", None),
    ],
)
def test_entries_with_any_address_verify_after_a_round_trip(
    actor: User, ip: str, stored: str | None
) -> None:
    entry = audit_record(action=Action.VIEW, actor=actor, ip=ip)
    entry.refresh_from_db()
    if stored is None:
        assert entry.ip is None
    else:  # PostgreSQL may spell an address differently from Python
        assert entry.ip is not None
        assert ipaddress.ip_address(entry.ip) == ipaddress.ip_address(stored)
    assert audit_verify().ok


def test_entries_with_unusual_content_verify_after_a_round_trip(actor: User) -> None:
    actor.username = "Пётр.Семёнов+\"quoted\"\t"
    actor.save()
    audit_record(
        action=Action.UPDATE, actor=actor, target_type="core.Thing", target_id="ключ/1",
        fields=["ζ", "b", "a", "b"],
        detail={"z": None, "a": True, "n": -(2**53), "ü": "значение", "e": ""},
    )
    entry = AuditEntry.objects.latest("id")
    assert entry.fields == ["a", "b", "ζ"]
    assert audit_verify().ok


def test_verify_command_reports_an_intact_chain(actor: User) -> None:
    _write(actor, 3)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()
    assert f"{AuditEntry.objects.count()} entries" in out.getvalue()


def test_verify_walks_the_chain_in_batches(actor: User) -> None:
    _write(actor, 7)
    assert audit_verify(batch_size=2).ok


# --- tampering -------------------------------------------------------------

TAMPERINGS = {
    "action": ("UPDATE audit_auditentry SET action = %s WHERE id = %s", "record.nothing"),
    "actor_name": ("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", "someone-else"),
    "fields": ("UPDATE audit_auditentry SET fields = %s WHERE id = %s", '["name","notes"]'),
    "detail": ("UPDATE audit_auditentry SET detail = %s WHERE id = %s", '{"n": 99}'),
    "target_id": ("UPDATE audit_auditentry SET target_id = %s WHERE id = %s", "4242"),
    "ip": ("UPDATE audit_auditentry SET ip = %s WHERE id = %s", "198.51.100.1"),
    "at": ("UPDATE audit_auditentry SET at = %s WHERE id = %s", None),
}


@pytest.mark.parametrize("position", [0, 2, 4], ids=["first", "middle", "last"])
@pytest.mark.parametrize("column", list(TAMPERINGS))
def test_editing_any_column_of_any_entry_is_caught_at_that_entry(
    actor: User, column: str, position: int
) -> None:
    entries = _write(actor, 5)
    victim = entries[position]
    sql, value = TAMPERINGS[column]
    if column == "at":
        value = connection.ops.adapt_datetimefield_value(victim.at - timedelta(minutes=5))
    assert audit_verify().ok

    with dba_unlocked():
        _raw(sql, [value, victim.pk])

    victim_after = AuditEntry.objects.get(pk=victim.pk)
    assert victim_after.hash == victim.hash  # the stored hash itself was left alone
    message = _verify_fails_at(victim.pk)
    assert "does not match" in message
    result = audit_verify()
    assert not result.ok
    assert result.broken_id == victim.pk


def test_rewriting_an_entry_and_its_hash_is_caught_at_the_next_entry(actor: User) -> None:
    """A forger who recomputes the hash of the edited row still breaks the link
    the following row holds."""
    entries = _write(actor, 4)
    victim = AuditEntry.objects.get(pk=entries[1].pk)
    content = entry_content(
        at=victim.at, actor_id=victim.actor_id, actor_name=victim.actor_name,
        organisation_id=victim.organisation_id, organisation_code=victim.organisation_code,
        action=Action.LOGIN_SUCCESS, target_type=victim.target_type,
        target_id=victim.target_id, fields=victim.fields, detail=victim.detail, ip=victim.ip,
    )
    forged_hash = entry_hash(prev_hash=victim.prev_hash, content=content)

    with dba_unlocked():
        _raw(
            "UPDATE audit_auditentry SET action = %s, hash = %s WHERE id = %s",
            [Action.LOGIN_SUCCESS, forged_hash, victim.pk],
        )

    _verify_fails_at(entries[2].pk)
    assert audit_verify().reason == "previous hash does not match"


def test_deleting_the_newest_entries_is_caught_by_the_chain_head(actor: User) -> None:
    entries = _write(actor, 5)

    with dba_unlocked():
        _raw(
            "DELETE FROM audit_auditentry WHERE id IN (%s, %s)",
            [entries[-1].pk, entries[-2].pk],
        )

    result = audit_verify()
    assert not result.ok
    assert result.broken_id is None
    assert "missing from the end" in result.reason
    _verify_fails_at(None)


def test_deleting_an_entry_in_the_middle_is_caught_at_the_entry_after_it(actor: User) -> None:
    entries = _write(actor, 5)

    with dba_unlocked():
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    _verify_fails_at(entries[3].pk)


def test_deleting_the_tail_together_with_the_chain_head_is_caught(actor: User) -> None:
    """Removing the head row as well must not make a shortened chain look intact."""
    entries = _write(actor, 4)

    with dba_unlocked():
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
        _raw("DELETE FROM audit_auditchainhead")

    assert not audit_verify().ok
    _verify_fails_at(None)


def _leave_a_gap_in_the_ids(size: int) -> None:
    """Advance the id sequence, as rolled-back inserts do, so that a row can
    later be slipped in between two existing ones."""
    if POSTGRES:
        _raw(
            "SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), "
            "(SELECT MAX(id) FROM audit_auditentry) + %s)",
            [size],
        )
    else:
        _raw("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = 'audit_auditentry'", [size])


def test_inserting_a_forged_entry_in_the_middle_is_caught(actor: User) -> None:
    before = _write(actor, 3)
    _leave_a_gap_in_the_ids(10)
    after = _write(actor, 3)
    assert after[0].pk > before[-1].pk + 1
    assert audit_verify().ok  # gaps in the ids alone are fine

    # A well-formed row, hashed exactly like the application would hash it.
    forged_id = before[-1].pk + 1
    values: dict[str, Any] = {
        "at": before[-1].at + timedelta(seconds=1),
        "actor_id": actor.pk, "actor_name": actor.username,
        "organisation_id": None, "organisation_code": "",
        "action": Action.SUDO_CONFIRMED, "target_type": "", "target_id": "",
        "fields": [], "detail": {}, "ip": None,
    }
    forged_hash = entry_hash(prev_hash=before[-1].hash, content=entry_content(**values))
    # Inserting is allowed by the triggers; only the chain can notice.
    AuditEntry.objects.create(id=forged_id, prev_hash=before[-1].hash, hash=forged_hash, **values)

    result = audit_verify()
    assert not result.ok
    assert result.broken_id == after[0].pk
    _verify_fails_at(after[0].pk)


def test_appending_a_forged_entry_at_the_end_is_caught(actor: User) -> None:
    entries = _write(actor, 2)
    values: dict[str, Any] = {
        "at": entries[-1].at + timedelta(seconds=1),
        "actor_id": actor.pk, "actor_name": actor.username,
        "organisation_id": None, "organisation_code": "",
        "action": Action.LOGIN_SUCCESS, "target_type": "", "target_id": "",
        "fields": [], "detail": {}, "ip": None,
    }
    forged_hash = entry_hash(prev_hash=entries[-1].hash, content=entry_content(**values))
    AuditEntry.objects.create(prev_hash=entries[-1].hash, hash=forged_hash, **values)

    assert not audit_verify().ok
    _verify_fails_at(None)


# --- the database refuses changes ------------------------------------------


def _refused(sql: str, params: Sequence[Any] | None = None) -> str:
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic():
        _raw(sql, params)
    return str(excinfo.value)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "UPDATE audit_auditentry SET hash = hash WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
    ids=["update", "update-noop", "delete"],
)
def test_the_database_refuses_to_update_or_delete_audit_rows(actor: User, sql: str) -> None:
    entry = _write(actor, 1)[0]
    message = _refused(sql, [entry.pk])
    assert "append-only" in message
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.hash) == (entry.action, entry.hash)
    assert audit_verify().ok


def test_the_database_refuses_to_empty_the_audit_table(actor: User) -> None:
    _write(actor, 3)
    assert "append-only" in _refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 3


def test_the_orm_cannot_update_or_delete_audit_rows_either(actor: User) -> None:
    entry = _write(actor, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


@pytest.mark.parametrize("statement", ["TRUNCATE audit_auditentry",
                                       "TRUNCATE audit_auditentry CASCADE"])
@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL")
def test_postgresql_refuses_to_truncate_the_audit_table(actor: User, statement: str) -> None:
    _write(actor, 2)
    assert "append-only" in _refused(statement)
    assert AuditEntry.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL")
def test_postgresql_triggers_are_installed_and_enabled() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
        )
        triggers = dict(cursor.fetchall())
    assert triggers == {
        "audit_auditentry_no_update_delete": "O",
        "audit_auditentry_no_truncate": "O",
    }


@sqlite_only
def test_sqlite_triggers_are_installed() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_auditentry'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"audit_auditentry_no_update", "audit_auditentry_no_delete"}


# --- transactions ----------------------------------------------------------


class _Boom(Exception):
    pass


def _then_fail(work: Callable[[], object]) -> None:
    """Do ``work`` inside a transaction that then rolls back."""
    with transaction.atomic():
        work()
        raise _Boom


def test_an_entry_written_in_a_rolled_back_transaction_disappears_with_it(
    actor: User,
) -> None:
    kept = _write(actor, 2)
    head_before = AuditChainHead.objects.get(pk=1)

    with pytest.raises(_Boom):
        _then_fail(lambda: audit_record(
            action=Action.DELETE, actor=actor, target_type="test.Thing", target_id="1"
        ))

    assert not AuditEntry.objects.filter(action=Action.DELETE).exists()
    head_after = AuditChainHead.objects.get(pk=1)
    assert (head_after.last_hash, head_after.count) == (head_before.last_hash, head_before.count)
    assert audit_verify().ok

    following = audit_record(action=Action.VIEW, actor=actor)
    assert following.prev_hash == kept[-1].hash
    assert audit_verify().ok


def test_a_failing_change_takes_its_audit_entry_with_it(actor: User) -> None:
    """Services audit inside their own transaction: no entry without the change."""
    organisation = _organisation("ROLL")
    count = AuditEntry.objects.count()

    with pytest.raises(_Boom):
        _then_fail(lambda: organisation_update(
            actor=actor, organisation=organisation, city="Kazan"
        ))

    organisation.refresh_from_db()
    assert organisation.city != "Kazan"
    assert AuditEntry.objects.count() == count
    assert audit_verify().ok


# --- no values in the log --------------------------------------------------


def _everything_stored(entry: AuditEntry) -> str:
    entry.refresh_from_db()
    return json.dumps(model_to_dict(entry), default=str, ensure_ascii=False)


def test_an_update_records_field_names_never_values(actor: User) -> None:
    organisation = _organisation("VALS", city="Moscow", region="")
    organisation_update(
        actor=actor, organisation=organisation,
        city="Secret-Town-Полярный", region="Hidden-Region", name_en="Organisation VALS",
    )

    entry = AuditEntry.objects.filter(action=Action.UPDATE).latest("id")
    assert entry.fields == ["city", "region"]
    assert entry.detail == {}
    assert entry.target_type == "accounts.Organisation"
    assert entry.target_id == str(organisation.pk)
    assert entry.organisation_code == "VALS"
    stored = _everything_stored(entry)
    for value in ("Secret-Town", "Полярный", "Hidden-Region", "Moscow"):
        assert value not in stored


def test_an_update_that_changes_nothing_writes_nothing(actor: User) -> None:
    organisation = _organisation("SAME", city="Moscow")
    count = AuditEntry.objects.count()
    organisation_update(actor=actor, organisation=organisation, city="Moscow")
    assert AuditEntry.objects.count() == count


def test_creating_a_member_never_logs_the_name_email_or_password(actor: User) -> None:
    organisation = _organisation("NEWM")
    member_create(
        actor=actor, organisation=organisation, username="new.person",
        first_name="Анастасия", last_name="Hiddenname", email="anastasia@example.invalid",
        role="case_worker", password="a long secret passphrase 123",
    )

    entries = list(AuditEntry.objects.filter(action=Action.CREATE).order_by("id"))
    assert len(entries) == 2
    assert entries[0].fields == ["email", "first_name", "last_name", "password", "username"]
    for entry in entries:
        stored = _everything_stored(entry)
        for value in ("Анастасия", "Hiddenname", "anastasia@", "secret passphrase"):
            assert value not in stored


# --- the chain head and the key ---------------------------------------------


def test_the_chain_head_cannot_be_deleted_or_rewound(actor: User) -> None:
    _write(actor, 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("DELETE FROM audit_auditchainhead")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("UPDATE audit_auditchainhead SET count = 0")
    assert AuditChainHead.objects.get(pk=1).count >= 2


def test_a_chain_rebuilt_without_the_audit_key_does_not_verify(actor: User, settings) -> None:
    """A DBA who rewrites an entry and recomputes every hash, but does not hold
    HOMEWARD_AUDIT_KEY, still leaves a chain that fails verification."""
    entries = _write(actor, 3)
    real_key = settings.HOMEWARD_AUDIT_KEY
    settings.HOMEWARD_AUDIT_KEY = b"g" * 32  # the forger's guess
    prev = GENESIS_HASH
    rows = list(AuditEntry.objects.order_by("id"))
    with dba_unlocked():
        for entry in rows:
            if entry.pk == entries[0].pk:
                entry.action = "record.view"
            content = entry_content(
                at=entry.at, actor_id=entry.actor_id, actor_name=entry.actor_name,
                organisation_id=entry.organisation_id,
                organisation_code=entry.organisation_code, action=entry.action,
                target_type=entry.target_type, target_id=entry.target_id,
                fields=list(entry.fields), detail=dict(entry.detail), ip=entry.ip,
            )
            digest = entry_hash(prev_hash=prev, content=content)
            _raw(
                "UPDATE audit_auditentry SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.action, prev, digest, entry.pk],
            )
            prev = digest
        _raw("UPDATE audit_auditchainhead SET last_hash = %s", [prev])
    settings.HOMEWARD_AUDIT_KEY = real_key
    result = audit_verify()
    assert not result.ok
    assert result.broken_id == rows[0].pk


def test_every_audit_action_has_a_translatable_label() -> None:
    from homeward.audit.services import ACTION_LABELS

    actions = {v for k, v in vars(Action).items() if k.isupper() and isinstance(v, str)}
    assert actions == set(ACTION_LABELS)
