from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "homeward.hotline"
    label = "hotline"
    verbose_name = _("Hotline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the hotline family; the intake wizard
        # opens pre-filled from a contact (rescue escalation).
        from homeward.cases.intake import register_prefill
        from homeward.hotline import selectors  # noqa: F401
        from homeward.hotline.intake import SOURCE, contact_opened, contact_prefill

        register_prefill(SOURCE, contact_prefill, on_open=contact_opened)
