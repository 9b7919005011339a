"""Serializers of the shelter API.

Output: shelters (address and partner contact only when the caller may see
them), placement candidates, referrals and stays (as list rows with the case
code, and in detail with the person's name for the case's team and the
shelter's side), the standard package, the service log, medical screenings
(only ever served by the medical endpoint) and the network's occupancy.

Input serializers only validate shapes, picklists and that the records named
are visible to the caller; the services check the rules and save.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import Membership, User
from homeward.cases.api.fields import (
    CountryCodeField,
    PicklistField,
    StrictInput,
    VisibleEntryField,
    optional_text,
)
from homeward.cases.api.serializers_cases import UserSummarySerializer
from homeward.cases.choices import Gender
from homeward.cases.models import Case
from homeward.core import access
from homeward.directory.models import Entry
from homeward.shelters import selectors
from homeward.shelters.choices import (
    DiagnosisGroup,
    Facility,
    LeaveReason,
    OfferStatus,
    ReferralStatus,
    SessionKind,
    ShelterKind,
    StandardService,
)
from homeward.shelters.eligibility import MAX_CHILD_MONTHS
from homeward.shelters.models import (
    Diagnosis,
    MedicalScreening,
    ServiceOffer,
    ServiceSession,
    Shelter,
    ShelterReferral,
    ShelterStay,
    StayChild,
)


def _children_months() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_CHILD_MONTHS),
        required=False, max_length=12,
        help_text=_("Ages of the accompanying children, in months."),
    )


# --- related records, as the caller may choose them ----------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleStayField(serializers.PrimaryKeyRelatedField):
    """A stay of the case (``context["case"]``) the caller may see, by id."""

    def get_queryset(self) -> Any:
        return access.for_user(self.context["request"].user, ShelterStay).filter(
            case=self.context["case"]
        )


@extend_schema_field(OpenApiTypes.INT)
class ColleagueField(serializers.PrimaryKeyRelatedField):
    """An active member of one of the caller's organisations, by user id."""

    def get_queryset(self) -> Any:
        organisations = Membership.objects.filter(
            user=self.context["request"].user, is_active=True, organisation__is_active=True
        ).values("organisation_id")
        return User.objects.filter(
            memberships__organisation_id__in=organisations, memberships__is_active=True,
            is_active=True,
        ).distinct()


# --- shelters -------------------------------------------------------------------


class ShelterSerializer(serializers.ModelSerializer[Shelter]):
    """A shelter's public facts and free places (no address, no contact).

    Free places come from ``context["occupancy"]`` (shelter id → Occupancy)
    when the view counted them for a whole page, else they are counted here.
    """

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("The name in your language."))
    kind = serializers.ChoiceField(choices=ShelterKind.choices, read_only=True)
    country = CountryCodeField(read_only=True)
    genders = PicklistField(
        Gender.choices, read_only=True, help_text=_("Who it takes; empty: everyone."),
    )
    facilities = PicklistField(Facility.choices, read_only=True)
    beds_used = serializers.SerializerMethodField()
    cots_used = serializers.SerializerMethodField()
    free_beds = serializers.SerializerMethodField()
    free_cots = serializers.SerializerMethodField()

    class Meta:
        model = Shelter
        fields = [
            "id", "organisation", "name", "name_en", "name_ru", "kind", "country", "region",
            "city", "min_age", "max_age", "genders", "children_allowed",
            "children_min_age_months", "wheelchair_accessible", "beds", "cots", "beds_used",
            "cots_used", "free_beds", "free_cots", "facilities", "is_open",
        ]
        read_only_fields = fields

    def _occupancy(self, shelter: Shelter) -> Any:
        counted = self.context.setdefault("occupancy", {})
        if shelter.pk not in counted:
            counted.update(selectors.occupancy_of([shelter]))
        return counted[shelter.pk]

    def get_beds_used(self, shelter: Shelter) -> int:
        return int(self._occupancy(shelter).beds_used)

    def get_cots_used(self, shelter: Shelter) -> int:
        return int(self._occupancy(shelter).cots_used)

    def get_free_beds(self, shelter: Shelter) -> int:
        return int(self._occupancy(shelter).free_beds)

    def get_free_cots(self, shelter: Shelter) -> int:
        return int(self._occupancy(shelter).free_cots)


