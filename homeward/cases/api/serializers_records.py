"""Serializers of the case API's records: the events of the trafficking story
(HTCDS ``hte_*``) and consent decisions, as given (also when a case is
opened) and as read, with whether each decision is the one in force.

Input serializers only validate shapes and picklists; the services check the
rules (consents, minors) and save. Multi-choice model fields are declared
explicitly as picklists (a JSON list in, a list in picklist order out).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.accounts.models import Organisation
from homeward.cases.api.fields import (
    ActiveOrganisationField,
    CountryCodeField,
    PicklistField,
    StrictInput,
    optional_text,
)
from homeward.cases.choices import (
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    EventType,
    ExploitationType,
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentChannel,
    SexExploitationType,
    TransportMode,
)
from homeward.cases.models import Consent, TraffickingEvent

# --- events ------------------------------------------------------------------


class TraffickingEventSerializer(StrictInput, serializers.ModelSerializer[TraffickingEvent]):
    """One stage of the trafficking story (HTCDS ``hte_*``)."""

    type = serializers.ChoiceField(choices=EventType.choices)
    country = CountryCodeField(required=False, allow_blank=True)
    recruitment_methods = PicklistField(MethodOfRecruitment.choices)
    recruitment_channels = PicklistField(RecruitmentChannel.choices)
    transport_modes = PicklistField(TransportMode.choices)
    exploitation_types = PicklistField(ExploitationType.choices)
    sex_exploitation_types = PicklistField(SexExploitationType.choices)
    methods_of_control = PicklistField(MethodOfControl.choices)

    class Meta:
        model = TraffickingEvent
        fields = [
            "id", "type", "date", "end_date", "duration_days", "country", "state", "city",
            "description", "recruitment_methods", "recruitment_channels",
            "recruiter_relationship", "transport_modes", "worked_in_transit",
            "official_checkpoint_crossed", "exploitation_types", "forced_labour_industry",
            "sex_exploitation_types", "methods_of_control", "recorded_at",
        ]
        read_only_fields = ["id", "recorded_at"]

# --- consents ----------------------------------------------------------------


class ConsentInputSerializer(StrictInput, serializers.Serializer[Consent]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    organisation = ActiveOrganisationField(
        required=False, allow_null=True,
        help_text=_("For sharing data: the code of the organisation it is shared with."),
    )
    decision = serializers.ChoiceField(choices=ConsentDecision.choices)
    decided_on = serializers.DateField()
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices, required=False)
    given_by_name = optional_text(200)
    form = serializers.ChoiceField(choices=ConsentForm.choices)
    notes = optional_text()


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    has_scan = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id", "purpose", "organisation", "decision", "decided_on", "given_by",
            "given_by_name", "form", "notes", "has_scan", "in_force", "recorded_at",
        ]
        read_only_fields = fields

    def get_has_scan(self, consent: Consent) -> bool:
        return bool(consent.scan_content_type)

    def get_in_force(self, consent: Consent) -> bool:
        """The newest decision for its purpose (and organisation)."""
        return consent.pk in self.context.get("in_force", set())
