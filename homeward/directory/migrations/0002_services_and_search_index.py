"""The managed list of services, and a trigram index for search on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SERVICES = [
    ("shelter", "Shelter", "Убежище"),
    ("legal", "Legal help", "Юридическая помощь"),
    ("psychological", "Psychological help", "Психологическая помощь"),
    ("medical", "Medical help", "Медицинская помощь"),
    ("repatriation", "Repatriation", "Репатриация"),
    ("documents", "Documents", "Восстановление документов"),
    ("vocational", "Vocational training", "Профессиональное обучение"),
    ("hotline", "Hotline", "Горячая линия"),
    ("migrant", "Migrant consultation", "Консультации для мигрантов"),
    ("child", "Child protection", "Защита детей"),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    Service = apps.get_model("directory", "Service")
    for code, name_en, name_ru in SERVICES:
        Service.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru}
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_entry_search_trgm "
            "ON directory_entry USING gin (search_text gin_trgm_ops)",
            params=None,
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_entry_search_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