class ShelterDetailSerializer(ShelterSerializer):
    """A shelter in full: its address and partner contact only for the
    operating organisation and those placing someone there
    (``context["details_visible"]``), else null."""

    details_visible = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta(ShelterSerializer.Meta):
        fields = [
            *ShelterSerializer.Meta.fields, "entry", "details_visible", "address", "contact",
            "notes", "updated_at",
        ]
        read_only_fields = fields

    def get_details_visible(self, shelter: Shelter) -> bool:
        return bool(self.context.get("details_visible", False))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address(self, shelter: Shelter) -> str | None:
        return shelter.address if self.get_details_visible(shelter) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact(self, shelter: Shelter) -> str | None:
        return shelter.contact if self.get_details_visible(shelter) else None


class ShelterListQuerySerializer(serializers.Serializer[Any]):
    region = optional_text(120, help_text=_("Only shelters in this region."))
    kind = serializers.ChoiceField(choices=ShelterKind.choices, required=False)
    open_only = serializers.BooleanField(
        required=False, default=False, help_text=_("Only shelters that are open."),
    )


class ShelterSummarySerializer(serializers.Serializer[Shelter]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    city = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)


# --- placement search -------------------------------------------------------------


class PlacementQuerySerializer(serializers.Serializer[Any]):
    """What the person needs, beyond what the case says (age, gender)."""

    children = serializers.RegexField(
        r"^\s*([0-9]{1,3}\s*(,\s*[0-9]{1,3}\s*)*)?$", required=False, allow_blank=True,
        help_text=_("Ages of the accompanying children in months, comma-separated, "
                    "e.g. 6,48."),
    )
    accessibility = serializers.BooleanField(
        required=False, default=False, help_text=_("Needs wheelchair access."),
    )
    prefer_region = optional_text(120, help_text=_("Region to list first."))
    avoid_region = optional_text(
        120, help_text=_("Region to leave out, e.g. the home region when return is unsafe."),
    )

    def validate_children(self, value: str) -> tuple[int, ...]:
        months = tuple(int(part) for part in value.split(",") if part.strip())
        if any(month > MAX_CHILD_MONTHS for month in months):
            raise serializers.ValidationError(_("A child is younger than 18 years."))
        return months


class CandidateSerializer(serializers.Serializer[Any]):
    """A shelter for the person: whether it fits, and if not, why."""

    shelter = serializers.SerializerMethodField()
    fits = serializers.BooleanField(read_only=True)
    preferred = serializers.BooleanField(
        read_only=True, help_text=_("In the preferred region."),
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=_("Why the shelter cannot take the person now (empty when it fits)."),
    )

    @extend_schema_field(ShelterSerializer)
    def get_shelter(self, candidate: Any) -> dict[str, Any]:
        return dict(ShelterSerializer(candidate.shelter, context=self.context).data)


class PlacementSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(read_only=True, help_text=_("The case's code."))
    fits = CandidateSerializer(many=True, read_only=True, help_text=_(
        "Shelters that can take the person now: the preferred region first, then "
        "by free beds."))
    excluded = CandidateSerializer(many=True, read_only=True)


# --- the person, where the shelter side sees them --------------------------------


class ResidentSerializer(serializers.Serializer[Case]):
    """The person a referral or stay is about: for the case's team and the
    shelter's side only (never in a list)."""

    name = serializers.CharField(source="person.display_name", read_only=True)
    gender = serializers.ChoiceField(
        source="person.gender", choices=Gender.choices, read_only=True
    )
    birth_year = serializers.IntegerField(
        source="person.birth_year", read_only=True, allow_null=True
    )
    age_range = serializers.SerializerMethodField()
    is_minor = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                              min_length=2, max_length=2)
    )
    def get_age_range(self, case: Case) -> list[int] | None:
        """(youngest, oldest) possible age today; null when unknown."""
        ages = case.person.age_range_on(timezone.localdate())
        return list(ages) if ages is not None else None

    def get_is_minor(self, case: Case) -> bool:
        return bool(case.person.is_minor_on(timezone.localdate()))


# --- referrals --------------------------------------------------------------------


