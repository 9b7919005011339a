"""The assessment questionnaire (coordinators edit a draft version and
publish it) and the pre-integration assessments filled in per case.

A published or retired version never changes: assessments keep the
version they were filled with. Answers are checked against their
questions (required, type, options); errors are keyed ``answer_<key>``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import Action
from homeward.cases.services._common import lock_version, not_in_future
from homeward.reintegration.choices import (
    CHOICE_ANSWER_TYPES,
    AnswerType,
    CanReturnHome,
    QuestionnaireStatus,
    ReturnBarrier,
)
from homeward.reintegration.errors import QuestionnaireLocked, ReintegrationRuleError
from homeward.reintegration.models import Assessment, Question, Questionnaire
from homeward.reintegration.selectors import CaseAccess
from homeward.reintegration.selectors_work import current_questionnaire
from homeward.reintegration.services._work import (
    audit_reference,
    audit_work,
    move_one_place,
    require_manager,
    require_write,
)

DEFAULT_TITLE_EN = "Pre-integration assessment"
DEFAULT_TITLE_RU = "Предынтеграционная оценка"
QUESTION_FIELDS = (
    "key", "text_ru", "text_en", "help_ru", "help_en", "answer_type", "options", "required",
)
_KEY = re.compile(r"^[a-z0-9_-]+$")
SHORT_TEXT_MAX = 400
LONG_TEXT_MAX = 10000


# --- the questionnaire ---------------------------------------------------------------


def _locked_draft(questionnaire: Questionnaire) -> Questionnaire:
    current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if current.status != QuestionnaireStatus.DRAFT:
        raise QuestionnaireLocked(_(
            "This version of the questionnaire is in use or retired and cannot be changed. "
            "Make a new draft to change the questions."
        ))
    return current


def _titles(title_ru: str, title_en: str) -> tuple[str, str]:
    title_ru, title_en = title_ru.strip(), title_en.strip()
    errors = {}
    if not title_ru:
        errors["title_ru"] = _("Give the title in Russian.")
    if not title_en:
        errors["title_en"] = _("Give the title in English.")
    if errors:
        raise ValidationError(errors)
    return title_ru, title_en


@transaction.atomic
def questionnaire_create_draft(
    *, actor: Any, copy_from: Questionnaire | None = None, title_ru: str = "",
    title_en: str = "",
) -> Questionnaire:
    """A new draft version (the highest so far + 1) with the questions of
    ``copy_from`` or, by default, of the version in use. Coordinators only;
    audited."""
    require_manager(actor)
    source = copy_from if copy_from is not None else current_questionnaire()
    title_ru = title_ru.strip() or (source.title_ru if source else DEFAULT_TITLE_RU)
    title_en = title_en.strip() or (source.title_en if source else DEFAULT_TITLE_EN)
    # Lock the versions so two coordinators do not take the same number.
    list(Questionnaire.objects.select_for_update().values_list("pk", flat=True))
    version = (Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    questionnaire = Questionnaire.objects.create(
        version=version, status=QuestionnaireStatus.DRAFT, title_ru=title_ru,
        title_en=title_en, created_by=actor,
    )
    if source is not None:
        Question.objects.bulk_create([
            Question(
                questionnaire=questionnaire, position=position, key=question.key,
                text_ru=question.text_ru, text_en=question.text_en, help_ru=question.help_ru,
                help_en=question.help_en, answer_type=question.answer_type,
                options=list(question.options or []), required=question.required,
            )
            for position, question in enumerate(
                source.questions.order_by("position", "id"), start=1
            )
        ])
    audit_reference(Action.CREATE, actor, questionnaire, ["title_ru", "title_en", "version"])
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *, actor: Any, questionnaire: Questionnaire, title_ru: str, title_en: str
) -> Questionnaire:
    """Rename a draft. Coordinators only."""
    require_manager(actor)
    questionnaire = _locked_draft(questionnaire)
    title_ru, title_en = _titles(title_ru, title_en)
    changed = [
        name for name, value in (("title_ru", title_ru), ("title_en", title_en))
        if getattr(questionnaire, name) != value
    ]
    if changed:
        questionnaire.title_ru, questionnaire.title_en = title_ru, title_en
        questionnaire.save(update_fields=changed)
        audit_reference(Action.UPDATE, actor, questionnaire, changed)
    return questionnaire


def _options_checked(answer_type: str, options: Any) -> list[dict[str, str]]:
    if answer_type not in CHOICE_ANSWER_TYPES:
        return []
    if not isinstance(options, list):
        raise ValidationError({"options": _("Give the options as a list.")})
    checked: list[dict[str, str]] = []
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, dict):
            raise ValidationError({"options": _("Give each option a key and a text.")})
        key = str(option.get("key", "")).strip()
        ru, en = str(option.get("ru", "")).strip(), str(option.get("en", "")).strip()
        if not key or not _KEY.match(key):
            raise ValidationError({"options": _(
                "Option keys use small Latin letters, digits, hyphens and underscores."
            )})
        if key in seen:
            raise ValidationError({"options": _("Two options have the key %(key)s.") % {
                "key": key}})
        if not ru or not en:
            raise ValidationError({"options": _(
                "Give the text of option %(key)s in Russian and in English."
            ) % {"key": key}})
        seen.add(key)
        checked.append({"key": key, "ru": ru, "en": en})
    return checked


def _check_question(question: Question) -> None:
    question.key = question.key.strip()
    if not _KEY.match(question.key):
        raise ValidationError({"key": _(
            "The key uses small Latin letters, digits, hyphens and underscores."
        )})
    question.options = _options_checked(question.answer_type, question.options)
    question.full_clean(exclude=["questionnaire", "position"], validate_unique=False,
                        validate_constraints=False)
    clash = Question.objects.filter(
        questionnaire_id=question.questionnaire_id, key=question.key
    ).exclude(pk=question.pk)
    if clash.exists():
        raise ValidationError({"key": _("Another question of this version has this key.")})


@transaction.atomic
def question_add(
    *, actor: Any, questionnaire: Questionnaire, key: str, text_ru: str, text_en: str,
    answer_type: str, options: list[dict[str, str]] | None = None, help_ru: str = "",
    help_en: str = "", required: bool = False,
) -> Question:
    """A new question at the end of a draft. Coordinators only."""
    require_manager(actor)
    questionnaire = _locked_draft(questionnaire)
    position = (questionnaire.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question(
        questionnaire=questionnaire, position=position, key=key, text_ru=text_ru.strip(),
        text_en=text_en.strip(), help_ru=help_ru.strip(), help_en=help_en.strip(),
        answer_type=answer_type, options=options or [], required=required,
    )
    _check_question(question)
    question.save()
    audit_reference(Action.CREATE, actor, question, [
        name for name in QUESTION_FIELDS if name != "options" or question.options
    ])
    return question


@transaction.atomic
def question_update(*, actor: Any, question: Question, **values: Any) -> Question:
    """Edit a question of a draft. Coordinators only; unknown field names
    are refused."""
    require_manager(actor)
    _locked_draft(question.questionnaire)
    question = Question.objects.get(pk=question.pk)
    unknown = sorted(set(values) - set(QUESTION_FIELDS))
    if unknown:
        raise TypeError(f"Question has no editable field(s): {unknown}")
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    for name, value in values.items():
        setattr(question, name, value.strip() if isinstance(value, str) else value)
    _check_question(question)
    changed = [name for name in QUESTION_FIELDS if getattr(question, name) != before[name]]
    if changed:
        question.save()
        audit_reference(Action.UPDATE, actor, question, changed)
    return question


@transaction.atomic
def question_remove(*, actor: Any, question: Question) -> None:
    """Remove a question from a draft. Coordinators only."""
    require_manager(actor)
    _locked_draft(question.questionnaire)
    audit_reference(Action.DELETE, actor, question, ["key"])
    Question.objects.filter(pk=question.pk).delete()


@transaction.atomic
def question_move(*, actor: Any, question: Question, up: bool) -> None:
    """Move a question of a draft one place up or down (nothing at the ends)."""
    require_manager(actor)
    questionnaire = _locked_draft(question.questionnaire)
    questions = list(questionnaire.questions.order_by("position", "id"))
    if not move_one_place(questions, question, up=up):
        return
    audit_reference(Action.UPDATE, actor, question, ["position"])


@transaction.atomic
def questionnaire_publish(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Put a draft in use; the version in use before retires. It needs at
    least one question, and each choice question two options or more."""
    require_manager(actor)
    questionnaire = _locked_draft(questionnaire)
    questions = list(questionnaire.questions.all())
    if not questions:
        raise ReintegrationRuleError(_("Add at least one question before publishing."))
    for question in questions:
        if question.answer_type in CHOICE_ANSWER_TYPES and len(question.options or []) < 2:
            raise ReintegrationRuleError(_(
                "The question %(key)s needs at least two options."
            ) % {"key": question.key})
    for previous in Questionnaire.objects.select_for_update().filter(
        status=QuestionnaireStatus.PUBLISHED
    ):
        previous.status = QuestionnaireStatus.RETIRED
        previous.save(update_fields=["status"])
        audit_reference(Action.UPDATE, actor, previous, ["status"])
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["status", "published_at"])
    audit_reference(Action.UPDATE, actor, questionnaire, ["status", "published_at"])
    return questionnaire


