"""Serializers of the reintegration API.

Output: referrals (queue rows with the case code, never a name; one
referral with the part of the case its reader may see — ``shared_view``,
which leaves out identifying fields unless the person's consent for the
receiving organisation is on record), assessments, the plan with its goals
and reviews, the ledger with its totals per currency, eligibility,
monitoring schedules and reports, the catalogue, totals and the current
questionnaire.

Input serializers only validate shapes, picklists and that the records
named are visible to the caller; the services check the rules and save.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import Organisation, User
from homeward.cases.api.fields import PicklistField, StrictInput, optional_date, optional_text
from homeward.cases.api.serializers_cases import UserSummarySerializer
from homeward.cases.models import Case
from homeward.core import access
from homeward.reintegration.choices import (
    AnswerType,
    AssistanceCategory,
    CanReturnHome,
    ContactMode,
    Currency,
    EntryType,
    GoalArea,
    GoalStatus,
    LivingSituation,
    MonitoringOutcome,
    MonitoringPeriod,
    Need,
    PlanStatus,
    QuestionnaireStatus,
    ReferralKind,
    ReferralPurpose,
    ReferralReason,
    ReferralStatus,
    ReportStatus,
    RetraffickingSign,
    ReturnBarrier,
    RuleCondition,
    RuleMode,
    SharedPart,
    WorkSituation,
)
from homeward.reintegration.models import (
    Assessment,
    AssistanceKind,
    EligibilityRule,
    Goal,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
    PlanReview,
    Programme,
    Question,
    Questionnaire,
    Referral,
)

# --- shared pieces -----------------------------------------------------------------


class OrganisationSummarySerializer(serializers.Serializer[Organisation]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


def _code_of_case() -> serializers.SlugRelatedField[Case]:
    return serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("The case's code.")
    )


@extend_schema_field(OpenApiTypes.INT)
class CaseRecordField(serializers.PrimaryKeyRelatedField):
    """A record of the case (``context["case"]``) the caller sees, by id;
    ``case_path`` names the record's path to its case."""

    def __init__(self, model: type[Any], case_path: str = "case", **kwargs: Any) -> None:
        self.model = model
        self.case_path = case_path
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return access.for_user(self.context["request"].user, self.model).filter(
            **{self.case_path: self.context["case"]}
        )


@extend_schema_field(OpenApiTypes.INT)
class WorkerField(serializers.PrimaryKeyRelatedField):
    """An active member of an active organisation, by user id (the service
    checks the role and the organisation: a colleague, or a worker of the
    partner that monitors)."""

    def get_queryset(self) -> Any:
        return User.objects.filter(
            is_active=True, memberships__is_active=True,
            memberships__organisation__is_active=True,
        ).distinct()


@extend_schema_field(OpenApiTypes.INT)
class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """A record of shared reference data (catalogue, programmes) through the gate."""

    def __init__(self, model: type[Any], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        queryset = access.for_user(self.context["request"].user, self.model)
        if hasattr(self.model, "is_active"):
            queryset = queryset.filter(is_active=True)
        return queryset


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


# --- referrals ---------------------------------------------------------------------


class ReintegrationReferralSerializer(serializers.ModelSerializer[Referral]):
    """A row of a referral queue: the case code, never a name."""

    case = _code_of_case()
    kind = serializers.ChoiceField(choices=ReferralKind.choices, read_only=True)
    sender = OrganisationSummarySerializer(read_only=True)
    receiver = OrganisationSummarySerializer(read_only=True)
    reason = serializers.ChoiceField(choices=ReferralReason.choices, read_only=True)
    purposes = PicklistField(ReferralPurpose.choices, read_only=True)
    needs = PicklistField(Need.choices, read_only=True)
    shared_parts = PicklistField(SharedPart.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    answer_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "case", "kind", "sender", "receiver", "reason", "purposes", "needs",
            "shared_parts", "status", "answer_due_on", "answer_overdue", "sent_at",
            "answered_at",
        ]
        read_only_fields = fields

    def get_answer_overdue(self, referral: Referral) -> bool:
        """Waiting for an answer past the date it was due."""
        return bool(
            referral.status == ReferralStatus.PENDING
            and referral.answer_due_on < timezone.localdate()
        )


class SharedNamesSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(allow_blank=True)
    middle_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    first_name_latin = serializers.CharField(allow_blank=True)
    last_name_latin = serializers.CharField(allow_blank=True)
    other_names = serializers.CharField(allow_blank=True)


class SharedContactsSerializer(serializers.Serializer[Any]):
    phones = serializers.ListField(child=serializers.CharField())
    email = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)


class SharedDocumentSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(allow_blank=True)
    number = serializers.CharField(allow_blank=True)


class SharedOriginSerializer(serializers.Serializer[Any]):
    citizenships = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Country names."))
    country = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)


class SharedChildrenSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(allow_null=True)
    accompanying = serializers.IntegerField()


class SharedTraffickingSerializer(serializers.Serializer[Any]):
    exploitation_types = serializers.ListField(child=serializers.CharField())
    destination_countries = serializers.ListField(child=serializers.CharField())


class SharedViewSerializer(serializers.Serializer[Any]):
    """What of the case the reader may see. The minimum (code, age band,
    sex, needs; blank once the receiver may see nothing of the case); every
    other part is null unless the referral shares it and — for names, date
    of birth, contacts and documents — the person's consent to share data
    with the receiving organisation is on record now. ``withheld`` lists the
    parts asked for but hidden for want of consent; ``parts`` those shown."""

    code = serializers.CharField(allow_blank=True)
    age_band = serializers.CharField(allow_blank=True)
    sex = serializers.CharField(allow_blank=True)
    needs = serializers.ListField(child=serializers.CharField())
    names = SharedNamesSerializer(allow_null=True)
    birth_date = serializers.DateField(allow_null=True)
    contacts = SharedContactsSerializer(allow_null=True)
    documents = SharedDocumentSerializer(many=True, allow_null=True)
    origin = SharedOriginSerializer(allow_null=True)
    children = SharedChildrenSerializer(allow_null=True)
    trafficking = SharedTraffickingSerializer(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())
    parts = PicklistField(SharedPart.choices)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = (
            dataclasses.asdict(instance) if dataclasses.is_dataclass(instance)
            and not isinstance(instance, type) else dict(instance)
        )
        return {str(name): _jsonable(data.get(str(name))) for name in self.fields}


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings, lazy strings as text, tuples as lists."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    return str(value)


class ReintegrationReferralDetailSerializer(ReintegrationReferralSerializer):
    """One referral with its history and, in ``shared``, what of the case the
    reader may see (``context["shared"]``)."""

    sent_by = UserSummarySerializer(read_only=True, allow_null=True)
    answered_by = UserSummarySerializer(read_only=True, allow_null=True)
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    revoked_by = UserSummarySerializer(read_only=True, allow_null=True)
    shared = serializers.SerializerMethodField()

    class Meta(ReintegrationReferralSerializer.Meta):
        fields = [
            *ReintegrationReferralSerializer.Meta.fields, "message", "sent_by", "answered_by",
            "decline_reason", "assignee", "revoked_by", "revoked_at", "revoke_reason",
            "completed_at", "version", "shared",
        ]
        read_only_fields = fields

    @extend_schema_field(SharedViewSerializer)
    def get_shared(self, referral: Referral) -> dict[str, Any]:
        return SharedViewSerializer(self.context["shared"]).data


class ReintegrationReferralQuerySerializer(serializers.Serializer[Any]):
    box = serializers.ChoiceField(
        choices=[("in", _("Received")), ("out", _("Sent"))], required=False,
        help_text=_("in: referrals to your organisations; out: sent by them; "
                    "both when left out."),
    )
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class ReintegrationReferralInputSerializer(StrictInput, serializers.Serializer[Referral]):
    case = serializers.CharField(max_length=32, help_text=_("The case's code."))
    receiver_entry = serializers.IntegerField(help_text=_(
        "The directory entry of the receiving organisation (one that describes a Homeward "
        "organisation)."))
    kind = serializers.ChoiceField(
        choices=ReferralKind.choices, required=False, default=ReferralKind.REFERRAL,
        help_text=_("Transfer: the case moves to the receiver (needs the person's consent)."),
    )
    reason = serializers.ChoiceField(
        choices=ReferralReason.choices, required=False,
        default=ReferralReason.ADDITIONAL_SERVICES,
    )
    purposes = PicklistField(ReferralPurpose.choices, required=True, allow_empty=False)
    needs = PicklistField(Need.choices, default=list)
    shared_parts = PicklistField(SharedPart.choices, default=list, help_text=_(
        "The parts of the case to share; the minimum (case code, age band, sex, needs) "
        "always is. Names, date of birth, contacts and documents need the person's "
        "consent for the receiving organisation."))
    message = optional_text(help_text=_("Message to the receiver (no names, please)."))
    answer_due_on = optional_date(help_text=_("Default: in 7 days."))


