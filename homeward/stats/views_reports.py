"""The report pages, their downloads and the statistical abstract.

For coordinators and researchers (``scope.may_view``); every other role and
the site administrator get 403. Figures only: every table comes from
``services.figures`` (suppressed, audited as VIEW or EXPORT) — no page here
ever names or links a case. An abstract is its maker's (others: 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.core import access
from homeward.stats import reports, scope
from homeward.stats.choices import Family, Format, Labels
from homeward.stats.display import chart_data, column_lines, row_lines
from homeward.stats.filters import ReportFilter
from homeward.stats.forms import AbstractForm, FilterForm
from homeward.stats.models import Abstract
from homeward.stats.reports import Report
from homeward.stats.services import abstracts, figures

DOWNLOAD_FORMATS = (Format.CSV, Format.XLSX, Format.PDF)
# Spreadsheets and PDFs are read by people: names unless codes are asked for;
# CSV is read by programs: codes unless names are asked for.
DEFAULT_LABELS = {Format.CSV: Labels.CODES, Format.XLSX: Labels.NAMES, Format.PDF: Labels.NAMES}
# The query parameters that are no filter (dropped from the links a page builds).
NOT_FILTERS = ("format", "labels", "language")
RECENT_ABSTRACTS = 20


def _report(name: str) -> Report:
    try:
        return reports.get(name)
    except KeyError:
        raise Http404 from None


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    return query.urlencode()


def _families() -> list[tuple[str, list[Report]]]:
    return [(str(label), found) for family, label in Family.choices
            if (found := reports.all_reports(family))]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The reports by family, the abstract panel and the other statistics pages."""
    user = scope.require_viewer(request.user)
    return render(request, "stats/index.html", {
        "families": _families(),
        "abstract_form": AbstractForm(user=user),
        "may_publish": scope.may_publish(user),
    })


@login_required
@require_GET
def report_detail(request: HttpRequest, name: str) -> HttpResponse:
    """One report: filters, chart, table with percentages, method, downloads."""
    user = scope.require_viewer(request.user)
    report = _report(name)
    form = FilterForm(request.GET, user=user, report=report)
    table = None
    if form.is_valid():
        table = figures.figures_view(actor=user, report=report, filter=form.report_filter(),
                                     k=form.min_cell())
    context: dict[str, Any] = {"report": report, "form": form, "table": table,
                               "query": _query(request)}
    if table is not None:
        context.update({
            "rows": row_lines(table, report), "columns": column_lines(table, report),
            "chart": chart_data(table, report),
            "downloads": [(fmt.label, fmt.value) for fmt in DOWNLOAD_FORMATS],
            "counted": form.cleaned_data.get("organisations") or list(form.countable),
        })
    return render(request, "stats/report_detail.html", context)


@login_required
@require_GET
def report_download(request: HttpRequest, name: str) -> HttpResponse:
    """One report as CSV, XLSX or PDF with the page's filters (audited)."""
    user = scope.require_viewer(request.user)
    report = _report(name)
    fmt = request.GET.get("format", Format.CSV)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    labels = request.GET.get("labels") or DEFAULT_LABELS[Format(fmt)]
    if labels not in Labels.values:
        raise Http404
    language = request.GET.get("language") or (get_language() or "en")[:2]
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise Http404
    form = FilterForm(request.GET, user=user, report=report)
    if not form.is_valid():
        raise Http404
    download = figures.figures_export(
        actor=user, report=report, filter=form.report_filter(), k=form.min_cell(),
        fmt=fmt, labels=labels, language=language,
    )
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


# --- the statistical abstract -----------------------------------------------------------


@dataclass(frozen=True)
class AbstractRow:
    abstract: Abstract
    filter: ReportFilter | None
    status: str
    ready: bool


def _abstract_filter(abstract: Abstract) -> ReportFilter | None:
    try:
        return abstracts.abstract_filter(abstract)[0]
    except (TypeError, ValueError):
        return None


def _abstract_rows(user: User) -> list[AbstractRow]:
    # The PDFs stay in the database: the job stores the PDF and the finishing
    # time together.
    found = access.for_user(user, Abstract).select_related("job").defer("pdf")
    rows = []
    for abstract in found[:RECENT_ABSTRACTS]:
        ready = abstract.finished_at is not None
        if abstract.job is not None:
            status = abstract.job.get_status_display()
        else:
            status = _("Ready") if ready else _("Waiting")
        rows.append(AbstractRow(abstract=abstract, filter=_abstract_filter(abstract),
                                status=str(status), ready=ready))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def abstract(request: HttpRequest) -> HttpResponse:
    """GET: the abstract's form and my abstracts; POST: make one in the
    background and follow its job."""
    user = scope.require_viewer(request.user)
    form = AbstractForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        made = abstracts.abstract_request(
            actor=user, filter=form.report_filter(), language=form.cleaned_data["language"],
            k=form.min_cell(),
        )
        if made.job_id is not None:
            return redirect("jobs:job-detail", pk=made.job_id)
        return redirect("stats:abstract")
    return render(request, "stats/abstract.html", {
        "form": form, "abstracts": _abstract_rows(user),
    })


@login_required
@require_GET
def abstract_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A finished abstract's PDF, for its maker (audited)."""
    user = scope.require_viewer(request.user)
    made = access.get_for_user(user, Abstract, pk=pk)
    try:
        download = abstracts.abstract_export(actor=user, abstract=made)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
