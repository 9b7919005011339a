from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "homeward.cases"
    label = "cases"
    verbose_name = _("Victim cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the case family.
        from homeward.cases import selectors  # noqa: F401
