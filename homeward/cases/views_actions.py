"""What managers do with a case: edit the case and its person (with
optimistic locking: when someone else saved first, their changes are shown
and the user's input kept on the new version), move it to its next step,
close, reopen, mark a missing person as found, edit the missing-person
report, and manage the case's team.

All of it needs a manager of the case (403 for others, 404 for outsiders,
through :func:`~homeward.cases.views_common.case_for`); every GET is
audited. Every write is one service call; a refusal is shown on the form
and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import CLOSED_STATUSES, CaseKind, ConsentPurpose
from homeward.cases.errors import EditConflict, FieldChange
from homeward.cases.forms_cases import (
    AdvanceForm,
    AssignForm,
    CaseEditForm,
    CloseForm,
    FoundForm,
    MissingReportForm,
    ReopenForm,
    case_initial,
    missing_initial,
)
from homeward.cases.forms_person import PersonEditForm, person_initial
from homeward.cases.models import Case, CaseAssignment, MissingReport
from homeward.cases.views_common import GET_POST, case_for, case_page, request_user
from homeward.core import access
from homeward.core.forms import add_service_errors, form_saved
from homeward.directory.selectors import entry_list_for_user


def _detail_url(case: Case) -> str:
    return reverse("cases:case-detail", kwargs={"code": case.code})


def _page(
    request: HttpRequest, user: User, case: Case, template: str, context: dict[str, Any],
    *, audit: bool | None = None,
) -> HttpResponse:
    """A page of the case (overview tab); GETs are audited, and re-renders
    that show what the case holds now (an edit conflict)."""
    return case_page(
        request, user, case, tab="overview", template=template, context=context,
        audit=request.method == "GET" if audit is None else audit,
    )


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
    if form_saved(request, form, services.case_advance, actor=user, case=case):
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
    if form_saved(request, form, services.case_close, actor=user, case=case):
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
    if form_saved(request, form, services.case_reopen, actor=user, case=case):
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
    if form_saved(request, form, services.missing_person_found, actor=user, case=case):
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
    if form_saved(request, form, services.missing_report_update, actor=user, report=report):
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
    if form_saved(request, form, services.case_assign, actor=user, case=case):
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
