"""Referrals between organisations, and transfers of responsibility.

A referral shares exactly the parts of a case the sender chose (the
minimum always; identifying parts only with the person's consent to share
data with the receiver); the receiver accepts or declines, the sender may
revoke. A transfer is a referral of ``kind=Transfer``: on acceptance the
case moves to the receiving organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.core.fields import EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    OPEN_REFERRAL_STATUSES,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralReason,
    ReferralStatus,
    SharedPart,
)


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals_out")
    kind = models.CharField(_("kind"), max_length=16, choices=ReferralKind.choices,
                            default=ReferralKind.REFERRAL)
    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent",
        verbose_name=_("from"),
    )
    receiver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received",
        verbose_name=_("to"),
    )
    # The directory entry the sender chose the receiver by.
    receiver_entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("directory entry"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=ReferralReason.choices,
                              default=ReferralReason.ADDITIONAL_SERVICES)
    purposes = MultiChoiceField(_("purpose"), item_choices=ReferralPurpose)
    needs = MultiChoiceField(_("needs"), item_choices=Need)
    shared_parts = MultiChoiceField(_("shared parts of the case"), item_choices=SharedPart)
    message = EncryptedTextField(_("message to the receiver"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.PENDING)
    # The receiver is asked to answer by then.
    answer_due_on = models.DateField(_("answer by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    # The receiver's worker in charge once accepted.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("worker in charge"),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = EncryptedTextField(_("reason for revoking"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["sender", "status"]),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("receiver")),
                name="reintegration_referral_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"referral #{self.pk} of case #{self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def is_transfer(self) -> bool:
        return self.kind == ReferralKind.TRANSFER
