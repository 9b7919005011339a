"""The hotline analysis pages and their export (coordinators and researchers).

Only aggregate counts, every one suppressed below k: no page here ever
names or shows a caller. Users without ``HOTLINE_ANALYSE`` in any
organisation get 403; the others see their own organisations' numbers.
Each export is audited (table, format, period — no data).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record
from homeward.hotline import analysis
from homeward.hotline.analysis import export
from homeward.hotline.analysis.suppression import min_cell_count
from homeward.hotline.forms_analysis import AnalysisFilterForm
from homeward.hotline.views_common import request_user

OVERVIEW_TABLES = ("over-time", "lines", "caller-types", "topics", "channels")
REGION_TABLES = ("caller-regions", "caller-cities", "destinations")
EXPORT_TABLES = (*OVERVIEW_TABLES, *REGION_TABLES, "campaigns")
FORMATS = ("csv", "xlsx")


def _organisations(user: User) -> QuerySet[Organisation]:
    """The user's analysing organisations; 403 when there are none."""
    organisations = analysis.analysis_organisations(user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _filters(request: HttpRequest) -> AnalysisFilterForm:
    form = AnalysisFilterForm(request.GET, organisations=_organisations(request_user(request)))
    form.is_valid()
    return form


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _page(request: HttpRequest, template: str, form: AnalysisFilterForm,
          **context: Any) -> HttpResponse:
    return render(request, template, {
        "form": form, "k": min_cell_count(), "query": _query_without(request, "table", "format"),
        "period": form.cleaned_data.get("period") if form.is_valid() else None,
        "scope": form.cleaned_data.get("scope") if form.is_valid() else None,
        **context,
    })


@login_required
@require_GET
def analysis_overview(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    result = None
    if form.is_valid():
        result = analysis.overview(form.cleaned_data["scope"], form.cleaned_data["period"])
    return _page(request, "hotline/analysis_overview.html", form, result=result)


@login_required
@require_GET
def analysis_regions(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    result = None
    if form.is_valid():
        result = analysis.regions(form.cleaned_data["scope"], form.cleaned_data["period"])
    return _page(request, "hotline/analysis_regions.html", form, result=result)


def _campaigns(form: AnalysisFilterForm) -> list[analysis.CampaignAnalysis]:
    data = form.cleaned_data
    return analysis.campaigns(data["scope"], data["period"], weeks_around=data["weeks"],
                              cities_only=data["cities_only"])


@login_required
@require_GET
def analysis_campaigns(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    result = _campaigns(form) if form.is_valid() else None
    return _page(request, "hotline/analysis_campaigns.html", form, result=result)


def _grid(name: str, form: AnalysisFilterForm) -> tuple[str, export.Grid]:
    scope, period = form.cleaned_data["scope"], form.cleaned_data["period"]
    if name in OVERVIEW_TABLES:
        overview = analysis.overview(scope, period)
        table = next(table for table in overview.tables if table.name == name)
        return table.title, export.table_grid(table)
    if name in REGION_TABLES:
        regions = analysis.regions(scope, period)
        ranking = next(ranking for ranking in regions.rankings if ranking.name == name)
        return ranking.title, export.ranking_grid(ranking)
    return _("Campaigns"), export.campaigns_grid(_campaigns(form))


@login_required
@require_GET
def analysis_export(request: HttpRequest) -> HttpResponse:
    """One table as CSV or XLSX, with the filters of the page (audited)."""
    user = request_user(request)
    form = _filters(request)
    name, file_format = request.GET.get("table", ""), request.GET.get("format", "csv")
    if name not in EXPORT_TABLES or file_format not in FORMATS or not form.is_valid():
        raise Http404
    title, grid = _grid(name, form)
    scope, period = form.cleaned_data["scope"], form.cleaned_data["period"]
    k = min_cell_count()
    preamble = [
        [str(title)],
        [_("Period"), f"{period.start.isoformat()} – {period.end.isoformat()}"],
        [_("Organisations"), scope.label],
        [_("Counts from 1 to %(below)s are shown as <%(k)s.") % {"below": k - 1, "k": k}],
    ]
    audit_record(
        action=Action.EXPORT, actor=user,
        organisation=scope.organisations[0] if len(scope.organisations) == 1 else None,
        target_type="hotline.analysis", target_id=name,
        detail={"table": name, "format": file_format, "from": period.start.isoformat(),
                "to": period.end.isoformat(), "grain": period.grain,
                "organisations": ",".join(org.code for org in scope.organisations),
                "line": scope.line.pk if scope.line is not None else None},
    )
    filename = f"hotline-{name}-{period.start.isoformat()}-{period.end.isoformat()}"
    if file_format == "csv":
        response = HttpResponse(export.to_csv(preamble, grid), content_type="text/csv")
    else:
        response = HttpResponse(
            export.to_xlsx(preamble, grid, title=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
