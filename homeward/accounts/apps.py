from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's record families with the access gate.
        from homeward.accounts import selectors  # noqa: F401
