from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "homeward.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's record families with the access gate.
        from homeward.audit import selectors  # noqa: F401
