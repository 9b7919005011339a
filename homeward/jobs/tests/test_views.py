"""The job page and its status fragment; the task status page (your own
jobs; the schedules for site administrators and coordinators; scheduler
jobs for site administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs, schedules_enqueue_due
from homeward.jobs.tests.access_expectations import PROBE, coordinators_job

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def test_only_the_creator_and_site_admins_see_a_job(cast: Any, login: Login) -> None:
    pk = coordinators_job(cast)["pk"]
    for name in ("jobs:job-detail", "jobs:job-status"):
        url = reverse(name, kwargs={"pk": pk})
        assert login(cast.user("org_admin")).get(url).status_code == 404
        assert login(cast.user("coordinator", "away")).get(url).status_code == 404
        assert login(cast.site_admin).get(url).status_code == 200
        assert login(cast.user("coordinator")).get(url).status_code == 200


def test_a_running_job_polls_its_status_fragment(cast: Any, login: Login) -> None:
    pk = coordinators_job(cast)["pk"]
    Job.objects.filter(pk=pk).update(status=JobStatus.RUNNING, progress=30, total=120)
    client = login(cast.user("coordinator"))
    page = client.get(reverse("jobs:job-detail", kwargs={"pk": pk})).content.decode()
    status_url = reverse("jobs:job-status", kwargs={"pk": pk})
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="job-progress" max="120" value="30">25%</progress>' in page
    assert "Refresh" in page  # without JavaScript
    fragment = client.get(status_url)
    assert fragment["Cache-Control"] == "private, no-store"
    body = fragment.content.decode()
    assert body.startswith('<div id="job-status"')
    assert "<html" not in body
    assert "30 of 120" in body


def test_a_finished_job_stops_polling_and_shows_its_counts(cast: Any, login: Login) -> None:
    pk = coordinators_job(cast)["pk"]
    run_pending_jobs()
    fragment = login(cast.user("coordinator")).get(
        reverse("jobs:job-status", kwargs={"pk": pk})
    ).content.decode()
    assert "hx-trigger" not in fragment
    assert "Finished" in fragment
    assert '<th scope="row">Done</th><td>3</td>' in fragment


def test_job_pages_answer_get_only(cast: Any, login: Login) -> None:
    pk = coordinators_job(cast)["pk"]
    client = login(cast.user("coordinator"))
    assert client.post(reverse("jobs:job-detail", kwargs={"pk": pk})).status_code == 405


# --- the task status page ---------------------------------------------------------

URL = "/jobs/"


def test_the_list_is_at_jobs(cast: Any) -> None:
    assert reverse("jobs:job-list") == URL


def test_a_user_sees_only_their_own_jobs(cast: Any, login: Login) -> None:
    pk = coordinators_job(cast)["pk"]
    Job.objects.create(kind=PROBE, created_by=cast.user("case_worker"))
    page = login(cast.user("coordinator")).get(URL).content.decode()
    assert reverse("jobs:job-detail", kwargs={"pk": pk}) in page
    other = login(cast.user("case_worker")).get(URL).content.decode()
    assert reverse("jobs:job-detail", kwargs={"pk": pk}) not in other


def test_coordinators_see_the_schedules_but_not_the_scheduler_jobs(
    cast: Any, login: Login
) -> None:
    queued = schedules_enqueue_due(now=timezone.now())
    reminders = next(job for job in queued if job.kind == "reintegration.reminders")
    Job.objects.filter(pk=reminders.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    detail = reverse("jobs:job-detail", kwargs={"pk": reminders.pk})
    page = login(cast.user("coordinator")).get(URL).content.decode()
    assert "Scheduled jobs" in page
    assert "Monitoring reminders" in page
    assert "1\xa0hour" in page or "1 hour" in page
    assert "Finished" in page
    assert detail not in page  # a scheduler job is for site administrators
    assert login(cast.user("coordinator")).get(detail).status_code == 404
    admin_page = login(cast.site_admin).get(URL).content.decode()
    assert detail in admin_page
    assert login(cast.site_admin).get(detail).status_code == 200


def test_other_roles_see_no_schedules(cast: Any, login: Login) -> None:
    schedules_enqueue_due(now=timezone.now())
    page = login(cast.user("case_worker")).get(URL).content.decode()
    assert "Scheduled jobs" not in page
    assert "No background jobs." in page
