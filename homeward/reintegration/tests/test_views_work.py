"""A case's reintegration workspace: the case side's tab, the receiving
side's page, assessments, the plan, its goals and reviews."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import TeamRole
from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    CanReturnHome,
    GoalArea,
    GoalStatus,
    ReferralStatus,
    ReturnBarrier,
    SharedPart,
)
from homeward.reintegration.models import Assessment, Goal, Plan, PlanReview
from homeward.reintegration.selectors import case_access
from homeward.reintegration.services import assessments, plans
from homeward.reintegration.tests.factories import (
    make_questionnaire,
    make_referral,
    partner_organisation,
)

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(f"reintegration:{name}", kwargs={"code": case.code, **kwargs})


def _today():
    return timezone.localdate()


@pytest.fixture
def case(cast):
    return open_case(cast, cast.user(Role.CASE_WORKER), first_name="Marina",
                     last_name="Sokolova")


@pytest.fixture
def partner():
    return partner_organisation("YAR")


def _access(user, case):
    return case_access(user=user, code=case.code)


def _answers(**overrides):
    return {
        "assessed_on": _today().isoformat(), "answer_wants_home": "no",
        "answer_skills": ["sewing"], "answer_housing": "none", "answer_children": "2",
        "answer_available_from": "2026-01-15", "answer_family": "Mother in Kostroma",
        "can_return_home": CanReturnHome.NO,
        "return_barriers": [ReturnBarrier.FAMILY_REFUSES, ReturnBarrier.SECURITY_RISK],
        **overrides,
    }


def _assessment(cast, case):
    worker = cast.user(Role.CASE_WORKER)
    return assessments.assessment_create(
        actor=worker, access=_access(worker, case), assessed_on=_today(),
        answers={"wants_home": True, "skills": ["cooking"]}, can_return_home=CanReturnHome.YES,
        return_barriers=[],
    )


def _plan(cast, case):
    worker = cast.user(Role.CASE_WORKER)
    return plans.plan_create(actor=worker, access=_access(worker, case), starts_on=_today(),
                             target_region="Yaroslavl Oblast")


# --- access -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(_url("case-reintegration", case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404_and_nothing_is_written(cast, login, case):
    make_questionnaire()
    plan = _plan(cast, case)
    goal = plans.goal_add(actor=cast.user(Role.CASE_WORKER), access=_access(
        cast.user(Role.CASE_WORKER), case), plan=plan, area=GoalArea.HOUSING,
        description="A room")
    assessment = _assessment(cast, case)
    client = login(cast.user(Role.COORDINATOR, "away"))
    for url in (
        _url("case-reintegration", case), _url("assessment-new", case),
        _url("assessment-detail", case, pk=assessment.pk),
        _url("assessment-edit", case, pk=assessment.pk), _url("plan-edit", case),
        _url("goal-new", case), _url("goal-edit", case, pk=goal.pk), _url("plan-review", case),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("assessment-new", case), _answers()).status_code == 404
    assert client.post(_url("plan-review", case), {"reviewed_on": _today()}).status_code == 404
    assert Assessment.objects.count() == 1
    assert PlanReview.objects.count() == 0


def test_a_pending_or_declined_referral_does_not_open_the_workspace(login, case, partner):
    client = login(partner.user(Role.REINTEGRATION_WORKER))
    referral = make_referral(case, partner.organisation, status=ReferralStatus.PENDING)
    assert client.get(_url("case-reintegration", case)).status_code == 404
    referral.status = ReferralStatus.DECLINED
    referral.save()
    assert client.get(_url("case-reintegration", case)).status_code == 404


def test_team_member_without_reintegration_role_reads_but_may_not_write(cast, login, case):
    staff = cast.user(Role.SHELTER_STAFF)
    case_services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=staff,
                              role=TeamRole.SHELTER)
    make_questionnaire()
    _plan(cast, case)
    client = login(staff)
    page = client.get(_url("case-reintegration", case))
    assert page.status_code == 200
    assert reverse("reintegration:assessment-new", kwargs={"code": case.code}) not in (
        page.content.decode()
    )
    assert client.get(_url("assessment-new", case)).status_code == 403
    assert client.post(_url("assessment-new", case), _answers()).status_code == 403
    assert client.get(_url("plan-edit", case)).status_code == 403
    assert client.post(_url("goal-new", case), {"area": GoalArea.HOUSING,
                                                "description": "x"}).status_code == 403
    assert not Assessment.objects.exists()
    assert not Goal.objects.exists()


def test_wrong_method_is_refused(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("case-reintegration", case)).status_code == 405
    assert client.patch(_url("plan-edit", case)).status_code == 405


# --- the workspace ------------------------------------------------------------------


def test_case_side_sees_the_tab_and_the_view_is_audited(cast, login, case):
    _plan(cast, case)
    worker = cast.user(Role.CASE_WORKER)
    client = login(worker)
    before = AuditEntry.objects.filter(action=Action.VIEW, actor_id=worker.pk).count()
    response = client.get(_url("case-reintegration", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">Reintegration<' in html
    assert "Yaroslavl Oblast" in html
    assert reverse("reintegration:referral-new", kwargs={"code": case.code}) in html
    assert reverse("reintegration:transfer-new", kwargs={"code": case.code}) in html
    assert AuditEntry.objects.filter(action=Action.VIEW, actor_id=worker.pk).count() == before + 1


def test_case_tabs_link_to_the_workspace(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    html = client.get(reverse("cases:case-detail", kwargs={"code": case.code})).content.decode()
    assert _url("case-reintegration", case) in html


def test_receiver_sees_the_minimum_without_a_name_and_is_audited(cast, login, case, partner):
    _plan(cast, case)
    make_referral(case, partner.organisation, shared_parts=MINIMUM_PARTS)
    worker = partner.user(Role.REINTEGRATION_WORKER)
    client = login(worker)
    response = client.get(_url("case-reintegration", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.code in html
    assert "Sokolova" not in html
    assert "Marina" not in html
    assert "Yaroslavl Oblast" not in html  # the plan was not shared
    assert "The plan was not shared with your organisation." in html
    assert reverse("reintegration:referral-new", kwargs={"code": case.code}) not in html
    assert AuditEntry.objects.filter(action=Action.VIEW, actor_id=worker.pk,
                                     organisation_id=partner.organisation.pk).exists()


def test_receiver_sees_the_plan_when_it_was_shared(cast, login, case, partner):
    _plan(cast, case)
    make_referral(case, partner.organisation,
                  shared_parts=[*MINIMUM_PARTS, SharedPart.PLAN])
    client = login(partner.user(Role.CASE_WORKER))
    html = client.get(_url("case-reintegration", case)).content.decode()
    assert "Yaroslavl Oblast" in html


def test_receiver_never_sees_the_case_pages(login, case, partner):
    make_referral(case, partner.organisation)
    client = login(partner.user(Role.REINTEGRATION_WORKER))
    assert client.get(reverse("cases:case-detail", kwargs={"code": case.code})).status_code == 404


def test_workspace_in_russian(cast, login, case):
    worker = cast.user(Role.CASE_WORKER)
    worker.language = "ru"
    worker.save()
    client = login(worker)
    html = client.get(_url("case-reintegration", case), HTTP_ACCEPT_LANGUAGE="ru").content
    assert case.code in html.decode()


# --- assessments --------------------------------------------------------------------


def test_assessment_form_is_built_from_the_questionnaire(cast, login, case):
    make_questionnaire()
    client = login(cast.user(Role.CASE_WORKER))
    html = client.get(_url("assessment-new", case)).content.decode()
    for name in ("answer_family", "answer_wants_home", "answer_skills", "answer_housing",
                 "answer_children", "answer_available_from", "return_barriers",
                 "can_return_home"):
        assert f'name="{name}"' in html, name
    assert "Family refuses to receive them" in html


def test_without_a_questionnaire_the_form_says_so(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    response = client.get(_url("assessment-new", case))
    assert "No questionnaire is in use yet" in response.content.decode()
    client.post(_url("assessment-new", case), _answers())
    assert not Assessment.objects.exists()


def test_assessment_is_saved_with_typed_answers_and_barriers(cast, login, case):
    make_questionnaire()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("assessment-new", case), _answers())
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.answers == {
        "family": "Mother in Kostroma", "wants_home": False, "skills": ["sewing"],
        "housing": "none", "children": 2, "available_from": "2026-01-15",
    }
    assert assessment.can_return_home == CanReturnHome.NO
    assert set(assessment.return_barriers) == {ReturnBarrier.FAMILY_REFUSES,
                                               ReturnBarrier.SECURITY_RISK}
    detail = client.get(_url("assessment-detail", case, pk=assessment.pk)).content.decode()
    assert "Mother in Kostroma" in detail
    assert "Sewing" in detail
    assert "Family refuses to receive them" in detail


def test_required_answer_missing_is_shown_and_nothing_saved(cast, login, case):
    make_questionnaire()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("assessment-new", case), _answers(answer_wants_home=""))
    assert response.status_code == 200
    assert response.context["form"].errors["answer_wants_home"]
    assert not Assessment.objects.exists()


def test_assessment_in_the_future_is_refused(cast, login, case):
    make_questionnaire()
    client = login(cast.user(Role.CASE_WORKER))
    tomorrow = (_today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(_url("assessment-new", case), _answers(assessed_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Assessment.objects.exists()


def test_assessment_edit_saves_and_a_stale_version_conflicts(cast, login, case):
    make_questionnaire()
    assessment = _assessment(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("assessment-edit", case, pk=assessment.pk))
    assert form.context["form"]["answer_wants_home"].value() == "yes"
    response = client.post(_url("assessment-edit", case, pk=assessment.pk),
                           _answers(version=assessment.version))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.can_return_home == CanReturnHome.NO
    stale = client.post(_url("assessment-edit", case, pk=assessment.pk),
                        _answers(version=1, answer_family="changed"))
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    assessment.refresh_from_db()
    assert assessment.answers["family"] == "Mother in Kostroma"


def test_receiver_writes_its_own_assessment_but_cannot_edit_the_senders(
    cast, login, case, partner
):
    make_questionnaire()
    theirs = _assessment(cast, case)
    make_referral(case, partner.organisation,
                  shared_parts=[*MINIMUM_PARTS, SharedPart.ASSESSMENT])
    client = login(partner.user(Role.REINTEGRATION_WORKER))
    assert client.get(_url("assessment-detail", case, pk=theirs.pk)).status_code == 200
    assert client.get(_url("assessment-edit", case, pk=theirs.pk)).status_code == 403
    response = client.post(_url("assessment-new", case), _answers())
    assert response.status_code == 302
    mine = Assessment.objects.exclude(pk=theirs.pk).get()
    assert mine.organisation == partner.organisation


# --- the plan -----------------------------------------------------------------------


def test_plan_is_written_then_revised(cast, login, case):
    worker = cast.user(Role.CASE_WORKER)
    client = login(worker)
    response = client.post(_url("plan-edit", case), {
        "status": "Active", "starts_on": _today().isoformat(), "responsible_worker": worker.pk,
        "target_region": "Kostroma Oblast", "summary": "Training, then work",
        "review_every_days": "30",
    })
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.responsible_organisation == cast.home
    assert plan.next_review_on == _today() + datetime.timedelta(days=30)
    form = client.get(_url("plan-edit", case))
    assert form.context["form"]["target_region"].value() == "Kostroma Oblast"
    response = client.post(_url("plan-edit", case), {
        "status": "Active", "starts_on": _today().isoformat(), "target_region": "Yaroslavl",
        "review_every_days": "60", "version": plan.version,
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.target_region, plan.review_every_days) == ("Yaroslavl", 60)


def test_goal_is_added_and_marked_achieved(cast, login, case):
    _plan(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("goal-new", case), {
        "area": GoalArea.EMPLOYMENT, "description": "Sewing course",
        "target_date": (_today() + datetime.timedelta(days=90)).isoformat(),
    })
    assert response.status_code == 302
    goal = Goal.objects.get()
    response = client.post(_url("goal-edit", case, pk=goal.pk), {
        "area": GoalArea.EMPLOYMENT, "description": "Sewing course",
        "status": GoalStatus.ACHIEVED,
    })
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.achieved_on) == (GoalStatus.ACHIEVED, _today())
    html = client.get(_url("case-reintegration", case)).content.decode()
    assert "Sewing course" in html


def test_goal_without_a_plan_is_404(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(_url("goal-new", case)).status_code == 404


def test_review_moves_the_next_review(cast, login, case):
    plan = _plan(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("plan-review", case), {
        "reviewed_on": _today().isoformat(), "note": "On track",
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.next_review_on == _today() + datetime.timedelta(days=plan.review_every_days)
    assert PlanReview.objects.get().note == "On track"


def test_review_before_the_plan_starts_is_refused(cast, login, case):
    _plan(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("plan-review", case), {
        "reviewed_on": (_today() - datetime.timedelta(days=5)).isoformat(),
    })
    assert response.status_code == 200
    assert response.context["form"].errors["reviewed_on"]
    assert not PlanReview.objects.exists()


def test_case_side_hands_the_plan_to_the_partner_that_accepted(cast, login, case, partner):
    plan = _plan(cast, case)
    make_referral(case, partner.organisation, shared_parts=[*MINIMUM_PARTS, SharedPart.PLAN])
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("plan-edit", case)).context["form"]
    assert set(form.fields["responsible_organisation"].queryset) == {
        cast.home, partner.organisation}
    yar = partner.user(Role.REINTEGRATION_WORKER)
    response = client.post(_url("plan-edit", case), {
        "status": "Active", "starts_on": _today().isoformat(),
        "responsible_organisation": partner.organisation.pk, "responsible_worker": yar.pk,
        "review_every_days": "30", "version": plan.version,
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.responsible_organisation, plan.responsible_worker) == (partner.organisation, yar)
    # Now the partner revises it too.
    partner_client = login(yar)
    assert partner_client.get(_url("plan-edit", case)).status_code == 200


def test_partner_may_not_edit_a_plan_it_is_not_responsible_for(cast, login, case, partner):
    _plan(cast, case)
    make_referral(case, partner.organisation, shared_parts=[*MINIMUM_PARTS, SharedPart.PLAN])
    client = login(partner.user(Role.REINTEGRATION_WORKER))
    assert client.get(_url("plan-edit", case)).status_code == 403
    assert client.post(_url("plan-review", case), {
        "reviewed_on": _today().isoformat()}).status_code == 403
    assert not PlanReview.objects.exists()
