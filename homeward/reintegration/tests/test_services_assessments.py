"""The questionnaire and the assessments (services/assessments.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import TeamRole
from homeward.cases.services.cases import case_assign
from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import (
    AnswerType,
    CanReturnHome,
    QuestionnaireStatus,
    ReturnBarrier,
)
from homeward.reintegration.errors import (
    EditConflict,
    QuestionnaireLocked,
    ReintegrationRuleError,
)
from homeward.reintegration.models import Assessment, Question, Questionnaire
from homeward.reintegration.selectors import CaseAccess, case_access
from homeward.reintegration.selectors_work import case_assessments, current_questionnaire
from homeward.reintegration.services.assessments import (
    assessment_create,
    assessment_update,
    question_add,
    question_move,
    question_remove,
    question_update,
    questionnaire_create_draft,
    questionnaire_publish,
    questionnaire_update,
)
from homeward.reintegration.tests.factories import (
    make_questionnaire,
    make_referral,
    partner_organisation,
)

pytestmark = pytest.mark.django_db

ANSWERS: dict[str, Any] = {
    "family": "Mother in Kostroma", "wants_home": "no", "skills": ["cooking", "sewing"],
    "housing": "none", "children": "2", "available_from": "2026-01-15",
}
BARRIERS = [ReturnBarrier.FAMILY_REFUSES, ReturnBarrier.SECURITY_RISK]


def _create(actor: Any, access: CaseAccess, **overrides: Any) -> Assessment:
    values: dict[str, Any] = {
        "assessed_on": timezone.localdate(), "answers": dict(ANSWERS),
        "can_return_home": CanReturnHome.NO, "return_barriers": BARRIERS, **overrides,
    }
    return assessment_create(actor=actor, access=access, **values)


# --- the questionnaire -------------------------------------------------------------


def test_coordinator_makes_a_draft_from_the_version_in_use(cast: Any) -> None:
    published = make_questionnaire(version=4)

    draft = questionnaire_create_draft(actor=cast.user(Role.COORDINATOR))

    assert (draft.version, draft.status) == (5, QuestionnaireStatus.DRAFT)
    assert draft.title_en == published.title_en
    assert list(draft.questions.values_list("key", flat=True)) == list(
        published.questions.values_list("key", flat=True))
    assert AuditEntry.objects.filter(target_type="reintegration.Questionnaire",
                                     target_id=str(draft.pk), action=Action.CREATE).exists()


def test_first_draft_without_a_source_gets_default_titles(cast: Any) -> None:
    draft = questionnaire_create_draft(actor=cast.user(Role.COORDINATOR), title_en="Intake")

    assert (draft.version, draft.title_en, draft.questions.count()) == (1, "Intake", 0)
    assert draft.title_ru


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.ORG_ADMIN])
def test_only_coordinators_edit_the_questionnaire(cast: Any, role: str) -> None:
    draft = questionnaire_create_draft(actor=cast.user(Role.COORDINATOR))
    user = cast.user(role)

    with pytest.raises(PermissionDenied):
        questionnaire_create_draft(actor=user)
    with pytest.raises(PermissionDenied):
        question_add(actor=user, questionnaire=draft, key="x", text_ru="x", text_en="x",
                     answer_type=AnswerType.SHORT_TEXT)
    with pytest.raises(PermissionDenied):
        questionnaire_publish(actor=user, questionnaire=draft)


def test_questions_are_added_edited_moved_and_removed_in_a_draft(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    draft = questionnaire_create_draft(actor=coordinator)
    first = question_add(actor=coordinator, questionnaire=draft, key="family",
                         text_ru="Семья", text_en="Family", answer_type=AnswerType.LONG_TEXT)
    second = question_add(
        actor=coordinator, questionnaire=draft, key="housing", text_ru="Жильё",
        text_en="Housing", answer_type=AnswerType.SINGLE_CHOICE, required=True,
        options=[{"key": "own", "ru": "Своё", "en": "Own"},
                 {"key": "none", "ru": "Нет", "en": "None"}],
    )

    question_update(actor=coordinator, question=first, text_en="Family situation",
                    help_en="Who is at home?")
    question_move(actor=coordinator, question=second, up=True)
    question_move(actor=coordinator, question=second, up=True)  # at the top: nothing

    assert list(draft.questions.order_by("position").values_list("key", flat=True)) == [
        "housing", "family"]
    first.refresh_from_db()
    assert (first.text_en, first.help_en) == ("Family situation", "Who is at home?")
    question_remove(actor=coordinator, question=first)
    assert list(draft.questions.values_list("key", flat=True)) == ["housing"]


@pytest.mark.parametrize(("values", "field"), [
    ({"key": "Bad Key"}, "key"),
    ({"key": "family"}, "key"),  # taken
    ({"answer_type": "Colour"}, "answer_type"),
    ({"answer_type": AnswerType.SINGLE_CHOICE, "options": [{"key": "a", "ru": "", "en": "A"}]},
     "options"),
    ({"answer_type": AnswerType.MULTIPLE_CHOICE,
      "options": [{"key": "a", "ru": "А", "en": "A"}, {"key": "a", "ru": "Б", "en": "B"}]},
     "options"),
])
def test_bad_questions_are_refused_with_the_field(
    cast: Any, values: dict[str, Any], field: str
) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    draft = questionnaire_create_draft(actor=coordinator)
    question_add(actor=coordinator, questionnaire=draft, key="family", text_ru="Семья",
                 text_en="Family", answer_type=AnswerType.LONG_TEXT)
    spec: dict[str, Any] = {"key": "new", "text_ru": "Вопрос", "text_en": "Question",
                            "answer_type": AnswerType.SHORT_TEXT, **values}

    with pytest.raises(ValidationError) as refused:
        question_add(actor=coordinator, questionnaire=draft, **spec)

    assert field in refused.value.message_dict
    assert draft.questions.count() == 1


def test_publishing_retires_the_previous_version_and_locks_the_new_one(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    old = make_questionnaire(version=1)
    draft = questionnaire_create_draft(actor=coordinator)

    questionnaire_publish(actor=coordinator, questionnaire=draft)

    old.refresh_from_db()
    assert old.status == QuestionnaireStatus.RETIRED
    assert current_questionnaire() == draft
    question = draft.questions.first()
    assert question is not None
    with pytest.raises(QuestionnaireLocked):
        question_update(actor=coordinator, question=question, text_en="Changed")
    with pytest.raises(QuestionnaireLocked):
        questionnaire_update(actor=coordinator, questionnaire=draft, title_ru="а", title_en="a")
    with pytest.raises(QuestionnaireLocked):
        question_add(actor=coordinator, questionnaire=old, key="x", text_ru="x", text_en="x",
                     answer_type=AnswerType.SHORT_TEXT)


def test_publishing_needs_questions_and_two_options_per_choice(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    draft = questionnaire_create_draft(actor=coordinator)
    with pytest.raises(ReintegrationRuleError):
        questionnaire_publish(actor=coordinator, questionnaire=draft)
    question_add(actor=coordinator, questionnaire=draft, key="one", text_ru="Один",
                 text_en="One", answer_type=AnswerType.SINGLE_CHOICE,
                 options=[{"key": "a", "ru": "А", "en": "A"}])
    with pytest.raises(ReintegrationRuleError):
        questionnaire_publish(actor=coordinator, questionnaire=draft)

    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


# --- assessments -------------------------------------------------------------------


def test_case_worker_records_an_assessment_with_checked_answers(cast: Any) -> None:
    questionnaire = make_questionnaire()
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    access = case_access(user=worker, code=case.code)

    assessment = _create(worker, access)

    assessment.refresh_from_db()
    assert (assessment.organisation, assessment.questionnaire) == (cast.home, questionnaire)
    assert assessment.answers == {
        "family": "Mother in Kostroma", "wants_home": False, "skills": ["sewing", "cooking"],
        "housing": "none", "children": 2, "available_from": "2026-01-15",
    }
    assert assessment.return_barriers == BARRIERS
    audit = AuditEntry.objects.get(target_type="reintegration.Assessment",
                                   target_id=str(assessment.pk))
    assert (audit.action, audit.organisation_id) == (Action.CREATE, cast.home.pk)
    assert "Kostroma" not in str(audit.detail)


@pytest.mark.parametrize(("answers", "key"), [
    ({"wants_home": None}, "answer_wants_home"),  # required
    ({"wants_home": "maybe"}, "answer_wants_home"),
    ({"skills": ["knitting"]}, "answer_skills"),
    ({"skills": "sewing"}, "answer_skills"),
    ({"housing": "castle"}, "answer_housing"),
    ({"children": "many"}, "answer_children"),
    ({"available_from": "15.01.2026"}, "answer_available_from"),
    ({"family": 12}, "answer_family"),
    ({"shoe_size": "38"}, "answers"),  # not a question
])
def test_bad_answers_are_refused_per_question(cast: Any, answers: dict[str, Any],
                                               key: str) -> None:
    make_questionnaire()
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)

    with pytest.raises(ValidationError) as refused:
        _create(worker, case_access(user=worker, code=case.code),
                answers={**ANSWERS, **answers})

    assert key in refused.value.message_dict
    assert not Assessment.objects.exists()


def test_assessment_refuses_a_future_date_bad_barriers_and_no_questionnaire(cast: Any) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    access = case_access(user=worker, code=case.code)
    with pytest.raises(ReintegrationRuleError):
        _create(worker, access)
    make_questionnaire()

    with pytest.raises(ValidationError) as future:
        _create(worker, access, assessed_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as barrier:
        _create(worker, access, return_barriers=["Homesick"])
    with pytest.raises(ValidationError) as answer:
        _create(worker, access, can_return_home="Perhaps")

    assert "assessed_on" in future.value.message_dict
    assert "return_barriers" in barrier.value.message_dict
    assert "can_return_home" in answer.value.message_dict


def test_update_keeps_its_own_version_and_detects_conflicts(cast: Any) -> None:
    old = make_questionnaire(version=1)
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    access = case_access(user=worker, code=case.code)
    assessment = _create(worker, access)
    # A new version comes into use; the old assessment still reads against v1.
    coordinator = cast.user(Role.COORDINATOR)
    draft = questionnaire_create_draft(actor=coordinator)
    Question.objects.filter(questionnaire=draft, key="family").delete()
    questionnaire_publish(actor=coordinator, questionnaire=draft)

    updated = assessment_update(
        actor=worker, access=access, assessment=assessment, version=1,
        assessed_on=assessment.assessed_on, answers={**ANSWERS, "family": "Aunt"},
        can_return_home=CanReturnHome.UNDECIDED, return_barriers=[],
    )

    assert (updated.version, updated.questionnaire, updated.answers["family"]) == (2, old, "Aunt")
    with pytest.raises(EditConflict) as conflict:
        assessment_update(
            actor=cast.user(Role.COORDINATOR), access=case_access(user=coordinator,
                                                                  code=case.code),
            assessment=assessment, version=1, assessed_on=assessment.assessed_on,
            answers=ANSWERS, can_return_home=CanReturnHome.YES, return_barriers=[],
        )
    assert "answers" in [change.name for change in conflict.value.changes]


def test_team_member_without_reintegration_role_may_read_but_not_write(cast: Any) -> None:
    make_questionnaire()
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    staff = cast.user(Role.SHELTER_STAFF)
    case_assign(actor=worker, case=case, user=staff, role=TeamRole.SHELTER)
    _create(worker, case_access(user=worker, code=case.code))

    access = case_access(user=staff, code=case.code)

    assert not access.may_write
    assert case_assessments(user=staff, case=case).count() == 1
    with pytest.raises(PermissionDenied):
        _create(staff, access)


def test_services_refuse_an_actor_without_the_role_in_the_access_organisation(
    cast: Any
) -> None:
    make_questionnaire()
    case = open_case(cast)
    # An access made for someone else does not carry over to another actor.
    access = case_access(user=cast.user(Role.CASE_WORKER), code=case.code)

    for actor in (cast.user(Role.ORG_ADMIN), cast.user(Role.CASE_WORKER, "away")):
        with pytest.raises(PermissionDenied):
            _create(actor, access)
    assert not Assessment.objects.exists()


def test_receiving_partner_writes_its_own_and_the_case_side_sees_everything(
    cast: Any
) -> None:
    make_questionnaire()
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    partner = partner_organisation("YAR")
    make_referral(case, partner.organisation)
    yaroslavl = partner.user(Role.REINTEGRATION_WORKER)
    ours = _create(worker, case_access(user=worker, code=case.code))

    theirs_access = case_access(user=yaroslavl, code=case.code)
    theirs = _create(yaroslavl, theirs_access)

    assert theirs.organisation == partner.organisation
    # The partner's write is in both logs.
    assert set(AuditEntry.objects.filter(
        target_type="reintegration.Assessment", target_id=str(theirs.pk)
    ).values_list("organisation_id", flat=True)) == {cast.home.pk, partner.organisation.pk}
    assert set(case_assessments(user=worker, case=case)) == {ours, theirs}
    # Assessment not shared: the partner sees only its own.
    assert list(case_assessments(user=yaroslavl, case=case)) == [theirs]
    with pytest.raises(PermissionDenied):
        assessment_update(actor=yaroslavl, access=theirs_access, assessment=ours, version=1,
                          assessed_on=ours.assessed_on, answers=ANSWERS,
                          can_return_home=CanReturnHome.YES, return_barriers=[])
    # The partner's administrator does no reintegration work: never gets here
    # (the gate), and the service refuses even with the worker's access.
    with pytest.raises(Http404):
        case_access(user=partner.user(Role.ORG_ADMIN), code=case.code)
    with pytest.raises(PermissionDenied):
        _create(partner.user(Role.ORG_ADMIN), theirs_access)


def test_partner_may_not_write_once_the_referral_is_revoked(cast: Any) -> None:
    make_questionnaire()
    case = open_case(cast)
    partner = partner_organisation("YAR")
    referral = make_referral(case, partner.organisation)
    yaroslavl = partner.user(Role.REINTEGRATION_WORKER)
    access = case_access(user=yaroslavl, code=case.code)
    type(referral).objects.filter(pk=referral.pk).update(status="Revoked")

    with pytest.raises(PermissionDenied):
        _create(yaroslavl, access)


def test_drafts_take_distinct_versions(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    first = questionnaire_create_draft(actor=coordinator)
    second = questionnaire_create_draft(actor=coordinator, copy_from=first)

    assert (first.version, second.version) == (1, 2)
    assert Questionnaire.objects.count() == 2