class AcceptSerializer(StrictInput, serializers.Serializer[Any]):
    assignee = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=_("User id of the worker in charge (default: you)."),
    )


class ReasonSerializer(StrictInput, serializers.Serializer[Any]):
    reason = serializers.CharField(help_text=_("Why; the other side reads it."))


# --- assessments -------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    questionnaire = serializers.IntegerField(source="questionnaire.version", read_only=True)
    assessed_by = UserSummarySerializer(read_only=True, allow_null=True)
    answers = serializers.JSONField(read_only=True, help_text=_(
        "Answers by question key."))
    can_return_home = serializers.ChoiceField(choices=CanReturnHome.choices, read_only=True)
    return_barriers = PicklistField(ReturnBarrier.choices, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "organisation", "questionnaire", "assessed_on", "assessed_by", "answers",
            "can_return_home", "return_barriers", "version", "created_at", "updated_at",
        ]
        read_only_fields = fields


class AssessmentInputSerializer(StrictInput, serializers.Serializer[Assessment]):
    assessed_on = serializers.DateField()
    answers = serializers.DictField(
        child=serializers.JSONField(), required=False, default=dict,
        help_text=_("Answers by question key of the current questionnaire."),
    )
    can_return_home = serializers.ChoiceField(
        choices=CanReturnHome.choices, required=False, default=CanReturnHome.UNDECIDED
    )
    return_barriers = PicklistField(ReturnBarrier.choices, default=list)


# --- the plan ----------------------------------------------------------------------


class GoalSerializer(serializers.ModelSerializer[Goal]):
    area = serializers.ChoiceField(choices=GoalArea.choices, read_only=True)
    status = serializers.ChoiceField(choices=GoalStatus.choices, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "area", "description", "target_date", "status", "achieved_on"]
        read_only_fields = fields


class PlanReviewSerializer(serializers.ModelSerializer[PlanReview]):
    reviewed_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "reviewed_by", "note", "next_review_on", "created_at"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer[Plan]):
    case = _code_of_case()
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)
    responsible_organisation = OrganisationSummarySerializer(read_only=True)
    responsible_worker = UserSummarySerializer(read_only=True, allow_null=True)
    goals = GoalSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id", "case", "status", "responsible_organisation", "responsible_worker",
            "target_region", "summary", "starts_on", "ends_on", "review_every_days",
            "next_review_on", "version", "goals", "reviews", "created_at", "updated_at",
        ]
        read_only_fields = fields


class PlanInputSerializer(StrictInput, serializers.Serializer[Plan]):
    starts_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=PlanStatus.choices, required=False, default=PlanStatus.ACTIVE
    )
    responsible_worker = WorkerField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of the responsible worker (reintegration work in the "
                    "responsible organisation)."),
    )
    target_region = optional_text(120)
    summary = optional_text()
    review_every_days = serializers.IntegerField(
        required=False, default=30, min_value=1, max_value=366
    )
    ends_on = optional_date()


class PlanUpdateSerializer(StrictInput, serializers.Serializer[Plan]):
    """The fields given change; ``version`` is the one read (409 when stale)."""

    version = serializers.IntegerField(min_value=1)
    starts_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    responsible_worker = WorkerField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    target_region = optional_text(120)
    summary = optional_text()
    review_every_days = serializers.IntegerField(required=False, min_value=1, max_value=366)
    ends_on = optional_date()


class GoalInputSerializer(StrictInput, serializers.Serializer[Goal]):
    area = serializers.ChoiceField(choices=GoalArea.choices)
    description = serializers.CharField()
    target_date = optional_date()


class GoalUpdateSerializer(StrictInput, serializers.Serializer[Goal]):
    area = serializers.ChoiceField(choices=GoalArea.choices, required=False)
    description = serializers.CharField(required=False)
    target_date = optional_date()
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)
    achieved_on = optional_date()


class PlanReviewInputSerializer(StrictInput, serializers.Serializer[PlanReview]):
    reviewed_on = serializers.DateField()
    note = optional_text()
    next_review_on = optional_date(help_text=_("Default: the plan's review interval later."))


# --- assistance ----------------------------------------------------------------------


class EligibilityRuleSerializer(serializers.ModelSerializer[EligibilityRule]):
    condition = serializers.ChoiceField(choices=RuleCondition.choices, read_only=True)
    mode = serializers.ChoiceField(choices=RuleMode.choices, read_only=True)
    country = serializers.CharField(read_only=True)

    class Meta:
        model = EligibilityRule
        fields = ["id", "position", "condition", "country", "mode", "amount"]
        read_only_fields = fields


