"""The statistical abstract page: a report reader asks for the abstract of a
period, follows its background job, and downloads the PDF (audited); an
abstract is its maker's alone."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.jobs.services import run_pending_jobs
from homeward.stats.models import Abstract

pytestmark = pytest.mark.django_db

PAGE = reverse("stats:abstract")
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-12-31", "language": "ru"}


def _download(abstract: Abstract) -> str:
    return reverse("stats:abstract-download", kwargs={"pk": abstract.pk})


def _finished(user: Any, **values: Any) -> Abstract:
    return Abstract.objects.create(
        created_by=user, language="en", pdf=b"%PDF-1.4 test", finished_at=timezone.now(),
        params={"filter": {"date_from": "2026-01-01", "date_to": "2026-12-31",
                           "organisations": []}, "k": 11},
        **values,
    )


@pytest.mark.parametrize("url", [PAGE, reverse("stats:abstract-download", kwargs={"pk": 1})])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.MEDICAL])
def test_refuses_roles_without_statistics(cast, login, role):
    client = login(cast.user(role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, PERIOD).status_code == 403
    assert not Abstract.objects.exists()


def test_requesting_an_abstract_starts_a_job_and_sends_the_user_to_it(cast, login):
    user = cast.user(Role.RESEARCHER)
    response = login(user).post(PAGE, PERIOD)
    made = Abstract.objects.get(created_by=user)
    assert made.job is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job-detail", kwargs={"pk": made.job.pk})
    assert made.language == "ru"


def test_refuses_a_bad_period_and_makes_nothing(cast, login):
    response = login(cast.user(Role.RESEARCHER)).post(
        PAGE, {**PERIOD, "date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert not Abstract.objects.exists()


def test_refuses_k_below_the_floor(cast, login):
    response = login(cast.user(Role.COORDINATOR)).post(PAGE, {**PERIOD, "min_cell": "1"})
    assert response.status_code == 200
    assert not Abstract.objects.exists()


def test_the_finished_abstract_downloads_as_a_pdf_and_is_audited(cast, login):
    user = cast.user(Role.COORDINATOR)
    client = login(user)
    client.post(PAGE, {**PERIOD, "organisations": cast.home.pk, "min_cell": "1"})
    run_pending_jobs()
    made = Abstract.objects.get(created_by=user)
    assert made.finished_at is not None
    page = client.get(PAGE).content.decode()
    assert _download(made) in page
    response = client.get(_download(made))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action=Action.EXPORT, actor_id=user.pk,
                                      target_type="stats.Abstract").latest("pk")
    assert entry.target_id == str(made.pk)
    assert entry.detail["language"] == "ru"
    assert entry.detail["organisations"] == str(cast.home.pk)
    assert entry.detail["k"] == 1
    assert entry.detail["basis"] == "registration"


def test_lists_my_abstracts_only(cast, login):
    mine = _finished(cast.user(Role.RESEARCHER))
    theirs = _finished(cast.user(Role.RESEARCHER, "away"))
    page = login(cast.user(Role.RESEARCHER)).get(PAGE).content.decode()
    assert _download(mine) in page
    assert _download(theirs) not in page


def test_another_readers_abstract_is_not_found(cast, login):
    theirs = _finished(cast.user(Role.COORDINATOR))
    reader = cast.user(Role.RESEARCHER)
    assert login(reader).get(_download(theirs)).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT, actor_id=reader.pk).exists()


def test_an_unfinished_abstract_cannot_be_downloaded(cast, login):
    user = cast.user(Role.RESEARCHER)
    waiting = Abstract.objects.create(created_by=user, language="en", params={})
    assert login(user).get(_download(waiting)).status_code == 404


def test_the_index_panel_requests_the_abstract_in_one_click(cast, login):
    user = cast.user(Role.RESEARCHER)
    client = login(user)
    index = client.get(reverse("stats:index")).content.decode()
    assert f'action="{PAGE}"' in index
    today = timezone.localdate()
    client.post(PAGE, {"date_from": datetime.date(today.year, 1, 1).isoformat(),
                       "date_to": today.isoformat(), "language": "en"})
    assert Abstract.objects.filter(created_by=user, language="en").exists()
