"""The main case pages: the list, the overview with its timeline, and the
export of the case file. Editing a case and what managers do with it are in
:mod:`homeward.cases.views_actions`.

Every case comes through the gate (404 for outsiders) and the role check
(403) of :func:`~homeward.cases.views_common.case_for`; every GET of a case
page is audited (:func:`~homeward.cases.views_common.case_page`). The list
shows case codes only, never a name.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.accounts.models import User
from homeward.cases import selectors, services, timeline
from homeward.cases.choices import (
    CLOSED_STATUSES,
    CaseKind,
    ConsentDecision,
    ConsentPurpose,
    ExploitationType,
    IdentityDocumentKind,
)
from homeward.cases.forms_cases import CaseFilterForm
from homeward.cases.forms_person import country_name, language_name
from homeward.cases.models import Case, MissingReport
from homeward.cases.selectors import CaseFilters
from homeward.cases.timeline import TimelineItem
from homeward.cases.views_common import case_for, case_page, refuse_unless, request_user
from homeward.core import access
from homeward.directory.models import Entry

PAGE_SIZE = 50


# --- the list --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseRow:
    case: Case
    minor: bool
    overdue: bool
    nationality: str


def _filter_choices(user: User) -> dict[str, Any]:
    """The filters' choices: the user's organisations and their case workers,
    and the countries seen in the cases the user may see."""
    organisations = selectors.case_organisations(user=user)
    nationalities, destinations = selectors.case_countries_for_user(user=user)
    return {
        "organisations": organisations,
        "assignees": selectors.case_workers_of(organisations=organisations),
        "nationalities": nationalities,
        "destinations": destinations,
    }


def _is_overdue(case: Case, today: datetime.date) -> bool:
    return (
        case.review_due_on is not None and case.review_due_on < today
        and case.status not in CLOSED_STATUSES
    )


def _query(filters: CaseFilters) -> str:
    """The filters as a query string for the page links (the status always:
    without it the list shows the open cases)."""
    values = {"status": filters.status}
    for name in ("q", "step", "kind", "organisation", "nationality", "destination"):
        if getattr(filters, name):
            values[name] = getattr(filters, name)
    if filters.assignee is not None:
        values["assignee"] = str(filters.assignee)
    if filters.minor is not None:
        values["minor"] = "yes" if filters.minor else "no"
    if filters.overdue:
        values["overdue"] = "on"
    if filters.urgent:
        values["urgent"] = "on"
    return urlencode(values)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, by code only; team members see their own."""
    user = request_user(request)
    refuse_unless(selectors.works_on_cases(user))
    bound = bool(set(request.GET) - {"page"})
    form = CaseFilterForm(
        request.GET if bound else None, initial={"status": "open"}, **_filter_choices(user)
    )
    filters = form.filters()
    cases = (
        selectors.case_list_for_user(user=user, filters=filters) if filters is not None
        else Case.objects.none()
    )
    # Page through the ids alone (a narrow, index-friendly scan even deep in
    # the list), then load the fifty rows of the page with their relations.
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    loaded = cases.in_bulk(list(page.object_list))
    page_cases = [loaded[pk] for pk in page.object_list if pk in loaded]
    today = timezone.localdate()
    rows = [
        CaseRow(
            case=case, minor=selectors.is_minor(case, today),
            overdue=_is_overdue(case, today),
            nationality=", ".join(country_name(c) for c in case.person.citizenship_list),
        )
        for case in page_cases
    ]
    return render(request, "cases/case_list.html", {
        "form": form, "page": page, "rows": rows,
        "query": _query(filters) if filters is not None else "",
        "searched": bound,
        "can_open": selectors.case_opening_organisations(user=user).exists(),
    })


# --- the overview ------------------------------------------------------------------