# --- answers -------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (
        isinstance(value, str) and not value.strip()
    )


def _answer(question: Question, value: Any) -> Any:
    """The answer checked and made JSON-ready; ValueError when it does not fit."""
    kind = question.answer_type
    if kind in (AnswerType.SHORT_TEXT, AnswerType.LONG_TEXT):
        if not isinstance(value, str):
            raise ValueError
        limit = SHORT_TEXT_MAX if kind == AnswerType.SHORT_TEXT else LONG_TEXT_MAX
        if len(value) > limit:
            raise ValueError
        return value.strip()
    if kind == AnswerType.YES_NO:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("yes", "true", "1", "no", "false", "0"):
            return value.lower() in ("yes", "true", "1")
        raise ValueError
    if kind == AnswerType.NUMBER:
        if isinstance(value, bool):
            raise ValueError
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation as error:
            raise ValueError from error
        if not number.is_finite():
            raise ValueError
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == AnswerType.DATE:
        if isinstance(value, datetime.datetime):
            raise ValueError
        if isinstance(value, datetime.date):
            return value.isoformat()
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    keys = [key for key, _label in question.option_choices()]
    if kind == AnswerType.SINGLE_CHOICE:
        if not isinstance(value, str) or value not in keys:
            raise ValueError
        return value
    if kind == AnswerType.MULTIPLE_CHOICE:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError
        chosen = set(value)
        if not chosen <= set(keys):
            raise ValueError
        return [key for key in keys if key in chosen]
    raise ValueError


