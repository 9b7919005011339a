"""Pages of the differentially private releases: the list with the privacy
budgets, a new release (coordinators), one release and its downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.audit.services import Action, audit_record
from homeward.stats import reports, scope, selectors
from homeward.stats.choices import Format, Labels, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.forms_releases import ReleaseForm
from homeward.stats.models import Release
from homeward.stats.publication import release_table
from homeward.stats.reports import Report
from homeward.stats.services.releases import release_create as create_release
from homeward.stats.tables import Cell, Table

DOWNLOADS = (Format.CSV, Format.XLSX)


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not scope.may_view(user):
        raise PermissionDenied
    return user


def _report_of(release: Release) -> Report:
    try:
        return reports.get(release.report)
    except KeyError:
        raise Http404 from None


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Cell]
    total: Cell


def _lines(table: Table, report: Report) -> tuple[list[Line], list[Line]]:
    rows = [
        Line(label=report.rows.label(row),
             cells=[table.cell(row, column) for column in table.columns],
             total=table.row_totals[row])
        for row in table.rows
    ]
    columns = [
        Line(label=report.columns.label(column), cells=[], total=table.column_totals[column])
        for column in table.columns
    ]
    return rows, columns


def _chart(table: Table, report: Report) -> dict[str, Any]:
    """What ``report-chart.js`` draws (a bar per row; a segment per column
    for stacked reports)."""
    labels = [report.rows.label(row) for row in table.rows]
    if report.chart == "stacked" and len(table.columns) > 1:
        series = [
            {"label": report.columns.label(column),
             "values": [table.cell(row, column).value for row in table.rows]}
            for column in table.columns
        ]
    else:
        series = [{"label": str(report.unit),
                   "values": [table.row_totals[row].value for row in table.rows]}]
    return {"kind": report.chart, "labels": labels, "series": series}


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    """The releases the user may see and the privacy budgets of the datasets
    they count."""
    user = _viewer(request)
    releases = list(selectors.release_list_for_user(user=user)[:200])
    return render(request, "stats/release_list.html", {
        "releases": [(release, _title(release.report)) for release in releases],
        "budgets": selectors.budget_list_for_user(user),
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
    user = _viewer(request)
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
        "form": form, "budgets": selectors.budget_list_for_user(user),
    })


@login_required
@require_GET
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One release: the noisy table, clearly labelled, with its chart."""
    user = _viewer(request)
    release = selectors.release_get_for_user(user=user, pk=pk)
    report = _report_of(release)
    table = release_table(release)
    rows, columns = _lines(table, report)
    return render(request, "stats/release_detail.html", {
        "release": release, "report": report, "table": table,
        "rows": rows, "columns": columns, "chart": _chart(table, report),
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
    user = _viewer(request)
    release = selectors.release_get_for_user(user=user, pk=pk)
    report = _report_of(release)
    fmt = request.GET.get("format", Format.CSV)
    labels = request.GET.get("labels") or (Labels.NAMES if fmt == Format.XLSX else Labels.CODES)
    if fmt not in DOWNLOADS or labels not in Labels.values:
        raise Http404
    from homeward.stats import render as output

    table = release_table(release)
    report_filter = ReportFilter.from_params(release.params)
    if fmt == Format.XLSX:
        content = output.table_xlsx(table, report, labels=labels, filter=report_filter)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = output.table_csv(table, report, labels=labels)
        content_type = "text/csv; charset=utf-8"
    with transaction.atomic():
        audit_record(
            action=Action.EXPORT, actor=user, target=release,
            organisation=release.organisations.order_by("code").first(),
            detail={"report": release.report, "release": release.pk, "format": fmt,
                    "labels": labels, "epsilon": str(release.epsilon),
                    "mechanism": release.mechanism},
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="release-{release.pk}-{release.report}.{fmt}"'
    )
    return response