class AssistanceKindSerializer(serializers.ModelSerializer[AssistanceKind]):
    category = serializers.ChoiceField(choices=AssistanceCategory.choices, read_only=True)
    currency = serializers.ChoiceField(choices=Currency.choices, read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("The name in your language."))
    rules = EligibilityRuleSerializer(many=True, read_only=True)

    class Meta:
        model = AssistanceKind
        fields = [
            "id", "code", "category", "name", "name_ru", "name_en", "description_ru",
            "description_en", "default_amount", "currency", "max_months", "rules",
        ]
        read_only_fields = fields


class KindSummarySerializer(serializers.Serializer[AssistanceKind]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ProgrammeSummarySerializer(serializers.Serializer[Programme]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    donor = serializers.CharField(source="donor.name", read_only=True)


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    entry_type = serializers.ChoiceField(choices=EntryType.choices, read_only=True)
    kind = KindSummarySerializer(read_only=True)
    programme = ProgrammeSummarySerializer(read_only=True, allow_null=True)
    currency = serializers.ChoiceField(choices=Currency.choices, read_only=True)
    approved_by = UserSummarySerializer(read_only=True)
    paid_by = UserSummarySerializer(read_only=True, allow_null=True)
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "entry_type", "kind", "programme", "amount", "currency", "entry_on",
            "purpose", "organisation", "approved_by", "paid_by", "grant", "corrects",
            "recorded_by", "recorded_at",
        ]
        read_only_fields = fields


class CurrencyTotalsSerializer(serializers.Serializer[Any]):
    currency = serializers.ChoiceField(choices=Currency.choices)
    granted = _money()
    paid = _money()
    balance = _money(help_text=_("Granted minus paid."))


class LedgerSerializer(serializers.Serializer[Any]):
    """The case's ledger, oldest first, and its totals per currency
    (corrections count toward the entry they correct)."""

    entries = LedgerEntrySerializer(many=True)
    totals = CurrencyTotalsSerializer(many=True)


class LedgerInputSerializer(StrictInput, serializers.Serializer[LedgerEntry]):
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    kind = VisibleRecordField(AssistanceKind, help_text=_("Id of the kind of assistance."))
    amount = _money(help_text=_(
        "Positive for grants and payments; a correction may be negative."))
    currency = serializers.ChoiceField(choices=Currency.choices)
    entry_on = serializers.DateField()
    approved_by = WorkerField(
        queryset=User.objects.none(),
        help_text=_("User id of the coordinator who approved it."),
    )
    purpose = optional_text()
    programme = VisibleRecordField(
        Programme, required=False, allow_null=True, help_text=_("Id of the programme."),
    )
    paid_by = WorkerField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of who paid (payments; default: you)."),
    )
    grant = CaseRecordField(
        LedgerEntry, required=False, allow_null=True,
        help_text=_("Id of the grant a payment pays."),
    )
    corrects = CaseRecordField(
        LedgerEntry, required=False, allow_null=True,
        help_text=_("Id of the entry a correction puts right."),
    )


class EligibilityLineSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    amount = _money()


class EligibilitySerializer(serializers.Serializer[Any]):
    """The amount the catalogue's rules give this person for the kind today."""

    kind = serializers.IntegerField()
    amount = _money(allow_null=True)
    currency = serializers.ChoiceField(choices=Currency.choices)
    lines = EligibilityLineSerializer(many=True)


