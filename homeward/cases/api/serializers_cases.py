"""Serializers of the case API's cases: the list (codes and facts, never a
name) and its filters, opening a case (with a new or a known person, a
missing-person report and consents), editing it, the case as read (person
summary, team, steps, what the caller may do), and the actions on its path.

Input serializers only validate shapes and picklists; the services check the
rules (transitions, consents, minors) and save. Multi-choice model fields
are declared explicitly as picklists (a JSON list in, a list in picklist
order out); countries are ISO 3166-1 alpha-2 codes, dates ISO 8601.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import Organisation, User
from homeward.cases import selectors
from homeward.cases.api.fields import (
    ActiveOrganisationField,
    AssignableUserField,
    CitizenshipsField,
    CountryCodeField,
    PicklistField,
    StrictInput,
    VisibleEntryField,
    optional_choice,
    optional_date,
    optional_text,
)
from homeward.cases.api.serializers_persons import PersonSerializer, PersonSummarySerializer
from homeward.cases.api.serializers_records import ConsentInputSerializer
from homeward.cases.choices import (
    CaseKind,
    CaseStatus,
    DecisionMaker,
    ExploitationType,
    ForcedLabourIndustry,
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentChannel,
    ReferralSource,
    RelationshipToTrafficker,
    ReporterRelationship,
    SexExploitationType,
    Step,
    TeamRole,
    TraffickingStatus,
)
from homeward.cases.models import Case, CaseAssignment, CaseStep, MissingReport
from homeward.directory.models import Entry


class CaseListSerializer(serializers.ModelSerializer[Case]):
    """A row of the case list: the code and facts, never a name."""

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    nationality = CitizenshipsField(
        source="person.citizenships", read_only=True,
        help_text=_("The person's citizenships (ISO 3166-1 alpha-2)."),
    )
    destination = CountryCodeField(source="destination_country", read_only=True)
    is_minor = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "code", "kind", "status", "step", "organisation", "nationality", "destination",
            "is_minor", "is_urgent", "opened_on", "review_due_on", "version",
        ]

    def get_is_minor(self, case: Case) -> bool:
        return selectors.is_minor(case)


class CaseFieldsSerializer(StrictInput, serializers.Serializer[Case]):
    """The facts of a case that can be given when it is opened and edited."""

    review_due_on = optional_date()
    is_urgent = serializers.BooleanField(
        required=False, help_text=_("A rescue in progress: listed first, and the team is told."),
    )
    referring_entry = VisibleEntryField(
        queryset=Entry.objects.none(), required=False, allow_null=True,
        help_text=_("Directory entry of the referring organisation."),
    )
    referring_organisation_name = optional_text(200)
    referring_worker = optional_text(200)
    incoming_referral_date = optional_date()
    referral_details = optional_text()
    trafficking_status = optional_choice(TraffickingStatus.choices)
    trafficking_status_decided_by = optional_choice(DecisionMaker.choices, allow_blank=True)
    relationship_to_trafficker = optional_choice(RelationshipToTrafficker.choices, allow_blank=True)
    age_when_trafficked = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    recruitment_methods = PicklistField(MethodOfRecruitment.choices)
    recruitment_channels = PicklistField(RecruitmentChannel.choices)
    methods_of_control = PicklistField(MethodOfControl.choices)
    exploitation_types = PicklistField(ExploitationType.choices)
    forced_labour_industry = optional_choice(ForcedLabourIndustry.choices, allow_blank=True)
    sex_exploitation_types = PicklistField(SexExploitationType.choices)
    destination_country = CountryCodeField(required=False, allow_blank=True)
    destination_city = optional_text(120)
    current_country = CountryCodeField(required=False, allow_blank=True)
    current_city = optional_text(120)


class MissingReportSerializer(StrictInput, serializers.Serializer[MissingReport]):
    reported_on = serializers.DateField(required=False)
    reporter_name = serializers.CharField(max_length=200)
    reporter_relationship = serializers.ChoiceField(choices=ReporterRelationship.choices)
    reporter_contact = optional_text(300)
    last_seen_on = optional_date()
    last_seen_country = CountryCodeField(required=False, allow_blank=True)
    last_seen_city = optional_text(120)
    circumstances = optional_text()
    police_report_country = CountryCodeField(required=False, allow_blank=True)
    police_report_authority = optional_text(200)
    police_report_reference = optional_text(100)
    police_reported_on = optional_date()
    found_on = serializers.DateField(read_only=True, allow_null=True)
    found_where = serializers.CharField(read_only=True)

class CaseCreateSerializer(CaseFieldsSerializer):
    """Opening a case: for a new person (``person``) or a visible one (``person_id``)."""

    organisation = serializers.CharField(
        max_length=32, help_text=_("Code of the organisation that opens the case.")
    )
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    opened_on = serializers.DateField(required=False)
    person = PersonSerializer(required=False, help_text=_("A new person."))
    person_id = serializers.IntegerField(
        required=False, help_text=_("A person already recorded, who came back for help.")
    )
    missing_report = MissingReportSerializer(
        required=False, help_text=_("For a missing-person case.")
    )
    consents = ConsentInputSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("person_id" in attrs):
            raise serializers.ValidationError(
                {"person": _("Give either a new person or the id of a recorded one.")}
            )
        return attrs


class CaseUpdateSerializer(CaseFieldsSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a newer one on the server is a 409.")
    )
    case_owner = AssignableUserField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of the lead case worker."),
    )


class UserSummarySerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")


class AssignmentSerializer(serializers.ModelSerializer[CaseAssignment]):
    user = UserSummarySerializer()
    role = serializers.ChoiceField(choices=TeamRole.choices)

    class Meta:
        model = CaseAssignment
        fields = ["user", "role", "assigned_on"]


class CaseStepSerializer(serializers.ModelSerializer[CaseStep]):
    class Meta:
        model = CaseStep
        fields = ["step", "happened_on", "done_by", "notes"]

class PermissionsSerializer(serializers.Serializer[Any]):
    manage = serializers.BooleanField()
    work = serializers.BooleanField()
    medical = serializers.BooleanField()


class CaseDetailSerializer(serializers.ModelSerializer[Case]):
    """The case page as data: facts, person summary, team and timeline."""

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    referred_to: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    case_owner = UserSummarySerializer(read_only=True, allow_null=True)
    person = PersonSummarySerializer(read_only=True)
    is_minor = serializers.SerializerMethodField()
    recruitment_methods = PicklistField(MethodOfRecruitment.choices, read_only=True)
    recruitment_channels = PicklistField(RecruitmentChannel.choices, read_only=True)
    methods_of_control = PicklistField(MethodOfControl.choices, read_only=True)
    exploitation_types = PicklistField(ExploitationType.choices, read_only=True)
    sex_exploitation_types = PicklistField(SexExploitationType.choices, read_only=True)
    destination_country = CountryCodeField(read_only=True)
    current_country = CountryCodeField(read_only=True)
    missing_report = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    allowed_next_steps = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "code", "organisation", "kind", "status", "step", "step_since", "opened_on",
            "closed_on", "reason_for_closure", "referred_to", "review_due_on", "is_urgent",
            "case_owner",
            "person", "is_minor", "referral_source", "referring_entry",
            "referring_organisation_name", "referring_worker", "incoming_referral_date",
            "referral_details", "trafficking_status", "trafficking_status_decided_by",
            "relationship_to_trafficker", "age_when_trafficked", "recruitment_methods",
            "recruitment_channels", "methods_of_control", "exploitation_types",
            "forced_labour_industry", "sex_exploitation_types", "destination_country",
            "destination_city", "current_country", "current_city", "missing_report",
            "team", "timeline", "allowed_next_steps", "permissions", "version",
        ]
        read_only_fields = fields

    def get_is_minor(self, case: Case) -> bool:
        return selectors.is_minor(case)

    @extend_schema_field(MissingReportSerializer(allow_null=True))
    def get_missing_report(self, case: Case) -> dict[str, Any] | None:
        report = getattr(case, "missing_report", None)
        return dict(MissingReportSerializer(report).data) if report else None

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_team(self, case: Case) -> list[dict[str, Any]]:
        team = case.assignments.filter(is_active=True).select_related("user")
        return list(AssignmentSerializer(team, many=True).data)

    @extend_schema_field(CaseStepSerializer(many=True))
    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        return list(CaseStepSerializer(case.steps.all(), many=True).data)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Step.choices)))
    def get_allowed_next_steps(self, case: Case) -> list[str]:
        from homeward.cases import services

        return list(services.allowed_next_steps(case))

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, case: Case) -> dict[str, bool]:
        user = self.context["request"].user
        return {
            "manage": selectors.can_manage_case(user, case),
            "work": selectors.can_work_on_case(user, case),
            "medical": selectors.can_see_medical(user, case),
        }


class CaseListQuerySerializer(serializers.Serializer[Any]):
    """The filters of the case list (the same as on the page)."""

    q = optional_text(200, help_text=_("A case code (or its start), or a name word."))
    status = optional_choice(
        [("open", _("Open")), *CaseStatus.choices], allow_blank=True,
        help_text=_("“open”, or a status."),
    )
    step = optional_choice(Step.choices, allow_blank=True)
    organisation = optional_text(32, help_text=_("Organisation code."))
    assignee = serializers.IntegerField(required=False, help_text=_("User id."))
    nationality = CountryCodeField(required=False, allow_blank=True)
    destination = CountryCodeField(required=False, allow_blank=True)
    minor = serializers.BooleanField(required=False, allow_null=True, default=None)
    overdue = serializers.BooleanField(required=False, default=False)
    urgent = serializers.BooleanField(
        required=False, default=False, help_text=_("Only open urgent cases."),
    )
    kind = optional_choice(CaseKind.choices, allow_blank=True)


class AdvanceSerializer(StrictInput, serializers.Serializer[Any]):
    step = serializers.ChoiceField(choices=Step.choices)
    happened_on = serializers.DateField()
    done_by = optional_text(200, help_text=_("The worker or partner who did it."))
    notes = optional_text()


class CloseSerializer(StrictInput, serializers.Serializer[Any]):
    closed_on = serializers.DateField()
    reason = serializers.CharField()
    referred_to = ActiveOrganisationField(
        required=False, allow_null=True,
        help_text=_("Code of the organisation the case is referred to."),
    )
