"""A case's reintegration workspace: assessments, the plan with its goals
and reviews (the ledger and monitoring: :mod:`views_work_support`).

The case side sees it as the case's "Reintegration" tab (audited like every
case tab). An organisation that accepted a referral of the case sees a page
of its own: the summary the sender shared (``shared_view``), and the
reintegration records the gate lets it see; its views are audited against
the referral. Nobody else learns the case exists (404); a reader without
the role for a write gets 403. Every write goes through one service; a
refusal is shown on the form with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import Organisation, User
from homeward.accounts.selectors import organisation_ids
from homeward.cases.selectors import can_manage_case
from homeward.cases.views_common import GET_POST, case_page, refuse_unless, request_user
from homeward.core import access as gate
from homeward.core.forms import add_service_errors
from homeward.reintegration import (
    selectors,
    selectors_assistance,
    selectors_monitoring,
    selectors_referrals,
    selectors_work,
)
from homeward.reintegration.choices import (
    AnswerType,
    ReferralStatus,
    ReturnBarrier,
    SharedPart,
)
from homeward.reintegration.forms_work import (
    AssessmentForm,
    GoalForm,
    PlanForm,
    ReviewForm,
    ServiceForm,
    members_of,
)
from homeward.reintegration.models import Assessment, Goal, Plan, Question
from homeward.reintegration.selectors import WORK_ROLES, CaseAccess
from homeward.reintegration.services import assessments, plans
from homeward.reintegration.services.referrals import referral_view_record

TAB = "reintegration"
CASE_BASE = "cases/case_base.html"
SHARED_BASE = "reintegration/case_shared_base.html"


# --- what every page of the workspace shares ----------------------------------------


def case_access_for(request: HttpRequest, code: str) -> tuple[User, CaseAccess]:
    """The case as reintegration work reaches it (404 for everyone else)."""
    user = request_user(request)
    return user, selectors.case_access(user=user, code=code)


def require_write(access: CaseAccess) -> None:
    """403 for a reader who does no reintegration work for the case."""
    refuse_unless(access.may_write)


def workspace_page(
    request: HttpRequest, user: User, access: CaseAccess, *, template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page of the workspace, audited: a case tab for the case side, a page
    of the referral for the receiving side."""
    context = {"access": access, "may_write": access.may_write, **context}
    if access.full:
        context["base_template"] = CASE_BASE
        return case_page(request, user, access.case, tab=TAB, template=template,
                         context=context)
    assert access.referral is not None  # noqa: S101 - case_access gives one when not full
    referral_view_record(actor=user, referral=access.referral, what="workspace")
    context.update({"base_template": SHARED_BASE, "case": access.case,
                    "referral": access.referral})
    return render(request, template, context)


def workspace_url(access: CaseAccess, anchor: str = "") -> str:
    url = reverse("reintegration:case-reintegration", kwargs={"code": access.case.code})
    return f"{url}#{anchor}" if anchor else url


