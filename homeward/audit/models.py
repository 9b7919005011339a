"""The audit log: append-only and hash-chained.

Each entry stores the SHA-256 of its own canonical content together with the
hash of the entry before it, so editing, removing or reordering any entry
breaks the chain at that point. ``AuditChainHead`` remembers the last hash and
the count, so cutting entries off the end is noticed as well. On PostgreSQL a
trigger refuses UPDATE, DELETE and TRUNCATE on the entries table.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # Plain ids and a name snapshot instead of foreign keys: the log must
    # outlive the rows it talks about and never be touched by a cascade.
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(
        _("organisation id"), null=True, blank=True, db_index=True
    )
    organisation_code = models.CharField(_("organisation"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    @property
    def action_label(self) -> str:
        from homeward.audit.services import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def target_label(self) -> str:
        """The record type in the reader's language (the model's verbose name)."""
        if not self.target_type:
            return ""
        try:
            model = apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return self.target_type
        return str(model._meta.verbose_name).capitalize()


class AuditChainHead(models.Model):
    """A single row: the newest hash and how many entries the chain holds."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain head ({self.count} entries)"
