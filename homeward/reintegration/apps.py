from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "homeward.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration, referrals and monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the access scopes of the reintegration family, and the
        # reintegration entries of the case timeline.
        from homeward.reintegration import selectors, timeline  # noqa: F401