def saved(request: HttpRequest, form: ServiceForm, service: Callable[..., Any],
          **arguments: Any) -> Any:
    """The service's result when a POST is valid and the service agrees, else
    None (the refusal is on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**arguments, **form.arguments()) or True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def labels(values: list[str], choices: Iterable[tuple[str, Any]]) -> str:
    """The labels of a multiple choice, joined."""
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- the workspace ------------------------------------------------------------------


@login_required
@require_GET
def case_reintegration(request: HttpRequest, code: str) -> HttpResponse:
    """Assessments, the plan, assistance, monitoring and referrals of a case."""
    user, access = case_access_for(request, code)
    case = access.case
    plan = selectors_work.case_plan(user=user, case=case)
    entries = selectors_assistance.case_ledger(user=user, case=case)
    schedules = selectors_monitoring.case_monitoring(user=user, case=case)
    work_organisations = set(
        organisation_ids(user, WORK_ROLES).values_list("organisation_id", flat=True)
    )
    if access.full:
        referrals = list(selectors_referrals.case_referrals(user=user, case=case))
        shared = None
    else:
        assert access.referral is not None  # noqa: S101
        referrals = [access.referral]
        shared = selectors_referrals.shared_view(referral=access.referral, user=user)
    may_refer = access.full and case.is_open and can_manage_case(user, case)
    return workspace_page(request, user, access, template="reintegration/case_reintegration.html",
                          context={
        "shared": shared,
        "questionnaire": selectors_work.current_questionnaire(),
        "assessments": [
            (assessment, labels(assessment.return_barriers, ReturnBarrier.choices))
            for assessment in selectors_work.case_assessments(user=user, case=case)
        ],
        "plan": plan,
        "may_plan": may_edit_plan(access, plan),
        "entries": entries,
        "totals": selectors_assistance.ledger_totals(entries),
        "schedules": schedules,
        "work_organisations": work_organisations,
        "referrals": referrals,
        "may_refer": may_refer,
        "shows_assessment": access.shares(SharedPart.ASSESSMENT),
        "shows_plan": access.shares(SharedPart.PLAN),
        "shows_assistance": access.shares(SharedPart.ASSISTANCE),
    })


# --- assessments --------------------------------------------------------------------


def _assessment(user: User, access: CaseAccess, pk: int) -> Assessment:
    return gate.get_for_user(
        user, Assessment.objects.select_related("organisation", "questionnaire", "assessed_by"),
        pk=pk, case=access.case,
    )


def _answer_text(question: Question, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if question.answer_type == AnswerType.YES_NO:
        return _("Yes") if value else _("No")
    labels = dict(question.option_choices())
    if question.answer_type == AnswerType.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    if question.answer_type == AnswerType.SINGLE_CHOICE:
        return labels.get(str(value), str(value))
    return str(value)


@login_required
@require_http_methods(GET_POST)
def assessment_new(request: HttpRequest, code: str) -> HttpResponse:
    """Fill in the questionnaire in use for the case."""
    user, access = case_access_for(request, code)
    require_write(access)
    questionnaire = selectors_work.current_questionnaire()
    questions = list(questionnaire.questions.all()) if questionnaire else []
    form = AssessmentForm(posted(request), questions=questions)
    if questionnaire is not None and saved(request, form, assessments.assessment_create,
                                           actor=user, access=access):
        messages.success(request, _("The assessment was saved."))
        return HttpResponseRedirect(workspace_url(access, "assessments"))
    return workspace_page(request, user, access, template="reintegration/assessment_form.html",
                          context={"form": form, "questionnaire": questionnaire,
                                   "assessment": None})


@login_required
@require_GET
def assessment_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, access = case_access_for(request, code)
    assessment = _assessment(user, access, pk)
    answers = assessment.answers or {}
    rows = [(question.text, _answer_text(question, answers.get(question.key)))
            for question in assessment.questionnaire.questions.all()]
    may_edit = access.may_write and access.organisation is not None and (
        assessment.organisation_id == access.organisation.pk
    )
    return workspace_page(request, user, access, template="reintegration/assessment_detail.html",
                          context={"assessment": assessment, "rows": rows,
                                   "may_edit": may_edit,
                                   "barriers": labels(assessment.return_barriers,
                                                      ReturnBarrier.choices)})


@login_required
@require_http_methods(GET_POST)
def assessment_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Correct an assessment (only the organisation that wrote it)."""
    user, access = case_access_for(request, code)
    assessment = _assessment(user, access, pk)
    require_write(access)
    assert access.organisation is not None  # noqa: S101 - require_write
    refuse_unless(assessment.organisation_id == access.organisation.pk)
    form = AssessmentForm(posted(request), questions=assessment.questionnaire.questions.all(),
                          assessment=assessment)
    if saved(request, form, assessments.assessment_update, actor=user, access=access,
             assessment=assessment):
        messages.success(request, _("The assessment was saved."))
        return HttpResponseRedirect(reverse("reintegration:assessment-detail",
                                            kwargs={"code": code, "pk": assessment.pk}))
    return workspace_page(request, user, access, template="reintegration/assessment_form.html",
                          context={"form": form, "questionnaire": assessment.questionnaire,
                                   "assessment": assessment})


# --- the plan -----------------------------------------------------------------------


