"""Pages of the differentially private releases: the list with the privacy
budgets, a new release (coordinators), one release and its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from homeward.stats import reports, scope, selectors
from homeward.stats.choices import Format, Labels, Mechanism
from homeward.stats.display import chart_data, column_lines, row_lines
from homeward.stats.filters import ReportFilter
from homeward.stats.forms_releases import ReleaseForm
from homeward.stats.models import Release
from homeward.stats.reports import Report
from homeward.stats.services.releases import release_create as create_release
from homeward.stats.services.releases import release_export, release_view

DOWNLOADS = (Format.CSV, Format.XLSX)


def _report_of(release: Release) -> Report:
    try:
        return reports.get(release.report)
    except KeyError:
        raise Http404 from None


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    """The releases the user may see and the privacy budgets of the datasets
    they count."""
    user = scope.require_viewer(request.user)
    releases = list(selectors.release_list_for_user(user=user)[:200])
    return render(request, "stats/release_list.html", {
        "releases": [(release, _title(release.report)) for release in releases],
        "budgets": selectors.budget_list_for_user(user=user),
        "may_publish": scope.may_publish(user),
    })


def _title(name: str) -> str:
    try:
        return str(reports.get(name).title)
    except KeyError:
        return name


@login_required
@require_http_methods(["GET", "POST"])
def release_create(request: HttpRequest) -> HttpResponse:
    """A new release (coordinators): spends ε from every dataset counted."""
    user = scope.require_viewer(request.user)
    if not scope.may_publish(user):
        raise PermissionDenied
    form = ReleaseForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            release = create_release(
                actor=user, report=form.report_spec(), filter=form.report_filter(),
                epsilon=form.cleaned_data["epsilon"],
                mechanism=form.cleaned_data["mechanism"],
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("stats:release-detail", pk=release.pk)
    return render(request, "stats/release_create.html", {
        "form": form, "budgets": selectors.budget_list_for_user(user=user),
    })


@login_required
@require_GET
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One release: the noisy table, clearly labelled, with its chart."""
    user = scope.require_viewer(request.user)
    release = selectors.release_get_for_user(user=user, pk=pk)
    report = _report_of(release)
    table = release_view(actor=user, release=release)
    return render(request, "stats/release_detail.html", {
        "release": release, "report": report, "table": table,
        "rows": row_lines(table, report), "columns": column_lines(table, report),
        "chart": chart_data(table, report),
        "filter": ReportFilter.from_params(release.params),
        "organisations": list(release.organisations.all()),
        "mechanism": Mechanism(release.mechanism).label
        if release.mechanism in Mechanism.values else release.mechanism,
        "downloads": [(fmt.label, fmt.value) for fmt in DOWNLOADS],
    })


@login_required
@require_GET
def release_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A release as CSV or XLSX (``?format=``), audited as an export."""
    user = scope.require_viewer(request.user)
    release = selectors.release_get_for_user(user=user, pk=pk)
    report = _report_of(release)
    fmt = request.GET.get("format", Format.CSV)
    labels = request.GET.get("labels") or (Labels.NAMES if fmt == Format.XLSX else Labels.CODES)
    if fmt not in DOWNLOADS or labels not in Labels.values:
        raise Http404
    download = release_export(actor=user, release=release, report=report, fmt=fmt,
                              labels=labels, language=(get_language() or "en")[:2])
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
