"""Forms of a case's reintegration work: the assessment (built from the
questionnaire's questions), the plan, its goals and reviews, ledger entries,
monitoring schedules and reports.

Each form's ``arguments()`` are the keyword arguments of its service; the
services validate again (and say no with a message on the form).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation, User
from homeward.cases.forms_common import date_input, model_field, set_queryset, today
from homeward.reintegration.choices import (
    AnswerType,
    CanReturnHome,
    EntryType,
    MonitoringPeriod,
    RetraffickingSign,
    ReturnBarrier,
)
from homeward.reintegration.models import (
    Assessment,
    AssistanceKind,
    Goal,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
    PlanReview,
    Programme,
    Question,
    Referral,
)

ANSWER_PREFIX = "answer_"
YES_NO_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def members_of(organisation_ids: Iterable[int], roles: Iterable[str]) -> QuerySet[User]:
    """Active users holding one of ``roles`` in one of the organisations."""
    return User.objects.filter(
        memberships__organisation_id__in=list(organisation_ids), memberships__is_active=True,
        memberships__role__in=list(roles), is_active=True,
    ).distinct().order_by("username")


class ServiceForm(forms.Form):
    """A form whose cleaned data are (part of) a service's arguments."""

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# --- the assessment -----------------------------------------------------------------


def answer_field(question: Question) -> forms.Field:
    """The form field of one question, by its answer type."""
    common: dict[str, Any] = {"label": question.text, "help_text": question.help,
                              "required": question.required}
    kind = question.answer_type
    if kind == AnswerType.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                               **common)
    if kind == AnswerType.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO_CHOICES, coerce=lambda value: value == "yes", empty_value=None,
            **common,
        )
    if kind == AnswerType.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=2, **common)
    if kind == AnswerType.DATE:
        return forms.DateField(widget=date_input(), **common)
    if kind == AnswerType.SINGLE_CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *question.option_choices()], **common)
    if kind == AnswerType.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.option_choices(), widget=forms.CheckboxSelectMultiple, **common,
        )
    return forms.CharField(max_length=400, **common)


def _stored(value: Any) -> Any:
    """An answer as kept in the assessment (JSON: dates as ISO text, numbers
    as int or float)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool | int | float):
        return int(value) if value == int(value) else float(value)
    return value


def _initial(question: Question, value: Any) -> Any:
    if question.answer_type == AnswerType.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return value


class AssessmentForm(ServiceForm):
    """The questionnaire's questions (``answer_<key>``), then whether the
    person can go home and, if not, why — structured."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=date_input())
    can_return_home = forms.ChoiceField(label=_("Can she or he go home?"),
                                        choices=CanReturnHome.choices)
    return_barriers = forms.MultipleChoiceField(
        label=_("Reasons she or he cannot go home"), choices=ReturnBarrier.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questions: Iterable[Question],
                 assessment: Assessment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        fixed = {name: self.fields.pop(name) for name in list(self.fields)}
        self.fields["assessed_on"] = fixed.pop("assessed_on")
        for question in self.questions:
            self.fields[ANSWER_PREFIX + question.key] = answer_field(question)
        self.fields.update(fixed)
        if assessment is None:
            self.fields["assessed_on"].initial = today()
            self.fields["can_return_home"].initial = CanReturnHome.UNDECIDED
            del self.fields["version"]
            return
        answers = assessment.answers or {}
        self.fields["assessed_on"].initial = assessment.assessed_on
        self.fields["can_return_home"].initial = assessment.can_return_home
        self.fields["return_barriers"].initial = list(assessment.return_barriers)
        self.fields["version"].initial = assessment.version
        for question in self.questions:
            if question.key in answers:
                self.fields[ANSWER_PREFIX + question.key].initial = _initial(
                    question, answers[question.key]
                )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + question.key] for question in self.questions]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("can_return_home", "return_barriers")]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            value = data.get(ANSWER_PREFIX + question.key)
            if value is None or value == "" or value == []:
                continue
            answers[question.key] = _stored(value)
        values: dict[str, Any] = {
            "assessed_on": data["assessed_on"], "answers": answers,
            "can_return_home": data["can_return_home"],
            "return_barriers": list(data["return_barriers"]),
        }
        if "version" in self.fields:
            values["version"] = data["version"]
        return values