def may_edit_plan(access: CaseAccess, plan: Plan | None) -> bool:
    """Writers of the case side, or of the organisation responsible for the plan."""
    if not access.may_write:
        return False
    if plan is None or access.full:
        return True
    return access.organisation is not None and (
        plan.responsible_organisation_id == access.organisation.pk
    )


def _plan(user: User, access: CaseAccess) -> Plan:
    """The case's plan (404 when there is none the user may read)."""
    plan = selectors_work.case_plan(user=user, case=access.case)
    if plan is None:
        raise Http404
    return plan


def _responsible_choices(
    user: User, access: CaseAccess, plan: Plan | None
) -> tuple[list[Organisation], Any]:
    """Who may be responsible for the plan: the case side may hand an
    existing plan to an organisation that accepted a referral of the case;
    otherwise the organisation stays. And the workers of those."""
    if plan is not None and access.full:
        organisations = [access.case.organisation] + [
            referral.receiver
            for referral in selectors_referrals.case_referrals(user=user, case=access.case)
            if referral.status == ReferralStatus.ACCEPTED
        ]
        organisations = list({org.pk: org for org in organisations}.values())
        if len(organisations) > 1:
            return organisations, members_of([org.pk for org in organisations], WORK_ROLES)
    if plan is not None:
        return [], members_of([plan.responsible_organisation_id], WORK_ROLES)
    assert access.organisation is not None  # noqa: S101 - after require_write
    return [], members_of([access.organisation.pk], WORK_ROLES)


@login_required
@require_http_methods(GET_POST)
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Write the case's reintegration plan, or revise it."""
    user, access = case_access_for(request, code)
    require_write(access)
    plan = selectors_work.case_plan(user=user, case=access.case)
    refuse_unless(may_edit_plan(access, plan))
    organisations, workers = _responsible_choices(user, access, plan)
    form = PlanForm(posted(request), workers=workers, plan=plan, organisations=organisations)
    if plan is None:
        done = saved(request, form, plans.plan_create, actor=user, access=access)
    else:
        done = saved(request, form, plans.plan_update, actor=user, access=access, plan=plan)
    if done:
        messages.success(request, _("The reintegration plan was saved."))
        return HttpResponseRedirect(workspace_url(access, "plan"))
    return workspace_page(request, user, access, template="reintegration/plan_form.html",
                          context={"form": form, "plan": plan})


@login_required
@require_http_methods(GET_POST)
def goal_new(request: HttpRequest, code: str) -> HttpResponse:
    user, access = case_access_for(request, code)
    plan = _plan(user, access)
    refuse_unless(may_edit_plan(access, plan))
    form = GoalForm(posted(request))
    if saved(request, form, plans.goal_add, actor=user, access=access, plan=plan):
        messages.success(request, _("The goal was added to the plan."))
        return HttpResponseRedirect(workspace_url(access, "plan"))
    return workspace_page(request, user, access, template="reintegration/goal_form.html",
                          context={"form": form, "plan": plan, "goal": None})


@login_required
@require_http_methods(GET_POST)
def goal_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, access = case_access_for(request, code)
    plan = _plan(user, access)
    goal = gate.get_for_user(user, Goal, pk=pk, plan=plan)
    refuse_unless(may_edit_plan(access, plan))
    form = GoalForm(posted(request), goal=goal)
    if saved(request, form, plans.goal_update, actor=user, access=access, goal=goal):
        messages.success(request, _("The goal was saved."))
        return HttpResponseRedirect(workspace_url(access, "plan"))
    return workspace_page(request, user, access, template="reintegration/goal_form.html",
                          context={"form": form, "plan": plan, "goal": goal})


@login_required
@require_http_methods(GET_POST)
def plan_review(request: HttpRequest, code: str) -> HttpResponse:
    """Record a review of the plan; the next review moves on."""
    user, access = case_access_for(request, code)
    plan = _plan(user, access)
    refuse_unless(may_edit_plan(access, plan))
    form = ReviewForm(posted(request))
    if saved(request, form, plans.plan_review, actor=user, access=access, plan=plan):
        messages.success(request, _("The review was recorded."))
        return HttpResponseRedirect(workspace_url(access, "plan"))
    return workspace_page(request, user, access, template="reintegration/plan_review.html",
                          context={"form": form, "plan": plan})

