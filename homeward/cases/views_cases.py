"""The main case pages: the list, the overview, editing the case and its
person, and what managers do with a case (advance, close, reopen, found,
team, export).

Every case comes through the gate (404 for outsiders) and the role check
(403) of :func:`~homeward.cases.views_common.case_for`; every GET of a case
page is audited (:func:`~homeward.cases.views_common.case_page_context`).
Every write is one service call; a refusal is shown on the form and nothing
is changed. The list shows case codes only, never a name.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import (
    CLOSED_STATUSES,
    CaseKind,
    ConsentDecision,
    ConsentPurpose,
    ExploitationType,
    IdentityDocumentKind,
)
from homeward.cases.errors import EditConflict, FieldChange
from homeward.cases.forms_cases import (
    AdvanceForm,
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CloseForm,
    FoundForm,
    MissingReportForm,
    PersonEditForm,
    ReopenForm,
    add_service_errors,
    case_initial,
    country_name,
    language_name,
    missing_initial,
    person_initial,
)
from homeward.cases.models import Case, CaseAssignment, MissingReport
from homeward.cases.selectors import CaseFilters
from homeward.cases.views_common import case_for, case_page_context, refuse_unless, request_user
from homeward.core import access
from homeward.directory.models import Entry
from homeward.directory.selectors import entry_list_for_user

GET_POST = ["GET", "POST"]
PAGE_SIZE = 50


def _detail_url(case: Case) -> str:
    return reverse("cases:case-detail", kwargs={"code": case.code})


def _page(
    request: HttpRequest, user: User, case: Case, template: str, context: dict[str, Any],
    *, audit: bool | None = None,
) -> HttpResponse:
    """A page of the case (overview tab); GETs are audited, and re-renders
    that show what the case holds now (an edit conflict)."""
    page = case_page_context(
        user, case, tab="overview", audit=request.method == "GET" if audit is None else audit
    )
    page.update(context)
    return render(request, template, page)


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


@dataclasses.dataclass(frozen=True)
class TimelineItem:
    on: datetime.date
    kind: str  # step, consent, rescue, arrival
    title: str
    detail: str = ""
    by: str = ""


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
    order = {"step": 0, "rescue": 1, "arrival": 2, "consent": 3}
    # Records come oldest first; on the same day, the later one is listed first too.
    ranked = sorted(
        enumerate(items), key=lambda pair: (pair[1].on, -order[pair[1].kind], pair[0]),
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
    return _page(request, user, case, "cases/case_detail.html", _overview(user, case))


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


# --- editing with optimistic locking ------------------------------------------------


def _with_version(data: QueryDict, version: int) -> QueryDict:
    """The user's input, based on the version that is now current."""
    rebased = data.copy()
    rebased["version"] = str(version)
    return rebased


def _edit_page(
    request: HttpRequest, *, code: str, make_form: Callable[[Case, QueryDict | None], forms.Form],
    save: Callable[[User, Case, forms.Form], Any], template_context: dict[str, Any],
    success: str,
) -> HttpResponse:
    """GET shows the form; POST saves through ``save`` or, when someone else
    saved first, shows their changes and the form again on the new version."""
    user, case = case_for(request, code, need="manage")
    form = make_form(case, request.POST if request.method == "POST" else None)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            save(user, case, form)
        except EditConflict as exc:
            conflict = exc
            case = selectors.case_get_for_user(user=user, code=code)
            form = make_form(case, _with_version(request.POST, exc.version))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(_detail_url(case))
    changes: list[FieldChange] = conflict.changes if conflict is not None else []
    return _page(request, user, case, "cases/case_edit.html", {
        **template_context, "form": form, "conflict": conflict, "changes": changes,
    }, audit=request.method == "GET" or conflict is not None)


@login_required
@require_http_methods(GET_POST)
def case_edit(request: HttpRequest, code: str) -> HttpResponse:
    def make_form(case: Case, data: QueryDict | None) -> forms.Form:
        user = request_user(request)
        return CaseEditForm(
            data, initial=case_initial(case), owners=selectors.lead_choices(case=case),
            entries=entry_list_for_user(user=user).prefetch_related(None),
            current_entry_id=case.referring_entry_id,
        )

    def save(user: User, case: Case, form: forms.Form) -> None:
        assert isinstance(form, CaseEditForm)  # noqa: S101
        services.case_update(
            actor=user, case=case, expected_version=form.cleaned_data["version"],
            **form.case_values(),
        )

    return _edit_page(
        request, code=code, make_form=make_form, save=save,
        template_context={
            "heading": _("Edit the case"),
            "conflict_title": _("Someone else saved this case while you were editing"),
        },
        success=_("The case was saved."),
    )


