"""``homeward worker [--once]``: run background jobs from the queue."""

from __future__ import annotations

import signal
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from homeward.jobs import registry, services

IDLE_SECONDS = 1.0


class Command(BaseCommand):
    help = (
        "Run queued background jobs (imports, exports, reminders) until stopped with "
        "SIGTERM or Ctrl+C; the job in progress finishes first. Periodic jobs "
        "(reminders) are queued when their schedule is due. With --once, queue the due "
        "periodic jobs, run the queued jobs and exit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true",
            help="queue the due periodic jobs, run the queued jobs, then exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        registry.autodiscover()
        if options["once"]:
            services.schedules_enqueue_due(now=timezone.now())
            count = services.run_pending_jobs()
            self.stdout.write(f"{count} jobs run.")
            return
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"Worker started; job kinds: {', '.join(registry.registered())}.")
        timeout = timedelta(seconds=settings.HOMEWARD_JOB_TIMEOUT_SECONDS)
        next_sweep = 0.0
        while not stop.is_set():
            close_old_connections()
            if time.monotonic() >= next_sweep:
                abandoned = services.jobs_fail_abandoned(older_than=timeout)
                if abandoned:
                    self.stdout.write(f"{abandoned} abandoned jobs marked failed.")
                next_sweep = time.monotonic() + 60
            for scheduled in services.schedules_enqueue_due(now=timezone.now()):
                self.stdout.write(f"Job {scheduled.pk} ({scheduled.kind}) queued by schedule.")
            job = services.run_next_job()
            if job is None:
                stop.wait(IDLE_SECONDS)
            else:
                self.stdout.write(f"Job {job.pk} ({job.kind}): {job.status}.")
        close_old_connections()
        self.stdout.write("Worker stopped.")