# --- the plan -----------------------------------------------------------------------


class PlanForm(ServiceForm):
    """The plan; the case side may hand responsibility for it to an
    organisation that accepted a referral of the case (``organisations``)."""

    status = model_field(Plan, "status")
    starts_on = model_field(Plan, "starts_on")
    ends_on = model_field(Plan, "ends_on")
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none(),
    )
    responsible_worker = forms.ModelChoiceField(
        label=_("Responsible worker"), queryset=User.objects.none(), required=False,
        help_text=_("A reintegration worker of the responsible organisation."),
    )
    target_region = model_field(Plan, "target_region")
    summary = model_field(Plan, "summary")
    review_every_days = model_field(Plan, "review_every_days")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], plan: Plan | None = None,
                 organisations: list[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "responsible_worker", workers)
        if plan is None or not organisations:
            del self.fields["responsible_organisation"]
        else:
            set_queryset(self, "responsible_organisation", Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]))
            self.fields["responsible_organisation"].initial = plan.responsible_organisation_id
        if plan is None:
            self.fields["starts_on"].initial = today()
            del self.fields["version"]
            return
        for name in ("status", "starts_on", "ends_on", "target_region", "summary",
                     "review_every_days", "version"):
            self.fields[name].initial = getattr(plan, name)
        self.fields["responsible_worker"].initial = plan.responsible_worker_id


