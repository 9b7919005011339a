from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "homeward.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers jobs with the access gate.
        from homeward.jobs import selectors  # noqa: F401
