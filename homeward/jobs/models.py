"""Background jobs: the database is the queue (SQLite and PostgreSQL alike).

A job row holds only ids and tokens (``params``) and counts (``result``),
never identifying data; ``message`` is an English source string that the
page translates when it shows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # None for a job the scheduler queued (see ``Schedule``).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="jobs", verbose_name=_("created by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="jobs", verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("status", "created_at"), name="jobs_job_queue_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, self.progress * 100 // self.total)


class Schedule(models.Model):
    """When the scheduler next queues a periodic job kind (reminders).

    One row per kind declared with ``every=`` in the registry. Workers
    claim a due row with a conditional update of ``next_run_at``, so a kind
    is queued once per period however many workers run.
    """

    kind = models.CharField(_("kind"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("last run"),
    )

    class Meta:
        ordering = ("kind",)
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.kind
