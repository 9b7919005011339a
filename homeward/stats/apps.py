from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "homeward.stats"
    label = "stats"
    verbose_name = _("Statistics and exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the statistics family and every report.
        from homeward.stats import reports, scope  # noqa: F401
