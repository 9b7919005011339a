"""The directory import as a background job, from upload to entries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward.directory import exchange
from homeward.directory.models import Entry
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
ROWS = (
    "owner,kind,name_en,name_ru,country\n"
    "HOME,ngo,First,Первая,RU\n"
    "HOME,shelter,Second,Вторая,RU\n"
    "HOME,ngo,Third,Третья,TR\n"
)


def _stored() -> list[Path]:
    directory = Path(settings.VAR_DIR) / "imports"
    return list(directory.iterdir()) if directory.exists() else []


def _confirm(client: Client) -> Job:
    upload = SimpleUploadedFile("entries.csv", ROWS.encode(), content_type="text/csv")
    preview = client.post(reverse("directory:import"), {"file": upload})
    assert "Confirm the import" in preview.content.decode()
    response = client.post(reverse("directory:import-confirm"), {"confirm": "1"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    return job


def test_confirmed_import_runs_as_a_job_and_creates_the_entries(
    cast: Any, login: Login
) -> None:
    client = login(cast.user("coordinator"))
    job = _confirm(client)
    assert (job.kind, job.status, job.created_by, job.organisation) == (
        "directory.import", JobStatus.QUEUED, cast.user("coordinator"), cast.home
    )
    assert set(job.params) == {"token", "format", "default_owner"}
    assert "First" not in str(job.params)
    page = client.get(reverse("jobs:job-detail", kwargs={"pk": job.pk})).content.decode()
    assert "Waiting to start" in page
    assert 'hx-trigger="every 1s"' in page
    assert not Entry.objects.exists()
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"create": 3, "update": 0, "unchanged": 0}
    assert (job.progress, job.total) == (3, 3)
    assert sorted(Entry.objects.values_list("name_en", flat=True)) == [
        "First", "Second", "Third"
    ]
    assert _stored() == []
    page = client.get(reverse("jobs:job-detail", kwargs={"pk": job.pk})).content.decode()
    assert '<th scope="row">Created</th><td>3</td>' in page
    assert "hx-trigger" not in page
    assert reverse("directory:import") in page


def test_a_failing_row_fails_the_job_and_saves_nothing(
    cast: Any, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_row = exchange._apply_row

    def fail_on_third(row: exchange.RowResult, actor: Any) -> None:
        if row.number == 4:
            raise ValidationError("broken")
        apply_row(row, actor)

    monkeypatch.setattr(exchange, "_apply_row", fail_on_third)
    job = _confirm(login(cast.user("org_admin")))
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("A row could not be saved")
    assert not Entry.objects.exists()
    assert _stored() == []


def test_rows_that_became_errors_before_the_job_ran_stop_it(
    cast: Any, login: Login
) -> None:
    from homeward.directory.tests.expectations_exchange import exchange_entry

    job = _confirm(login(cast.user("coordinator")))
    exchange_entry(cast.home, name_en="First", name_ru="Первая")
    exchange_entry(cast.home, name_en="First", name_ru="Первая-2")
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.result == {"rows_with_errors": 1}
    assert Entry.objects.count() == 2