class TotalsQuerySerializer(serializers.Serializer[Any]):
    group_by = serializers.ChoiceField(
        choices=[
            ("programme", _("Programme")), ("donor", _("Donor")), ("month", _("Month")),
            ("year", _("Year")), ("kind", _("Kind of assistance")),
        ],
        required=False, default="programme",
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class TotalRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    currency = serializers.ChoiceField(choices=Currency.choices)
    granted = _money()
    paid = _money()
    entries = serializers.IntegerField()


# --- monitoring ------------------------------------------------------------------------


class MonitoringReportSerializer(serializers.ModelSerializer[MonitoringReport]):
    case = _code_of_case()
    organisation = OrganisationSummarySerializer(read_only=True)
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    contact_mode = serializers.ChoiceField(
        choices=ContactMode.choices, read_only=True, allow_blank=True
    )
    living_situation = serializers.ChoiceField(
        choices=LivingSituation.choices, read_only=True, allow_blank=True
    )
    work_situation = serializers.ChoiceField(
        choices=WorkSituation.choices, read_only=True, allow_blank=True
    )
    retrafficking_signs = PicklistField(RetraffickingSign.choices, read_only=True)
    outcome = serializers.ChoiceField(
        choices=MonitoringOutcome.choices, read_only=True, allow_blank=True
    )
    submitted_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = MonitoringReport
        fields = [
            "id", "case", "schedule", "organisation", "due_on", "months", "status",
            "contacted_on", "contact_mode", "living_situation", "work_situation",
            "feels_safe", "retrafficking_signs", "outcome", "needs_further_help",
            "narrative", "submitted_by", "submitted_at",
        ]
        read_only_fields = fields


class MonitoringScheduleSerializer(serializers.ModelSerializer[MonitoringSchedule]):
    organisation = OrganisationSummarySerializer(read_only=True)
    period = serializers.ChoiceField(choices=MonitoringPeriod.choices, read_only=True)
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    reports = MonitoringReportSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringSchedule
        fields = [
            "id", "organisation", "referral", "period", "starts_on", "assignee", "is_active",
            "reports", "created_at",
        ]
        read_only_fields = fields


class OverdueReportSerializer(serializers.ModelSerializer[MonitoringReport]):
    """A row of the overdue list: the case code and who monitors, never a name."""

    case = _code_of_case()
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    period = serializers.ChoiceField(
        source="schedule.period", choices=MonitoringPeriod.choices, read_only=True
    )
    assignee = serializers.CharField(
        source="schedule.assignee.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = MonitoringReport
        fields = ["id", "case", "organisation", "period", "due_on", "months", "assignee"]
        read_only_fields = fields


class ScheduleInputSerializer(StrictInput, serializers.Serializer[MonitoringSchedule]):
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True),
        required=False, help_text=_(
            "Code of the monitoring organisation: the case's, or one that accepted a "
            "referral of it (default: yours)."),
    )
    period = serializers.ChoiceField(choices=MonitoringPeriod.choices)
    starts_on = serializers.DateField()
    assignee = WorkerField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of who files the reports."),
    )
    custom_dates = serializers.ListField(
        child=serializers.DateField(), required=False, max_length=24,
        help_text=_("The due dates, for a custom period."),
    )
    referral = CaseRecordField(
        Referral, required=False, allow_null=True,
        help_text=_("Id of the referral the monitoring belongs to."),
    )


class ReportInputSerializer(StrictInput, serializers.Serializer[MonitoringReport]):
    contacted_on = serializers.DateField()
    contact_mode = serializers.ChoiceField(choices=ContactMode.choices)
    living_situation = serializers.ChoiceField(
        choices=LivingSituation.choices, required=False, default=LivingSituation.UNKNOWN
    )
    work_situation = serializers.ChoiceField(
        choices=WorkSituation.choices, required=False, default=WorkSituation.UNKNOWN
    )
    feels_safe = serializers.BooleanField(required=False, allow_null=True, default=None)
    retrafficking_signs = PicklistField(RetraffickingSign.choices, default=list)
    outcome = serializers.ChoiceField(choices=MonitoringOutcome.choices)
    needs_further_help = serializers.BooleanField(required=False, default=False)
    narrative = optional_text(default="")


# --- the questionnaire -------------------------------------------------------------------


class QuestionOptionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    ru = serializers.CharField()
    en = serializers.CharField()


class QuestionSerializer(serializers.ModelSerializer[Question]):
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, read_only=True)
    text = serializers.CharField(read_only=True, help_text=_("In your language."))
    options = QuestionOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id", "position", "key", "text", "text_ru", "text_en", "help_ru", "help_en",
            "answer_type", "options", "required",
        ]
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer[Questionnaire]):
    status = serializers.ChoiceField(choices=QuestionnaireStatus.choices, read_only=True)
    title = serializers.CharField(read_only=True, help_text=_("In your language."))
    questions = QuestionSerializer(many=True, read_only=True)
    return_barriers = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = [
            "id", "version", "status", "title", "title_ru", "title_en", "published_at",
            "questions", "return_barriers",
        ]
        read_only_fields = fields

    @extend_schema_field(QuestionOptionSerializer(many=True))
    def get_return_barriers(self, questionnaire: Questionnaire) -> list[dict[str, str]]:
        """The reasons a person cannot go home, asked with every assessment."""
        labels: dict[str, dict[str, str]] = {}
        for language in ("ru", "en"):
            with translation.override(language):
                for value, label in ReturnBarrier.choices:
                    labels.setdefault(value, {"key": value})[language] = str(label)
        return list(labels.values())
