"""The statistical abstract: requested, made in the background, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from homeward.accounts.models import Membership
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs
from homeward.stats.choices import Family
from homeward.stats.filters import ReportFilter
from homeward.stats.models import Abstract
from homeward.stats.services.abstracts import (
    ABSTRACT,
    abstract_make,
    abstract_reports,
    abstract_request,
)

pytestmark = pytest.mark.django_db


def stats_abstract_of(abstract: Abstract) -> Q:
    """The job that makes ``abstract``."""
    return Q(kind=ABSTRACT, params__abstract=abstract.pk)


def year_filter(cast) -> ReportFilter:
    return ReportFilter(organisations=(cast.home.pk,), date_from=datetime.date(2026, 1, 1),
                        date_to=datetime.date(2026, 12, 31))


def test_request_keeps_the_filter_and_k_queues_the_job_and_audits(cast) -> None:
    researcher = cast.user("researcher")

    abstract = abstract_request(actor=researcher, filter=year_filter(cast), language="ru", k=11)

    assert abstract.created_by == researcher
    assert abstract.language == "ru"
    assert abstract.params == {"filter": year_filter(cast).params(), "k": 11}
    assert abstract.job is not None
    assert abstract.job.kind == ABSTRACT
    assert abstract.job.params == {"abstract": abstract.pk}
    entry = AuditEntry.objects.get(action=Action.CREATE, target_type="stats.Abstract")
    assert entry.target_id == str(abstract.pk)
    assert entry.detail["k"] == 11
    assert entry.detail["language"] == "ru"


def test_request_below_the_readers_k_floor_is_refused(cast) -> None:
    with pytest.raises(PermissionDenied):
        abstract_request(actor=cast.user("researcher"), filter=year_filter(cast), language="en",
                         k=1)

    assert not Abstract.objects.exists()
    assert not Job.objects.exists()


def test_request_in_an_unknown_language_is_invalid(cast) -> None:
    with pytest.raises(ValidationError):
        abstract_request(actor=cast.user("coordinator"), filter=year_filter(cast), language="de",
                         k=11)


def test_the_abstract_covers_every_report_but_the_ctdc_reference_data() -> None:
    names = {report.name for report in abstract_reports()}

    assert "nationality-by-destination" in names
    assert "shelter-occupancy" in names
    assert all(report.family != Family.CTDC for report in abstract_reports())


def test_the_job_makes_the_pdf_keeps_it_and_audits_the_export(cast) -> None:
    for _n in range(2):
        open_case(cast, opened_on=datetime.date(2026, 3, 1), destination_country="TR")
    coordinator = cast.user("coordinator")
    abstract = abstract_request(actor=coordinator, filter=year_filter(cast), language="ru", k=1)

    run_pending_jobs()

    abstract.refresh_from_db()
    job = Job.objects.get(stats_abstract_of(abstract))
    assert job.status == JobStatus.DONE, job.message
    assert job.result["reports"] == len(abstract_reports())
    assert bytes(abstract.pdf).startswith(b"%PDF")
    assert abstract.finished_at is not None
    entry = AuditEntry.objects.get(action=Action.EXPORT, target_type="stats.Abstract")
    assert entry.actor_id == coordinator.pk
    assert entry.detail["format"] == "pdf"
    assert entry.detail["k"] == 1
    assert entry.detail["reports"] == len(abstract_reports())


def test_progress_runs_to_the_end(cast) -> None:
    abstract = abstract_request(actor=cast.user("researcher"), filter=year_filter(cast),
                                language="en", k=11)
    calls: list[tuple[int, int]] = []

    abstract_make(abstract=abstract, progress=lambda done, total: calls.append((done, total)))

    total = 2 * len(abstract_reports()) + 1
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_the_job_makes_nothing_when_the_maker_lost_the_right_to_that_k(cast) -> None:
    coordinator = cast.user("coordinator")
    abstract = abstract_request(actor=coordinator, filter=year_filter(cast), language="en", k=1)
    Membership.objects.filter(user=coordinator).update(is_active=False)

    run_pending_jobs()

    abstract.refresh_from_db()
    assert Job.objects.get(stats_abstract_of(abstract)).status == JobStatus.FAILED
    assert not abstract.pdf
    assert abstract.finished_at is None
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
