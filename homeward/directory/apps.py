from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "homeward.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the directory's record families with the access gate.
        from homeward.directory import (
            selectors,  # noqa: F401
            selectors_library,  # noqa: F401
        )