_TYPE_ERRORS: dict[str, Callable[[], str]] = {
    AnswerType.SHORT_TEXT: lambda: _("Give a short text (at most %(n)d characters).") % {
        "n": SHORT_TEXT_MAX},
    AnswerType.LONG_TEXT: lambda: _("Give a text (at most %(n)d characters).") % {
        "n": LONG_TEXT_MAX},
    AnswerType.YES_NO: lambda: _("Answer yes or no."),
    AnswerType.NUMBER: lambda: _("Give a number."),
    AnswerType.DATE: lambda: _("Give a date."),
    AnswerType.SINGLE_CHOICE: lambda: _("Choose one of the options."),
    AnswerType.MULTIPLE_CHOICE: lambda: _("Choose among the options."),
}


def answers_checked(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` checked against the questions of ``questionnaire``;
    errors keyed ``answer_<key>``, all at once."""
    questions = list(questionnaire.questions.order_by("position", "id"))
    known = {question.key for question in questions}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        raise ValidationError({"answers": _("These are not questions of this version: "
                                            "%(keys)s.") % {"keys": ", ".join(unknown)}})
    checked: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.key)
        if _empty(value):
            if question.required:
                errors[f"answer_{question.key}"] = _("This question needs an answer.")
            continue
        try:
            checked[question.key] = _answer(question, value)
        except (ValueError, TypeError):
            errors[f"answer_{question.key}"] = _TYPE_ERRORS[question.answer_type]()
    if errors:
        raise ValidationError(errors)
    return checked


def _check_outcome(can_return_home: str, return_barriers: list[str]) -> list[str]:
    if can_return_home not in CanReturnHome.values:
        raise ValidationError({"can_return_home": _("Choose one of the answers.")})
    barriers = list(dict.fromkeys(return_barriers))
    if not set(barriers) <= set(ReturnBarrier.values):
        raise ValidationError({"return_barriers": _("Choose among the listed reasons.")})
    return barriers


@transaction.atomic
def assessment_create(
    *, actor: Any, access: CaseAccess, assessed_on: datetime.date, answers: dict[str, Any],
    can_return_home: str, return_barriers: list[str],
) -> Assessment:
    """An assessment of the case with the questionnaire in use, recorded in
    the name of the organisation the actor works for here (the case's, or
    a partner's with an accepted referral). Audited (field names only)."""
    organisation = require_write(actor, access)
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise ReintegrationRuleError(_(
            "No assessment questionnaire is in use yet; a coordinator publishes one first."
        ))
    not_in_future(assessed_on, "assessed_on")
    checked = answers_checked(questionnaire, answers)
    barriers = _check_outcome(can_return_home, return_barriers)
    assessment = Assessment.objects.create(
        case=access.case, organisation=organisation, questionnaire=questionnaire,
        assessed_on=assessed_on, assessed_by=actor, answers=checked,
        can_return_home=can_return_home, return_barriers=barriers,
    )
    audit_work(action=Action.CREATE, actor=actor, access=access, target=assessment,
               fields=["assessed_on", "answers", "can_return_home", "return_barriers"],
               detail={"questionnaire_version": questionnaire.version})
    return assessment


@transaction.atomic
def assessment_update(
    *, actor: Any, access: CaseAccess, assessment: Assessment, version: int,
    assessed_on: datetime.date, answers: dict[str, Any], can_return_home: str,
    return_barriers: list[str],
) -> Assessment:
    """Correct an assessment against its own questionnaire version. Only
    the organisation that wrote it; EditConflict when someone saved since
    ``version``."""
    organisation = require_write(actor, access)
    if assessment.organisation_id != organisation.pk or assessment.case_id != access.case.pk:
        raise PermissionDenied
    current: Assessment = lock_version(assessment, version)
    not_in_future(assessed_on, "assessed_on")
    checked = answers_checked(current.questionnaire, answers)
    barriers = _check_outcome(can_return_home, return_barriers)
    values = {
        "assessed_on": assessed_on, "answers": checked, "can_return_home": can_return_home,
        "return_barriers": barriers,
    }
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if changed:
        for name in changed:
            setattr(current, name, values[name])
        current.version += 1
        current.save()
        audit_work(action=Action.UPDATE, actor=actor, access=access, target=current,
                   fields=changed, detail={"version": current.version})
    return current
