from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheltersConfig(AppConfig):
    name = "homeward.shelters"
    label = "shelters"
    verbose_name = _("Safe houses and rehabilitation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the shelter family.
        from homeward.shelters import selectors  # noqa: F401