class ReferralSerializer(serializers.ModelSerializer[ShelterReferral]):
    """A row of the referral queue: the case code and what the shelter needs
    to know, never a name."""

    case: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    shelter = ShelterSummarySerializer(read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)

    class Meta:
        model = ShelterReferral
        fields = [
            "id", "case", "shelter", "status", "needed_from", "children_months",
            "needs_accessibility", "requested_at", "decided_at",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    """A referral in full, with the person it is about."""

    person = ResidentSerializer(source="case", read_only=True)
    requested_by = UserSummarySerializer(read_only=True, allow_null=True)
    decided_by = UserSummarySerializer(read_only=True, allow_null=True)
    stay = serializers.SerializerMethodField()

    class Meta(ReferralSerializer.Meta):
        fields = [
            *ReferralSerializer.Meta.fields, "person", "note", "requested_by", "decided_by",
            "decline_reason", "stay",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_stay(self, referral: ShelterReferral) -> int | None:
        """The stay that followed the referral, once the person was admitted."""
        stay: ShelterStay | None = getattr(referral, "stay", None)
        return stay.pk if stay is not None else None


class ReferralQuerySerializer(serializers.Serializer[Any]):
    shelter = serializers.IntegerField(required=False, help_text=_("One shelter, by id."))
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class ReferralInputSerializer(StrictInput, serializers.Serializer[ShelterReferral]):
    case = serializers.CharField(max_length=32, help_text=_("The case's code."))
    shelter = serializers.IntegerField(help_text=_("The shelter's id."))
    needed_from = serializers.DateField()
    children_months = _children_months()
    needs_accessibility = serializers.BooleanField(required=False, default=False)
    note = optional_text(help_text=_("Message to the shelter."))


class DeclineSerializer(StrictInput, serializers.Serializer[Any]):
    reason = serializers.CharField(help_text=_("Why the shelter cannot take the person."))


class WithdrawSerializer(StrictInput, serializers.Serializer[Any]):
    reason = optional_text(help_text=_("Why the request is taken back."))


class ChildInputSerializer(StrictInput, serializers.Serializer[Any]):
    age_months = serializers.IntegerField(min_value=0, max_value=MAX_CHILD_MONTHS)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    in_cot = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text=_("Sleeps in a cot (default: when younger than 3 years)."),
    )


class AdmitSerializer(StrictInput, serializers.Serializer[Any]):
    admitted_on = serializers.DateField(required=False, help_text=_("Default: today."))
    children = ChildInputSerializer(many=True, required=False)


# --- stays ------------------------------------------------------------------------


class StayChildSerializer(serializers.ModelSerializer[StayChild]):
    class Meta:
        model = StayChild
        fields = ["id", "age_months", "gender", "in_cot"]
        read_only_fields = fields


class StaySerializer(serializers.ModelSerializer[ShelterStay]):
    """A row of a case's stays: where and when, never a name."""

    case: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    shelter = ShelterSummarySerializer(read_only=True)
    leave_reason = serializers.ChoiceField(
        choices=LeaveReason.choices, read_only=True, allow_blank=True
    )
    is_current = serializers.BooleanField(read_only=True)
    children = StayChildSerializer(many=True, read_only=True)

    class Meta:
        model = ShelterStay
        fields = [
            "id", "case", "shelter", "referral", "admitted_on", "discharged_on",
            "leave_reason", "is_current", "children",
        ]
        read_only_fields = fields


class StayDetailSerializer(StaySerializer):
    """A stay in full, with the person: the resident's record."""

    person = ResidentSerializer(source="case", read_only=True)
    admitted_by = UserSummarySerializer(read_only=True, allow_null=True)
    discharged_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta(StaySerializer.Meta):
        fields = [
            *StaySerializer.Meta.fields, "person", "leave_note", "admitted_by",
            "discharged_by", "created_at",
        ]
        read_only_fields = fields


class DischargeSerializer(StrictInput, serializers.Serializer[Any]):
    discharged_on = serializers.DateField(required=False, help_text=_("Default: today."))
    reason = serializers.ChoiceField(choices=LeaveReason.choices)
    note = optional_text()


# --- the standard package and the service log --------------------------------------


class ServiceOfferSerializer(serializers.ModelSerializer[ServiceOffer]):
    """One decision about a service of the standard package; ``in_force``
    marks the newest one per service."""

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    service = serializers.ChoiceField(choices=StandardService.choices, read_only=True)
    status = serializers.ChoiceField(choices=OfferStatus.choices, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = ServiceOffer
        fields = [
            "id", "service", "status", "decided_on", "note", "in_force", "organisation",
            "recorded_by", "recorded_at",
        ]
        read_only_fields = fields

    def get_in_force(self, offer: ServiceOffer) -> bool:
        return offer.pk in self.context.get("in_force", set())


class ServiceOfferInputSerializer(StrictInput, serializers.Serializer[ServiceOffer]):
    service = serializers.ChoiceField(choices=StandardService.choices)
    status = serializers.ChoiceField(choices=OfferStatus.choices)
    decided_on = serializers.DateField(required=False, help_text=_("Default: today."))
    note = optional_text()


class ServiceSessionSerializer(serializers.ModelSerializer[ServiceSession]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    kind = serializers.ChoiceField(choices=SessionKind.choices, read_only=True)
    provided_by = UserSummarySerializer(read_only=True, allow_null=True)
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ServiceSession
        fields = [
            "id", "kind", "held_on", "duration_minutes", "provided_by", "provider_name",
            "notes", "stay", "organisation", "recorded_by", "recorded_at",
        ]
        read_only_fields = fields


class ServiceSessionInputSerializer(StrictInput, serializers.Serializer[ServiceSession]):
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )
    provided_by = ColleagueField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of who provided it (a member of one of your organisations)."),
    )
    provider_name = optional_text(200, help_text=_("Who provided it, when not a Homeward user."))
    notes = optional_text()
    stay = VisibleStayField(
        queryset=ShelterStay.objects.none(), required=False, allow_null=True,
        help_text=_("Id of the stay it belongs to."),
    )


# --- medical screening (the medical endpoint only) ------------------------------------


class DiagnosisSerializer(StrictInput, serializers.ModelSerializer[Diagnosis]):
    group = serializers.ChoiceField(choices=DiagnosisGroup.choices)
    icd10 = optional_text(16, help_text=_("ICD-10 code, e.g. N70 or A51.0."))
    detail = optional_text()

    class Meta:
        model = Diagnosis
        fields = ["group", "icd10", "detail"]


class MedicalScreeningSerializer(serializers.ModelSerializer[MedicalScreening]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    diagnoses = DiagnosisSerializer(many=True, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = MedicalScreening
        fields = [
            "id", "examined_on", "clinic", "clinic_other", "examinations", "diagnoses",
            "treatment", "notes", "stay", "organisation", "recorded_by", "recorded_at",
        ]
        read_only_fields = fields


class MedicalScreeningInputSerializer(StrictInput, serializers.Serializer[MedicalScreening]):
    examined_on = serializers.DateField()
    clinic = VisibleEntryField(
        queryset=Entry.objects.none(), required=False, allow_null=True,
        help_text=_("Directory entry of the clinic."),
    )
    clinic_other = optional_text(200, help_text=_("The clinic, when not in the directory."))
    examinations = optional_text()
    diagnoses = DiagnosisSerializer(many=True, required=False)
    treatment = optional_text()
    notes = optional_text()
    stay = VisibleStayField(
        queryset=ShelterStay.objects.none(), required=False, allow_null=True,
        help_text=_("Id of the stay it belongs to."),
    )


# --- network occupancy (counts only) -----------------------------------------------


class OccupancyCountsSerializer(serializers.Serializer[Any]):
    beds = serializers.IntegerField()
    beds_used = serializers.IntegerField()
    beds_free = serializers.IntegerField()
    cots = serializers.IntegerField()
    cots_used = serializers.IntegerField()
    cots_free = serializers.IntegerField()


class ShelterOccupancySerializer(OccupancyCountsSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ShelterKind.choices)
    kind_label = serializers.CharField()
    region = serializers.CharField()
    city = serializers.CharField()
    is_open = serializers.BooleanField()


class TotalOccupancySerializer(OccupancyCountsSerializer):
    shelters = serializers.IntegerField()


class RegionOccupancySerializer(TotalOccupancySerializer):
    region = serializers.CharField()


class MonthSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    label = serializers.CharField()  # type: ignore[assignment]
    admissions = serializers.IntegerField()
    discharges = serializers.IntegerField()
    average_stay_days = serializers.FloatField(
        allow_null=True,
        help_text=_("Average length in days of the stays that ended this month."),
    )


class NetworkOccupancySerializer(serializers.Serializer[Any]):
    """The network's occupancy: counts only, never a case."""

    shelters = ShelterOccupancySerializer(many=True)
    regions = RegionOccupancySerializer(many=True)
    totals = TotalOccupancySerializer()
    months = MonthSerializer(many=True, help_text=_("The last 12 months, oldest first."))
    waiting = serializers.IntegerField(help_text=_("People on the waiting list."))
