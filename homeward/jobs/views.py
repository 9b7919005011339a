"""The list of background jobs, the page of one job, and the fragment that
refreshes it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from homeward.jobs.selectors import (
    job_get_for_user,
    job_kind,
    job_list_for_user,
    job_result_rows,
    schedule_rows,
    sees_schedules,
)

PAGE_SIZE = 50


def _context(request: HttpRequest, pk: int) -> dict[str, object]:
    job = job_get_for_user(user=request.user, pk=pk)
    return {"job": job, "kind": job_kind(job), "result_rows": job_result_rows(job)}


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Status, progress and result; refreshes itself while the job runs."""
    return render(request, "jobs/job_detail.html", _context(request, pk))


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment alone, polled by htmx."""
    response = render(request, "jobs/_job_status.html", _context(request, pk))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's background jobs; for site administrators and
    coordinators, also when the periodic jobs (reminders) run."""
    page = Paginator(job_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(job, job_kind(job)) for job in page.object_list]
    return render(request, "jobs/job_list.html", {
        "page": page, "rows": rows,
        "schedules": schedule_rows() if sees_schedules(request.user) else None,
    })
