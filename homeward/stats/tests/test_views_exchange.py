"""The HTCDS exchange pages: access, export download, upload → check →
confirm → background job."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward.accounts import sudo
from homeward.audit.models import AuditEntry
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.jobs.models import Job
from homeward.jobs.services import run_pending_jobs
from homeward.stats.models import ImportedCase
from homeward.stats.tests.htcds_files import csv_file, read_csv, row

Login = Callable[[Any], Client]


def _upload(client: Client, data: bytes, organisation: Any, name: str = "cases.csv") -> Any:
    return client.post(reverse("stats:exchange-import"), {
        "organisation": organisation.pk, "file": SimpleUploadedFile(name, data),
    })


@pytest.mark.django_db
def test_only_coordinators_open_the_exchange_pages(cast: Any, login: Login) -> None:
    for role in ("case_worker", "researcher", "org_admin"):
        client = login(cast.user(role))
        assert client.get(reverse("stats:exchange")).status_code == 403
        assert client.get(reverse("stats:exchange-export") + "?format=csv").status_code == 403
    client = login(cast.user("coordinator"))
    page = client.get(reverse("stats:exchange"))
    assert page.status_code == 200
    assert b"x_ExternalId" in page.content
    assert client.patch(reverse("stats:exchange")).status_code == 405


@pytest.mark.django_db
def test_coordinator_downloads_a_deidentified_file_of_their_cases(
    cast: Any, login: Login
) -> None:
    open_case(cast)
    open_case(cast.away)
    client = login(cast.user("coordinator"))
    response = client.get(reverse("stats:exchange-export") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response.content)
    assert len(rows) == 1
    assert "prs_FirstName" not in rows[0]
    assert AuditEntry.objects.filter(action="record.export", target_type="stats.htcds").exists()


@pytest.mark.django_db
def test_identifying_export_asks_for_the_password_and_a_recipient(
    cast: Any, login: Login
) -> None:
    coordinator = cast.user("coordinator")
    case = open_case(cast, email="irina@example.org")
    give_consent(case, coordinator, ConsentPurpose.DATA_SHARING, organisation=cast.away)
    client = login(coordinator)
    url = reverse("stats:exchange-export")
    no_recipient = client.get(url, {"format": "csv", "identifying": "on"})
    assert no_recipient.status_code == 200  # the form again, with the error
    assert no_recipient.context["export_form"].errors["recipient"]
    query = {"format": "csv", "identifying": "on", "recipient": cast.away.pk}
    redirect = client.get(url, query)
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(reverse("accounts:sudo"))
    session = client.session
    session[sudo.SESSION_KEY] = time.time() + 300
    session.save()
    response = client.get(url, query)
    [written] = read_csv(response.content)
    assert written["prs_Email"] == "irina@example.org"


@pytest.mark.django_db
def test_upload_shows_the_bad_rows_and_saves_nothing(cast: Any, login: Login) -> None:
    client = login(cast.user("coordinator"))
    data = csv_file([row("V-1"), row("V-2", prs_Gender="Female")])
    response = _upload(client, data, cast.home)
    assert response.status_code == 200
    assert response.context["plan"].has_errors
    assert b"prs_Gender" in response.content
    assert "exchange-import-confirm" not in response.content.decode()
    assert not Case.objects.exists()
    # Nothing waits for confirmation.
    confirm = client.post(reverse("stats:exchange-import-confirm"), {"confirm": "1"})
    assert confirm["Location"] == reverse("stats:exchange-import")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_upload_check_confirm_runs_the_import_as_a_job(cast: Any, login: Login) -> None:
    client = login(cast.user("coordinator"))
    data = csv_file([row("W-1"), row("W-2", prs_Citizenship="UA")])
    check = _upload(client, data, cast.home)
    assert check.context["plan"].counts["create"] == 2
    assert not Case.objects.exists()  # the check is a dry run
    confirm = client.post(reverse("stats:exchange-import-confirm"), {"confirm": "1"})
    job = Job.objects.get(kind="stats.htcds_import")
    assert confirm["Location"] == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.result["create"] == 2
    assert ImportedCase.objects.filter(organisation=cast.home).count() == 2
    assert set(Case.objects.values_list("organisation__code", flat=True)) == {"HOME"}


@pytest.mark.django_db
def test_cancel_discards_the_upload(cast: Any, login: Login) -> None:
    client = login(cast.user("coordinator"))
    _upload(client, csv_file([row("X-1")]), cast.home)
    response = client.post(reverse("stats:exchange-import-confirm"), {"cancel": "1"})
    assert response["Location"] == reverse("stats:exchange")
    assert not Job.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_cannot_import_into_another_organisation(
    cast: Any, login: Login
) -> None:
    client = login(cast.user("coordinator"))
    response = _upload(client, csv_file([row("Y-1")]), cast.away)
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_unreadable_file_is_refused_on_the_form(cast: Any, login: Login) -> None:
    client = login(cast.user("coordinator"))
    response = _upload(client, b"name,shoe\nx,1\n", cast.home)
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_the_job_imports_nothing_when_the_coordinator_lost_the_role(
    cast: Any, login: Login
) -> None:
    from homeward.accounts.models import Membership

    coordinator = cast.user("coordinator")
    client = login(coordinator)
    _upload(client, csv_file([row("Z-1")]), cast.home)
    client.post(reverse("stats:exchange-import-confirm"), {"confirm": "1"})
    Membership.objects.filter(user=coordinator).update(is_active=False)
    run_pending_jobs()
    job = Job.objects.get(kind="stats.htcds_import")
    assert job.status == "failed"
    assert "no longer import cases" in job.message
    assert not Case.objects.exists()
    from homeward.directory import exchange as uploads

    with pytest.raises(FileNotFoundError):
        uploads.upload_read(job.params["token"])
