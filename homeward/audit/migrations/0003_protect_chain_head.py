"""The chain head may only move forward: no deleting it, no lowering its count."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION homeward_audit_head_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.count >= OLD.count THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'homeward audit chain head only moves forward: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PG_TRIGGERS = """
CREATE TRIGGER audit_chainhead_guard
    BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION homeward_audit_head_guard();
CREATE TRIGGER audit_chainhead_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION homeward_audit_head_guard();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS audit_chainhead_guard ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_auditchainhead;
DROP FUNCTION IF EXISTS homeward_audit_head_guard();
"""

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_rewind
    BEFORE UPDATE ON audit_auditchainhead WHEN NEW.count < OLD.count
    BEGIN SELECT RAISE(ABORT, 'homeward audit chain head only moves forward'); END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_delete
    BEFORE DELETE ON audit_auditchainhead
    BEGIN SELECT RAISE(ABORT, 'homeward audit chain head only moves forward'); END;
    """,
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        schema_editor.execute(PG_TRIGGERS, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chainhead_no_rewind")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chainhead_no_delete")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
