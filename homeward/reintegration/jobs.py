"""Background jobs of reintegration: the monitoring reminders."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.jobs.models import Job
from homeward.jobs.registry import Report, job
from homeward.reintegration.services.monitoring import reminders_send

REMINDERS = "reintegration.reminders"


@job(
    REMINDERS,
    title=_("Monitoring reminders"),
    results={"due_soon": _("Reports due soon"), "overdue": _("Reports overdue")},
    every=timedelta(hours=1),
)
def send_reminders(job: Job, report: Report) -> dict[str, int]:
    """Queued every hour by the scheduler; each reminder goes out once."""
    return reminders_send(now=timezone.now())
