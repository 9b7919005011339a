"""The CTDC reference data pages: the list, the checked upload and the
background import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs
from homeward.stats import ctdc
from homeward.stats.jobs import CTDC_IMPORT
from homeward.stats.models import CtdcDataset, CtdcRecord
from homeward.stats.views_reference import SESSION_KEY

HEADER = ("yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,"
          "UN_COE_Region\n")
GOOD = (HEADER + "2019,Female,Adult,1,,Europe,Asia\n2020,Male,Minor,,1,Africa,Europe\n"
        ",,,,,,\n").encode()
BAD = (HEADER + "2019,Female,Adult,1,,Europe,Asia\n2019,Female,Adult,1,,Pluto,Asia\n").encode()


def upload(client, data: bytes = GOOD, name: str = "ctdc.csv", label: str = ""):
    return client.post(reverse("stats:reference-upload"), {
        "file": SimpleUploadedFile(name, data, content_type="text/csv"), "label": label,
    })


def test_readers_see_the_datasets_labelled_as_reference_data(cast, login) -> None:
    dataset = ctdc.ctdc_import(data=GOOD, source_name="ctdc.csv", label="CTDC 2022",
                               actor=None)

    response = login(cast.user("researcher", "away")).get(reverse("stats:reference"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "not the coalition&#x27;s cases" in html or "not the coalition's cases" in html
    assert "CTDC 2022" in html
    assert "ctdc.csv" in html
    report = reverse("stats:report",
                     kwargs={"name": "ctdc-citizenship-region-by-exploitation-region"})
    assert f"{report}?dataset={dataset.pk}" in html
    assert reverse("stats:reference-upload") not in html  # researchers do not import


def test_coordinators_are_offered_the_upload(cast, login) -> None:
    response = login(cast.user("coordinator")).get(reverse("stats:reference"))
    assert reverse("stats:reference-upload") in response.content.decode()


@pytest.mark.parametrize("role", ["researcher", "case_worker", "hotline_operator"])
def test_only_coordinators_may_upload(cast, login, role) -> None:
    client = login(cast.user(role))
    assert client.get(reverse("stats:reference-upload")).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(reverse("stats:reference-confirm")).status_code == 403


def test_the_check_shows_what_would_be_imported_and_writes_nothing(cast, login) -> None:
    client = login(cast.user("coordinator"))

    response = upload(client, label="Global 2022")

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 rows would be imported" in html
    assert "Global 2022" in html
    assert reverse("stats:reference-confirm") in html
    assert not CtdcDataset.objects.exists()
    assert client.session[SESSION_KEY]["label"] == "Global 2022"


def test_confirming_runs_the_import_in_the_background(cast, login) -> None:
    coordinator = cast.user("coordinator")
    client = login(coordinator)
    upload(client)

    response = client.post(reverse("stats:reference-confirm"), {"confirm": "1"})

    job = Job.objects.get(kind=CTDC_IMPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    assert "label" in job.params
    assert "token" in job.params
    run_pending_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"rows": 3}
    assert (job.progress, job.total) == (3, 3)
    dataset = CtdcDataset.objects.get()
    assert dataset.imported_by == coordinator
    assert dataset.row_count == 3
    assert dataset.label == "CTDC reference data (ctdc.csv)"
    assert CtdcRecord.objects.filter(dataset=dataset).count() == 3
    assert SESSION_KEY not in client.session


def test_bad_rows_are_listed_and_nothing_can_be_confirmed(cast, login) -> None:
    client = login(cast.user("coordinator"))

    response = upload(client, BAD)

    html = response.content.decode()
    assert "Row 3: UN_COO_Region" in html
    assert reverse("stats:reference-confirm") not in html
    assert SESSION_KEY not in client.session
    assert client.post(reverse("stats:reference-confirm")).status_code == 302
    assert not Job.objects.exists()
    assert not CtdcDataset.objects.exists()


def test_a_file_already_imported_is_refused_at_the_check(cast, login) -> None:
    ctdc.ctdc_import(data=GOOD, source_name="first.csv", label="First", actor=None)

    response = upload(login(cast.user("coordinator")))

    assert "already imported as “First”" in response.content.decode()


def test_a_file_that_is_not_csv_is_refused_by_the_form(cast, login) -> None:
    response = upload(login(cast.user("coordinator")), name="ctdc.xlsx")
    assert response.status_code == 200
    assert "Upload a .csv file." in response.content.decode()


def test_cancelling_discards_the_file(cast, login) -> None:
    client = login(cast.user("coordinator"))
    upload(client)

    response = client.post(reverse("stats:reference-confirm"), {"cancel": "1"})

    assert response["Location"] == reverse("stats:reference")
    assert not Job.objects.exists()
    assert client.post(reverse("stats:reference-confirm")).status_code == 302
    assert not Job.objects.exists()


def test_a_file_imported_meanwhile_fails_the_job_and_changes_nothing(cast, login) -> None:
    client = login(cast.user("coordinator"))
    upload(client)
    client.post(reverse("stats:reference-confirm"), {"confirm": "1"})
    ctdc.ctdc_import(data=GOOD, source_name="meanwhile.csv", label="Meanwhile", actor=None)

    run_pending_jobs()

    job = Job.objects.get(kind=CTDC_IMPORT)
    assert job.status == JobStatus.FAILED
    assert CtdcDataset.objects.count() == 1
    assert CtdcRecord.objects.count() == 3


def test_the_declared_access_expectations_hold(cast, monkeypatch) -> None:
    """The access matrix, run on this part's expectations only."""
    from homeward.core.tests import test_access_matrix as matrix
    from homeward.stats.tests.access_expectations_reference import EXPECTATIONS

    monkeypatch.setattr(matrix, "_declared",
                        lambda: {(expect.name, expect.method): expect for expect in EXPECTATIONS})
    matrix.test_access_matrix(cast)


def test_the_dataset_link_opens_its_report(cast, login) -> None:
    first = ctdc.ctdc_import(data=GOOD, source_name="first.csv", label="First", actor=None)
    ctdc.ctdc_import(data=BAD.replace(b"Pluto", b"Asia"), source_name="second.csv",
                     label="Second", actor=None)
    client = login(cast.user("researcher"))
    report = reverse("stats:report",
                     kwargs={"name": "ctdc-citizenship-region-by-exploitation-region"})

    response = client.get(f"{report}?dataset={first.pk}&min_cell=1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "not the coalition" in html
    assert "Americas" not in html  # no such region in the first file
    assert "Africa" in html  # the first file's, not the latest file's


def test_an_importer_who_lost_the_coordinator_role_imports_nothing(cast, login) -> None:
    coordinator = cast.user("coordinator")
    client = login(coordinator)
    upload(client)
    client.post(reverse("stats:reference-confirm"), {"confirm": "1"})
    coordinator.memberships.update(is_active=False)

    run_pending_jobs()

    assert Job.objects.get(kind=CTDC_IMPORT).status == JobStatus.FAILED
    assert not CtdcDataset.objects.exists()


def test_the_list_reads_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    def dataset(n: int) -> CtdcDataset:
        return CtdcDataset.objects.create(label=f"CTDC {n}", source_name=f"ctdc-{n}.csv",
                                          sha256=f"{n:064d}", row_count=n,
                                          imported_by=cast.user("coordinator"))

    client = login(cast.user("researcher"))
    dataset(1)
    client.get(reverse("stats:reference"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("stats:reference"))
    for n in range(2, 7):
        dataset(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "CTDC 6" in client.get(reverse("stats:reference")).content.decode()