@login_required
@require_http_methods(GET_POST)
def person_edit(request: HttpRequest, code: str) -> HttpResponse:
    def make_form(case: Case, data: QueryDict | None) -> forms.Form:
        return PersonEditForm(data, initial=person_initial(case.person))

    def save(user: User, case: Case, form: forms.Form) -> None:
        assert isinstance(form, PersonEditForm)  # noqa: S101
        services.person_update(
            actor=user, person=case.person, expected_version=form.cleaned_data["version"],
            **form.person_values(),
        )

    return _edit_page(
        request, code=code, make_form=make_form, save=save,
        template_context={
            "heading": _("Edit the person"),
            "conflict_title": _("Someone else saved this person's details while you were "
                                "editing"),
        },
        success=_("The person's details were saved."),
    )


# --- actions -----------------------------------------------------------------------


def _action_page(
    request: HttpRequest, user: User, case: Case, form: forms.Form, *, heading: str,
    submit: str, intro: str = "", refusal: str = "", links: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    return _page(request, user, case, "cases/case_action.html", {
        "form": form, "heading": heading, "submit_label": submit, "intro": intro,
        "refusal": refusal, "cancel_url": _detail_url(case), "links": links or [],
    })


def _no_step_reason(case: Case) -> str:
    if case.status in CLOSED_STATUSES:
        return _("The case is closed. Reopen it first.")
    if case.kind == CaseKind.MISSING_PERSON:
        return _("The person is still missing. Mark them as found before moving the case on.")
    return _("This is the last step of the path. Close the case when the work is done.")


@login_required
@require_http_methods(GET_POST)
def case_advance(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    steps = services.allowed_next_steps(case)
    form = AdvanceForm(request.POST or None, steps=steps)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_advance(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case moved to its next step."))
            return HttpResponseRedirect(_detail_url(case))
    return _action_page(
        request, user, case, form, heading=_("Move the case to its next step"),
        submit=_("Move on"), refusal="" if steps else _no_step_reason(case),
        intro=_("Repatriation, rehabilitation, reintegration and monitoring need the "
                "person's consent to assistance."),
        links=[] if selectors.consent_given(case=case, purpose=ConsentPurpose.ASSISTANCE) else [(
            reverse("cases:consent-create", kwargs={"code": case.code})
            + f"?purpose={ConsentPurpose.ASSISTANCE}",
            _("Record the consent to assistance"),
        )],
    )


@login_required
@require_http_methods(GET_POST)
def case_close(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = CloseForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case was closed."))
            return HttpResponseRedirect(_detail_url(case))
    return _action_page(
        request, user, case, form, heading=_("Close the case"), submit=_("Close the case"),
        refusal=_("The case is already closed.") if case.status in CLOSED_STATUSES else "",
        intro=_("A person keeps the right to come back for help: a closed case can be "
                "reopened."),
    )


@login_required
@require_http_methods(GET_POST)
def case_reopen(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case was reopened."))
            return HttpResponseRedirect(_detail_url(case))
    return _action_page(
        request, user, case, form, heading=_("Reopen the case"), submit=_("Reopen"),
        refusal="" if case.status in CLOSED_STATUSES else _("Only a closed case can be reopened."),
        intro=_("The case starts again at identification."),
    )


@login_required
@require_http_methods(GET_POST)
def case_found(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = FoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_person_found(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person was found: this is now a victim case."))
            return HttpResponseRedirect(_detail_url(case))
    return _action_page(
        request, user, case, form, heading=_("Mark the person as found"),
        submit=_("Mark as found"),
        refusal="" if case.kind == CaseKind.MISSING_PERSON
        else _("This is not a missing-person case."),
        intro=_("The case becomes a victim case; the missing-person report is kept."),
    )


@login_required
@require_http_methods(GET_POST)
def missing_edit(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    report = access.get_for_user(user, MissingReport, case=case)
    form = MissingReportForm(request.POST or None, initial=missing_initial(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_report_update(actor=user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The missing-person report was saved."))
            return HttpResponseRedirect(_detail_url(case))
    return _action_page(
        request, user, case, form, heading=_("Edit the missing-person report"),
        submit=_("Save"),
    )


# --- the team ----------------------------------------------------------------------


def _team_url(case: Case) -> str:
    return reverse("cases:team", kwargs={"code": case.code})


@login_required
@require_http_methods(GET_POST)
def team(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = AssignForm(request.POST or None, users=selectors.assignable_users(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The worker joined the case's team."))
            return HttpResponseRedirect(_team_url(case))
    return _page(request, user, case, "cases/team.html", {
        "form": form,
        "assignments": case.assignments.filter(is_active=True).select_related("user"),
    })


@login_required
@require_POST
def team_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    assignment = access.get_for_user(user, CaseAssignment, pk=pk, case=case, is_active=True)
    try:
        services.case_unassign(actor=user, assignment=assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The worker left the case's team."))
    return HttpResponseRedirect(_team_url(case))
