"""The Reintegration landing page, and the coordinators' totals and overdue
monitoring list.

The landing is for those who work on reintegration or referrals
(reintegration workers, case workers, coordinators): their due monitoring
reports, plans due for review and referrals waiting for an answer — by
case code, never by name. The totals and the overdue list are for
coordinators (``reintegration.manage``); the totals' CSV download is
audited as an export.

The questionnaire editor is in :mod:`views_manage_questionnaire`, the
catalogue, programmes and donors in :mod:`views_manage_catalogue`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.accounts.models import User
from homeward.cases.views_common import refuse_unless, request_user
from homeward.reintegration import selectors_assistance, selectors_monitoring, selectors_work
from homeward.reintegration.choices import ReferralStatus
from homeward.reintegration.forms_manage import GROUP_BY_CHOICES, TotalsForm
from homeward.reintegration.models import MonitoringReport
from homeward.reintegration.selectors import may_manage, may_receive
from homeward.reintegration.selectors_referrals import incoming_queue
from homeward.reintegration.services import assistance as services

# Plans whose review falls within this many days show on the landing page.
REVIEW_SOON_DAYS = 7
LANDING_ROWS = 20
# Overdue reports a page (a network's backlog can run to hundreds).
OVERDUE_PAGE_SIZE = 100


def require_manager(user: User) -> None:
    """Coordinators only (403 for other members)."""
    refuse_unless(may_manage(user))


def show_refusal(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal as a message above the page it redirects to."""
    for message in error.messages:
        messages.error(request, message)


# --- the landing page --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DueRow:
    report: MonitoringReport
    days_overdue: int


def _due_rows(reports: Iterable[MonitoringReport], today: datetime.date) -> list[DueRow]:
    return [
        DueRow(report=report, days_overdue=max((today - report.due_on).days, 0))
        for report in reports
    ]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    manager = may_manage(user)
    refuse_unless(manager or may_receive(user))
    today = timezone.localdate()
    context: dict[str, Any] = {
        "today": today,
        "manager": manager,
        "due": _due_rows(selectors_monitoring.my_due_reports(user=user)[:LANDING_ROWS], today),
        "plans": list(selectors_work.plans_due_for_review(
            user=user, on=today + datetime.timedelta(days=REVIEW_SOON_DAYS))[:LANDING_ROWS]),
        "incoming": list(
            incoming_queue(user=user, status=ReferralStatus.PENDING)[:LANDING_ROWS]
        ),
        "overdue_count": selectors_monitoring.overdue_reports(user=user).count()
        if manager else 0,
    }
    return render(request, "reintegration/home.html", context)


# --- totals ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TotalLine:
    label: str
    currency: str
    granted: Decimal
    paid: Decimal
    balance: Decimal
    entries: int


def _lines(rows: list[Any]) -> list[TotalLine]:
    return [
        TotalLine(label=str(row.label), currency=str(row.currency), granted=row.granted,
                  paid=row.paid, balance=row.granted - row.paid, entries=int(row.entries))
        for row in rows
    ]


def _text_cell(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(lines: list[TotalLine], group_label: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([group_label, _("Currency"), _("Granted"), _("Paid"), _("Balance"),
                     _("Entries")])
    for line in lines:
        writer.writerow([
            _text_cell(line.label), line.currency, f"{line.granted:.2f}", f"{line.paid:.2f}",
            f"{line.balance:.2f}", line.entries,
        ])
    return buffer.getvalue()


@login_required
@require_GET
def totals(request: HttpRequest) -> HttpResponse:
    """Granted and paid amounts per programme, donor, month, year or kind,
    per currency (never converted), over the organisations the coordinator
    manages; ``?format=csv`` downloads the table."""
    user = request_user(request)
    require_manager(user)
    form = TotalsForm(request.GET or None)
    filters = form.filters()
    lines = _lines(selectors_assistance.totals(user=user, **filters)) if filters else []
    group_by = filters["group_by"] if filters else "programme"
    group_label = str(dict(GROUP_BY_CHOICES)[group_by])
    if filters and request.GET.get("format") == "csv":
        services.totals_export_record(actor=user, rows=len(lines), **filters)
        response = HttpResponse(_csv(lines, group_label), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="homeward-assistance-{group_by}-{stamp}.csv"'
        )
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "reintegration/totals.html", {
        "form": form, "lines": lines, "group_label": group_label, "valid": bool(filters),
        "csv_query": query.urlencode(),
    })


# --- overdue monitoring ------------------------------------------------------------------


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """Monitoring reports past their due date, in the organisations the
    coordinator manages (as the monitoring organisation or the case's):
    case code, monitoring organisation, due date, days overdue, assignee."""
    user = request_user(request)
    require_manager(user)
    today = timezone.localdate()
    page = Paginator(selectors_monitoring.overdue_reports(user=user).order_by("due_on", "pk"),
                     OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _due_rows(page.object_list, today)
    return render(request, "reintegration/overdue.html",
                  {"rows": rows, "today": today, "page": page})
