"""The job page and its status fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs
from homeward.jobs.tests.access_expectations import coordinators_job

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
