from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "homeward.hotline"
    label = "hotline"
    verbose_name = _("Hotline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the hotline family.
        from homeward.hotline import selectors  # noqa: F401
