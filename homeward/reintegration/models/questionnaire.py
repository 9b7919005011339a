"""The pre-integration assessment: a versioned questionnaire and the
assessments filled in per case.

Coordinators edit a draft version; publishing freezes it and retires the
version in use before. An assessment keeps the version it was filled with,
so old answers always read against their own questions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.core.fields import EncryptedJSONField
from homeward.core.multichoice import MultiChoiceField
from homeward.reintegration.choices import (
    AnswerType,
    CanReturnHome,
    QuestionnaireStatus,
    ReturnBarrier,
)


def _in_language(russian: str, english: str) -> str:
    if (get_language() or "en").startswith("ru"):
        return russian or english
    return english or russian


class Questionnaire(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("assessment questionnaire")
        verbose_name_plural = _("assessment questionnaires")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return _in_language(self.title_ru, self.title_en)


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Stable across versions: answers are stored under it.
    key = models.SlugField(_("key"), max_length=60)
    text_ru = models.CharField(_("question in Russian"), max_length=400)
    text_en = models.CharField(_("question in English"), max_length=400)
    help_ru = models.CharField(_("hint in Russian"), max_length=400, blank=True)
    help_en = models.CharField(_("hint in English"), max_length=400, blank=True)
    answer_type = models.CharField(_("answer type"), max_length=16, choices=AnswerType.choices)
    # [{"key": "...", "ru": "...", "en": "..."}] for the choice types.
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["questionnaire", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"],
                                    name="reintegration_question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return _in_language(self.text_ru, self.text_en)

    @property
    def help(self) -> str:
        return _in_language(self.help_ru, self.help_en)

    def option_choices(self) -> list[tuple[str, str]]:
        """The options as (key, label in the current language)."""
        return [
            (str(option.get("key", "")), _in_language(str(option.get("ru", "")),
                                                      str(option.get("en", ""))))
            for option in self.options or [] if isinstance(option, dict)
        ]


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    # The organisation that did the assessment (the case's, or a partner's
    # that accepted a referral).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments",
        verbose_name=_("questionnaire"),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("assessed by"),
    )
    # {question key: answer}; answers may identify the person.
    answers = EncryptedJSONField(_("answers"), null=True, blank=True)
    # The reasons a person cannot go home, structured for statistics.
    can_return_home = models.CharField(
        _("can she or he go home?"), max_length=16, choices=CanReturnHome.choices,
        default=CanReturnHome.UNDECIDED,
    )
    return_barriers = MultiChoiceField(
        _("reasons she or he cannot go home"), item_choices=ReturnBarrier
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("pre-integration assessment")
        verbose_name_plural = _("pre-integration assessments")

    def __str__(self) -> str:
        return f"assessment #{self.pk} of case #{self.case_id}"
