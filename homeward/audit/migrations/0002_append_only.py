"""Make the audit log append-only at the database level (PostgreSQL and
SQLite triggers), and
create the chain head row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORBID_FUNCTION = """
CREATE OR REPLACE FUNCTION homeward_audit_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'homeward audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE TRIGGER audit_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION homeward_audit_forbid_change();
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION homeward_audit_forbid_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_update_delete ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS homeward_audit_forbid_change();
"""


SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'homeward audit log is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'homeward audit log is append-only: DELETE refused'); END;
    """,
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FORBID_FUNCTION, params=None)
        schema_editor.execute(TRIGGERS)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(pk=1)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
