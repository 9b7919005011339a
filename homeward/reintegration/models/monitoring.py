"""Monitoring after reintegration: a schedule per case, kept by a monitoring
organisation (often the partner NGO in the home region), with one report
due per date. Reminders go to the assignee before and after a due date,
each exactly once (the ``reminded_*`` stamps are set by a conditional
update)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.core.fields import EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.reintegration.choices import (
    ContactMode,
    LivingSituation,
    MonitoringOutcome,
    MonitoringPeriod,
    ReportStatus,
    RetraffickingSign,
    WorkSituation,
)
from homeward.reintegration.models.referral import Referral


class MonitoringSchedule(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="monitoring_schedules")
    # The organisation that monitors and files the reports.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("monitoring organisation"),
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="monitoring_schedules", verbose_name=_("referral"),
    )
    period = models.CharField(_("period"), max_length=8, choices=MonitoringPeriod.choices)
    starts_on = models.DateField(_("starts on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("assignee"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("monitoring schedule")
        verbose_name_plural = _("monitoring schedules")

    def __str__(self) -> str:
        return f"monitoring #{self.pk} of case #{self.case_id}"


class MonitoringReport(models.Model):
    schedule = models.ForeignKey(
        MonitoringSchedule, on_delete=models.CASCADE, related_name="reports"
    )
    # Denormalised from the schedule for the access gate and the lists.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="monitoring_reports")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("monitoring organisation"),
    )
    due_on = models.DateField(_("due on"))
    # Months after the start (3, 6, 12), or None for a custom date.
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices,
                              default=ReportStatus.DUE)
    reminded_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The report itself.
    contacted_on = models.DateField(_("contact on"), null=True, blank=True)
    contact_mode = models.CharField(_("contact"), max_length=16, choices=ContactMode.choices,
                                    blank=True)
    living_situation = models.CharField(
        _("living situation"), max_length=16, choices=LivingSituation.choices, blank=True
    )
    work_situation = models.CharField(
        _("work or training"), max_length=16, choices=WorkSituation.choices, blank=True
    )
    feels_safe = models.BooleanField(_("feels safe"), null=True, blank=True)
    retrafficking_signs = MultiChoiceField(
        _("signs of re-trafficking"), item_choices=RetraffickingSign
    )
    outcome = models.CharField(_("outcome"), max_length=24,
                               choices=MonitoringOutcome.choices, blank=True)
    needs_further_help = models.BooleanField(_("needs further help"), default=False)
    narrative = EncryptedTextField(_("report"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["organisation", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"monitoring report #{self.pk} due {self.due_on}"
