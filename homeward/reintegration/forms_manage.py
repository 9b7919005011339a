"""Forms of the coordinators' pages: the questionnaire editor, the
assistance catalogue, programmes and donors, and the totals' filters.

They only parse the input; the services (``services.assessments``,
``services.assistance``) check the rest and save.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms_common import model_field
from homeward.reintegration.choices import CHOICE_ANSWER_TYPES
from homeward.reintegration.models import (
    AssistanceKind,
    Donor,
    EligibilityRule,
    Programme,
    Question,
    Questionnaire,
)

# --- the questionnaire -----------------------------------------------------------------


class TitleForm(forms.Form):
    """A draft's title, in both languages."""

    title_ru = model_field(Questionnaire, "title_ru")
    title_en = model_field(Questionnaire, "title_en")


def options_text(options: list[dict[str, str]] | None) -> str:
    """The options as the form shows them: one a line, "key | Русский | English"."""
    return "\n".join(
        f"{option.get('key', '')} | {option.get('ru', '')} | {option.get('en', '')}"
        for option in options or [] if isinstance(option, dict)
    )


def parse_options(text: str) -> list[dict[str, str]]:
    """Lines "key | Русский | English" as the question's options."""
    options: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not all(parts):
            raise ValidationError(
                _("Line %(number)s: write the key, the Russian and the English text "
                  "separated by \"|\"."), params={"number": number}, code="format",
            )
        options.append({"key": parts[0], "ru": parts[1], "en": parts[2]})
    keys = [option["key"] for option in options]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Each option needs a key of its own."), code="duplicate")
    return options


class QuestionForm(forms.Form):
    key = model_field(Question, "key", help_text=_(
        "Short Latin name the answers are stored under, the same in every version "
        "(e.g. family_situation)."
    ))
    text_ru = model_field(Question, "text_ru")
    text_en = model_field(Question, "text_en")
    help_ru = model_field(Question, "help_ru")
    help_en = model_field(Question, "help_en")
    answer_type = model_field(Question, "answer_type")
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('For the list types: one option a line, "key | Русский | English".'),
    )
    required = model_field(Question, "required")

    def clean_options(self) -> list[dict[str, str]]:
        return parse_options(self.cleaned_data.get("options") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answer_type = cleaned.get("answer_type")
        if answer_type and answer_type not in CHOICE_ANSWER_TYPES and cleaned.get("options"):
            self.add_error("options", _("Only the list types have options."))
        return cleaned


def question_initial(question: Question) -> dict[str, Any]:
    return {
        "key": question.key, "text_ru": question.text_ru, "text_en": question.text_en,
        "help_ru": question.help_ru, "help_en": question.help_en,
        "answer_type": question.answer_type, "options": options_text(question.options),
        "required": question.required,
    }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )

    @property
    def up(self) -> bool:
        return bool(self.cleaned_data.get("direction") == "up")


# --- the catalogue ----------------------------------------------------------------------


class KindForm(forms.Form):
    code = model_field(AssistanceKind, "code")
    category = model_field(AssistanceKind, "category")
    name_ru = model_field(AssistanceKind, "name_ru")
    name_en = model_field(AssistanceKind, "name_en")
    description_ru = model_field(AssistanceKind, "description_ru")
    description_en = model_field(AssistanceKind, "description_en")
    default_amount = model_field(AssistanceKind, "default_amount", min_value=Decimal("0"))
    currency = model_field(AssistanceKind, "currency")
    max_months = model_field(AssistanceKind, "max_months")


class KindEditForm(KindForm):
    """Editing a kind: the code stays (entries and exports refer to it)."""

    is_active = model_field(AssistanceKind, "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


KIND_FIELDS = (
    "category", "name_ru", "name_en", "description_ru", "description_en", "default_amount",
    "currency", "max_months", "is_active",
)


def kind_initial(kind: AssistanceKind) -> dict[str, Any]:
    return {name: getattr(kind, name) for name in KIND_FIELDS}


class RuleForm(forms.Form):
    condition = model_field(EligibilityRule, "condition")
    country = model_field(EligibilityRule, "country", help_text=_(
        "Only for the citizenship conditions."
    ))
    mode = model_field(EligibilityRule, "mode")
    amount = model_field(EligibilityRule, "amount", min_value=Decimal("0"))


# --- programmes and donors --------------------------------------------------------------


class DonorForm(forms.Form):
    name = model_field(Donor, "name")


class ProgrammeForm(forms.Form):
    code = model_field(Programme, "code")
    name_ru = model_field(Programme, "name_ru")
    name_en = model_field(Programme, "name_en")
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=Donor.objects.none())
    starts_on = model_field(Programme, "starts_on")
    ends_on = model_field(Programme, "ends_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        donors = Donor.objects.filter(is_active=True)
        current = self.initial.get("donor")
        if current is not None:
            donors = donors | Donor.objects.filter(pk=getattr(current, "pk", current))
        self.fields["donor"].queryset = donors.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return cleaned


class ProgrammeEditForm(ProgrammeForm):
    """Editing a programme: the code stays (entries and exports refer to it)."""

    is_active = model_field(Programme, "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


PROGRAMME_FIELDS = ("name_ru", "name_en", "donor", "starts_on", "ends_on", "is_active")


def programme_initial(programme: Programme) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in PROGRAMME_FIELDS}


# --- totals -----------------------------------------------------------------------------

GROUP_BY_CHOICES = [
    ("programme", _("Programme")),
    ("donor", _("Donor")),
    ("month", _("Month")),
    ("year", _("Year")),
    ("kind", _("Kind of assistance")),
]


class TotalsForm(forms.Form):
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_BY_CHOICES,
                                 initial="programme", required=False)
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean_group_by(self) -> str:
        return str(self.cleaned_data.get("group_by") or "programme")

    def filters(self) -> dict[str, Any] | None:
        """The selector's keyword arguments: the defaults for an empty query,
        None when the input is invalid."""
        if not self.is_bound:
            return {"group_by": "programme", "date_from": None, "date_to": None}
        if not self.is_valid():
            return None
        return {name: self.cleaned_data.get(name) for name in ("group_by", "date_from",
                                                               "date_to")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return cleaned