def case_timeline(user: User, case: Case) -> list[TimelineItem]:
    """The steps of the case with the other dated records merged in, newest first."""
    items = [
        TimelineItem(on=step.happened_on, kind="step", title=step.get_step_display(),
                     detail=step.notes, by=step.done_by)
        for step in case.steps.all()
    ]
    consents = access.for_user(user, case.consents.all()).select_related("organisation")
    for consent in consents.order_by("decided_on", "id"):
        title = _("Consent: %(purpose)s — %(decision)s") % {
            "purpose": consent.get_purpose_display(), "decision": consent.get_decision_display(),
        }
        if consent.organisation is not None:
            title += f" ({consent.organisation.name})"
        items.append(TimelineItem(on=consent.decided_on, kind="consent", title=title,
                                  by=consent.get_given_by_display()))
    for rescue in access.for_user(user, case.rescues.all()):
        items.append(TimelineItem(
            on=rescue.rescued_on or timezone.localdate(rescue.contacted_at), kind="rescue",
            title=_("Rescue: %(outcome)s") % {"outcome": rescue.get_outcome_display()},
            detail=", ".join(str(p) for p in (rescue.city, rescue.country.name) if p),
        ))
    for repatriation in access.for_user(user, case.repatriations.all()):
        if repatriation.arrival_on is not None:
            items.append(TimelineItem(
                on=repatriation.arrival_on, kind="arrival", title=_("Arrival home"),
                detail=repatriation.arrival_place,
            ))
    items.extend(timeline.contributed_items(user, case))
    order = {"step": 0, "rescue": 1, "arrival": 2, "consent": 3}
    # Records come oldest first; on the same day, the later one is listed first too.
    ranked = sorted(
        enumerate(items),
        key=lambda pair: (pair[1].on, -order.get(pair[1].kind, len(order)), pair[0]),
        reverse=True,
    )
    return [item for _index, item in ranked]


def _missing_report(case: Case) -> MissingReport | None:
    try:
        return case.missing_report
    except MissingReport.DoesNotExist:
        return None


def _visible_entry(user: User, entry_id: int | None) -> Entry | None:
    if entry_id is None:
        return None
    return access.for_user(user, Entry).filter(pk=entry_id).first()


def _overview(user: User, case: Case) -> dict[str, Any]:
    person = case.person
    today = timezone.localdate()
    kinds = dict(IdentityDocumentKind.choices)
    labels = dict(ExploitationType.choices)
    can_manage = selectors.can_manage_case(user, case)
    return {
        "person": person,
        "ages": person.age_range_on(today),
        "citizenships": [country_name(code) for code in person.citizenship_list],
        "languages": [language_name(code) for code in
                      (person.primary_language, person.secondary_language) if code],
        "documents": [(kinds.get(doc.get("kind", ""), doc.get("kind", "")), doc.get("number", ""))
                      for doc in person.identity_documents or [] if isinstance(doc, dict)],
        "phone_consent": selectors.consent_given(
            case=case, purpose=ConsentPurpose.PHONE_CONTACT
        ),
        "referring_entry": _visible_entry(user, case.referring_entry_id),
        "exploitation": [str(labels.get(value, value)) for value in case.exploitation_types],
        "overdue": _is_overdue(case, today),
        "timeline": case_timeline(user, case),
        "consents": selectors.consent_panel(case=case),
        "given": ConsentDecision.GIVEN,
        "team": case.assignments.filter(is_active=True).select_related("user"),
        "guardians": case.guardians.all(),
        "missing": _missing_report(case),
        "is_missing": case.kind == CaseKind.MISSING_PERSON,
        "is_closed": case.status in CLOSED_STATUSES,
        "next_steps": services.allowed_next_steps(case) if can_manage else [],
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    return case_page(request, user, case, tab="overview", template="cases/case_detail.html",
                     context=_overview(user, case))


@login_required
@require_GET
def case_export(request: HttpRequest, code: str) -> HttpResponse:
    """The case file as JSON (audited by the service); never cached."""
    user, case = case_for(request, code, need="manage")
    data = services.case_export(actor=user, case=case)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{case.code}.json") or ""
    )
    response["Cache-Control"] = "no-store"
    return response
