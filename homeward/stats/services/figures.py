"""The audited way out for report figures: every page, download, API answer
and command-line table is published here.

``figures_view`` publishes a report (suppressed with ``k``) for reading on a
page or through the API and records a VIEW; ``figures_export`` renders it as
a file and records an EXPORT with every parameter (report, filter, k,
format, labels, language, how many figures were hidden). Both refuse a k
below what the reader may use (``scope.min_cell_floor``: 1 only for the
command line and for coordinators of every counted organisation) and any
organisation whose figures the reader does not count.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from homeward.audit.services import Action, audit_record
from homeward.stats import publication, render, scope
from homeward.stats.choices import Format, Labels
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report
from homeward.stats.tables import Table

TARGET_TYPE = "stats.report"


def figures_check(*, actor: Any, filter: ReportFilter, k: int) -> None:
    """Refuse what ``actor`` may not publish: k below 1 (ValidationError), k
    below the actor's floor, or an organisation whose figures the actor does
    not count (PermissionDenied). ``actor`` None is the command line."""
    if k < 1:
        raise ValidationError(_("k must be at least 1."), code="min_cell")
    if actor is not None:
        if not scope.may_view(actor):
            raise PermissionDenied(_("You may not open the statistics."))
        counted = set(scope.report_organisations(actor).values_list("pk", flat=True))
        if set(filter.organisations) - counted:
            raise PermissionDenied(
                _("You do not count the figures of every organisation asked for.")
            )
    floor = scope.min_cell_floor(actor, filter.organisations)
    if k < floor:
        raise PermissionDenied(
            _("Figures below %(k)s must be suppressed: only coordinators of every counted "
              "organisation may publish them with a smaller k.") % {"k": floor}
        )


def audit_detail(
    *, name: str, filter: ReportFilter, k: int, table: Table | None = None,
    source: str, **extra: str | int | bool | None,
) -> dict[str, str | int | bool | None]:
    """The flat audit detail of a publication: the report's ``name``, every
    filter setting, k, and what was hidden (never a figure)."""
    params = filter.params()
    detail: dict[str, str | int | bool | None] = {
        "report": name,
        "source": source,
        "k": k,
        "organisations": ",".join(str(pk) for pk in params.pop("organisations")),
    }
    for key, value in params.items():
        detail[key] = value if value is None or isinstance(value, str | int | bool) else str(value)
    if table is not None:
        detail["suppressed"] = table.suppressed
        detail["rows"] = len(table.rows)
    detail.update(extra)
    return detail


def _source(actor: Any, source: str | None) -> str:
    if source:
        return source
    return "cli" if actor is None else "web"


@transaction.atomic
def figures_view(
    *, actor: Any, report: Report, filter: ReportFilter, k: int, source: str | None = None,
) -> Table:
    """``report`` under ``filter`` suppressed with ``k``, for reading;
    audited as VIEW. Raises as :func:`figures_check`."""
    figures_check(actor=actor, filter=filter, k=k)
    table = publication.publish(report=report, filter=filter, k=k)
    audit_record(
        action=Action.VIEW, actor=actor, target_type=TARGET_TYPE, target_id=report.name,
        detail=audit_detail(name=report.name, filter=filter, k=k, table=table,
                            source=_source(actor, source)),
    )
    return table


def render_download(
    *, table: Table, report: Report, filter: ReportFilter, fmt: str, labels: str,
    language: str,
) -> render.Download:
    """``table`` as a file of format ``fmt`` in ``language`` (no audit)."""
    if fmt not in Format.values:
        raise ValidationError(_("Unknown format: %(format)s.") % {"format": fmt}, code="format")
    if labels not in Labels.values:
        raise ValidationError(_("Unknown labels: %(labels)s.") % {"labels": labels},
                              code="labels")
    with translation.override(language):
        if fmt == Format.CSV:
            content = render.table_csv(table, report, labels=labels)
        elif fmt == Format.JSON:
            content = render.table_json(table, report, labels=labels, filter=filter)
        elif fmt == Format.XLSX:
            content = render.table_xlsx(table, report, labels=labels, filter=filter)
        else:
            from homeward.stats.pdf import report_pdf

            content = report_pdf(table, report, filter, language)
    return render.Download(
        content=content, filename=render.filename(report, filter, fmt),
        content_type=render.CONTENT_TYPES[fmt],
    )


@transaction.atomic
def figures_export(
    *, actor: Any, report: Report, filter: ReportFilter, k: int, fmt: str, labels: str,
    language: str, source: str | None = None,
) -> render.Download:
    """``report`` under ``filter`` suppressed with ``k`` as a CSV, JSON, XLSX
    or PDF file; audited as EXPORT with every parameter. Raises as
    :func:`figures_check`, and ValidationError for an unknown format."""
    figures_check(actor=actor, filter=filter, k=k)
    table = publication.publish(report=report, filter=filter, k=k)
    download = render_download(table=table, report=report, filter=filter, fmt=fmt,
                               labels=labels, language=language)
    audit_record(
        action=Action.EXPORT, actor=actor, target_type=TARGET_TYPE, target_id=report.name,
        detail=audit_detail(name=report.name, filter=filter, k=k, table=table,
                            source=_source(actor, source), format=fmt, labels=labels,
                            language=language),
    )
    return download