class GoalForm(ServiceForm):
    area = model_field(Goal, "area")
    description = model_field(Goal, "description")
    target_date = model_field(Goal, "target_date")
    status = model_field(Goal, "status")

    def __init__(self, *args: Any, goal: Goal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if goal is None:
            del self.fields["status"]
            return
        for name in ("area", "description", "target_date", "status"):
            self.fields[name].initial = getattr(goal, name)


class ReviewForm(ServiceForm):
    reviewed_on = model_field(PlanReview, "reviewed_on")
    note = model_field(PlanReview, "note")
    next_review_on = model_field(
        PlanReview, "next_review_on",
        help_text=_("Empty: the plan's usual interval after this review."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = today()


# --- the ledger ---------------------------------------------------------------------


class KindChoiceForm(forms.Form):
    """Step one of a ledger entry: which kind of assistance (GET)."""

    kind = forms.ModelChoiceField(label=_("Kind of assistance"),
                                  queryset=AssistanceKind.objects.none())

    def __init__(self, *args: Any, kinds: QuerySet[AssistanceKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "kind", kinds)


class LedgerForm(ServiceForm):
    """A grant approved or a payment made, for the chosen kind."""

    entry_type = forms.ChoiceField(
        label=_("Type"), choices=[(EntryType.GRANT, EntryType.GRANT.label),
                                  (EntryType.PAYMENT, EntryType.PAYMENT.label)],
    )
    kind = forms.ModelChoiceField(queryset=AssistanceKind.objects.none(),
                                  widget=forms.HiddenInput)
    amount = model_field(LedgerEntry, "amount")
    currency = model_field(LedgerEntry, "currency")
    entry_on = model_field(LedgerEntry, "entry_on")
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(),
                                       required=False)
    purpose = model_field(LedgerEntry, "purpose")
    approved_by = forms.ModelChoiceField(label=_("Approved by"), queryset=User.objects.none())
    paid_by = forms.ModelChoiceField(
        label=_("Paid by"), queryset=User.objects.none(), required=False,
        help_text=_("Payments only; empty: you."),
    )
    grant = forms.ModelChoiceField(
        label=_("Grant paid"), queryset=LedgerEntry.objects.none(), required=False,
        help_text=_("Payments only: the grant this payment pays, if any."),
    )

    def __init__(self, *args: Any, kinds: QuerySet[AssistanceKind],
                 programmes: QuerySet[Programme], approvers: QuerySet[User],
                 payers: QuerySet[User], grants: QuerySet[LedgerEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "kind", kinds)
        set_queryset(self, "programme", programmes)
        set_queryset(self, "approved_by", approvers)
        set_queryset(self, "paid_by", payers)
        set_queryset(self, "grant", grants)
        self.fields["entry_on"].initial = today()


class CorrectionForm(ServiceForm):
    """A correction of one entry: the signed amount that puts it right."""

    amount = model_field(
        LedgerEntry, "amount",
        help_text=_("Negative to take away from the entry, positive to add to it."),
    )
    entry_on = model_field(LedgerEntry, "entry_on")
    purpose = model_field(LedgerEntry, "purpose", label=_("Why the correction"))
    approved_by = forms.ModelChoiceField(label=_("Approved by"), queryset=User.objects.none())

    def __init__(self, *args: Any, approvers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "approved_by", approvers)
        self.fields["entry_on"].initial = today()


# --- monitoring ---------------------------------------------------------------------

_DATE_SPLIT = re.compile(r"[\s,;]+")


class DateListField(forms.CharField):
    """Dates written as YYYY-MM-DD, separated by commas or spaces."""

    def to_python(self, value: Any) -> list[datetime.date]:  # type: ignore[override]
        text = super().to_python(value)
        dates = []
        for part in _DATE_SPLIT.split(text.strip()) if text else []:
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date: write dates as YYYY-MM-DD."),
                    code="invalid", params={"value": part[:20]},
                ) from None
        return sorted(set(dates))


class ScheduleForm(ServiceForm):
    """Who monitors (the case's organisation or one that accepted a referral
    of the case), for how long, and who is reminded."""

    organisation = forms.ModelChoiceField(label=_("Monitoring organisation"),
                                          queryset=Organisation.objects.none())
    period = model_field(MonitoringSchedule, "period")
    starts_on = model_field(MonitoringSchedule, "starts_on")
    custom_dates = DateListField(
        label=_("Custom dates"), required=False,
        help_text=_("Only for custom dates: the dates reports are due, as YYYY-MM-DD, "
                    "separated by commas."),
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False,
        help_text=_("Reminded before and after each due date; empty: the organisation's "
                    "reintegration workers."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation],
                 referrals: dict[int, Referral], assignees: QuerySet[User],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrals = referrals
        set_queryset(self, "organisation",
                     Organisation.objects.filter(pk__in=[org.pk for org in organisations]))
        set_queryset(self, "assignee", assignees)
        self.fields["starts_on"].initial = today()
        self.fields["period"].initial = MonitoringPeriod.THREE_MONTHS
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == MonitoringPeriod.CUSTOM and not data.get("custom_dates"):
            self.add_error("custom_dates", _("Give at least one date for custom monitoring."))
        return data

    def arguments(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        if values["period"] != MonitoringPeriod.CUSTOM:
            values["custom_dates"] = None
        organisation = values["organisation"]
        values["referral"] = self.referrals.get(organisation.pk) if organisation else None
        return values


class ReportForm(ServiceForm):
    contacted_on = model_field(MonitoringReport, "contacted_on", required=True)
    contact_mode = model_field(MonitoringReport, "contact_mode", required=True)
    living_situation = model_field(MonitoringReport, "living_situation")
    work_situation = model_field(MonitoringReport, "work_situation")
    feels_safe = forms.TypedChoiceField(
        label=_("Feels safe"), choices=YES_NO_CHOICES, required=False,
        coerce=lambda value: value == "yes", empty_value=None,
    )
    retrafficking_signs = forms.MultipleChoiceField(
        label=_("Signs of re-trafficking"), required=False,
        choices=RetraffickingSign.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = model_field(MonitoringReport, "outcome", required=True)
    needs_further_help = model_field(MonitoringReport, "needs_further_help")
    narrative = model_field(MonitoringReport, "narrative")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = today()

    def arguments(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["retrafficking_signs"] = list(values["retrafficking_signs"])
        return values
