"""The individual reintegration plan: goals with target dates, who is
responsible, and reviews on a schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.core.fields import EncryptedTextField
from homeward.reintegration.choices import GoalArea, GoalStatus, PlanStatus


class Plan(models.Model):
    """One plan per case; revised in place (every change audited), its
    reviews kept."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reintegration_plan")
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("responsible worker"),
    )
    # Where the person rebuilds her or his life (home region or a new one).
    target_region = models.CharField(_("region"), max_length=120, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"), default=30)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        indexes = [models.Index(fields=["status", "next_review_on"])]

    def __str__(self) -> str:
        return f"plan of case #{self.case_id}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("area"), max_length=16, choices=GoalArea.choices)
    description = EncryptedTextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"goal #{self.pk} ({self.area})"


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    note = EncryptedTextField(_("notes"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"review #{self.pk} of plan #{self.plan_id}"
