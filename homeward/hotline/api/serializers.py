"""Serializers of the hotline API: lines, contacts (as list rows without the
caller's identity, and in full), escalation calls, the follow-up queue, the
repeat-caller check and the telephony system's call events.

Input serializers only validate shapes, picklists and that the records named
are visible to the caller; the services check the rules and save. Countries
are ISO 3166-1 alpha-2 codes, picklists JSON lists, times ISO 8601.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import User
from homeward.cases.api.fields import (
    CountryCodeField,
    PicklistField,
    StrictInput,
    VisibleEntryField,
    optional_choice,
    optional_date,
    optional_text,
)
from homeward.cases.api.serializers_cases import UserSummarySerializer
from homeward.cases.choices import TraffickingStatus
from homeward.cases.models import Case
from homeward.directory.models import Entry
from homeward.hotline import selectors
from homeward.hotline.choices import (
    INDICATOR_CHOICES,
    CallerType,
    Channel,
    LineLanguage,
    Outcome,
    ProfessionalKind,
    Topic,
)
from homeward.hotline.models import CallEvent, Contact, EscalationCall, Line

# --- related records, as the caller may choose them ----------------------------


@extend_schema_field(OpenApiTypes.INT)
class LineField(serializers.PrimaryKeyRelatedField):
    """A line in service of the coalition, by id (whether the caller may log
    contacts on it is the view's and the service's question)."""

    def get_queryset(self) -> Any:
        return selectors.line_list(user=self.context["request"].user)


class ContactLoggerField(serializers.PrimaryKeyRelatedField):
    """A member who logs contacts in one of the caller's organisations, by user id."""

    def get_queryset(self) -> Any:
        user = self.context["request"].user
        return selectors.contact_loggers(organisations=selectors.logging_organisations(user))


@extend_schema_field(OpenApiTypes.INT)
class VisibleContactField(serializers.PrimaryKeyRelatedField):
    """A contact the caller may see, by id."""

    def get_queryset(self) -> Any:
        return selectors.contact_list_for_user(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleCallEventField(serializers.PrimaryKeyRelatedField):
    """A call event the caller may see, by id."""

    def get_queryset(self) -> Any:
        return selectors.call_event_list_for_user(user=self.context["request"].user)


# --- lines --------------------------------------------------------------------


class LineSerializer(serializers.ModelSerializer[Line]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    country = CountryCodeField(read_only=True)
    languages = PicklistField(LineLanguage.choices, read_only=True)
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text=_("The name in your language.")
    )

    class Meta:
        model = Line
        fields = [
            "id", "organisation", "country", "number", "languages", "hours", "is_24_7",
            "label", "label_en", "label_ru", "is_active",
        ]
        read_only_fields = fields


# --- contacts -----------------------------------------------------------------


class ContactListSerializer(serializers.ModelSerializer[Contact]):
    """A row of the contact list: the facts, never who called (no name, phone,
    e-mail, advice or notes)."""

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    operator = UserSummarySerializer(read_only=True)
    follow_up_assignee = UserSummarySerializer(read_only=True, allow_null=True)
    caller_country = CountryCodeField(read_only=True)
    concern_country = CountryCodeField(read_only=True)
    topics = PicklistField(Topic.choices, read_only=True)
    indicators = PicklistField(INDICATOR_CHOICES, read_only=True)
    case: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Contact
        fields = [
            "id", "organisation", "line", "channel", "started_at", "ended_at", "operator",
            "caller_type", "professional_kind", "caller_country", "caller_region",
            "caller_city", "concern_country", "concern_city", "topics", "indicators",
            "assessment", "outcome", "follow_up_due", "follow_up_assignee",
            "follow_up_done_at", "case", "created_at",
        ]
        read_only_fields = fields


class EscalationCallSerializer(serializers.ModelSerializer[EscalationCall]):
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = EscalationCall
        fields = ["id", "entry", "other", "called_at", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class EscalationCallInputSerializer(StrictInput, serializers.Serializer[EscalationCall]):
    entry = VisibleEntryField(
        queryset=Entry.objects.none(), required=False, allow_null=True,
        help_text=_("Directory entry of who was called."),
    )
    other = optional_text(200, help_text=_("Who was called, when not in the directory."))
    called_at = serializers.DateTimeField()
    note = optional_text()


class ContactDetailSerializer(ContactListSerializer):
    """A contact in full, with who called (decrypted), the referrals, the
    escalation calls and the case it is linked to."""

    referrals = serializers.ManyRelatedField(
        child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True,
    )
    escalation_calls = EscalationCallSerializer(many=True, read_only=True)
    call_event = serializers.SerializerMethodField()

    class Meta(ContactListSerializer.Meta):
        fields = [
            *ContactListSerializer.Meta.fields, "caller_name", "caller_phone",
            "caller_email", "concern_name", "advice_given", "notes", "referrals", "follow_up_note",
            "escalation_calls", "call_event", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_call_event(self, contact: Contact) -> int | None:
        """The telephony system's call this contact was logged for."""
        event: CallEvent | None = getattr(contact, "call_event", None)
        return event.pk if event is not None else None


class ContactInputSerializer(StrictInput, serializers.Serializer[Contact]):
    """The fields of a contact, when it is logged and when it is changed."""

    line = LineField(
        required=False, allow_null=True, help_text=_("Id of the line the contact came in on.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    caller_type = serializers.ChoiceField(choices=CallerType.choices)
    professional_kind = optional_choice(ProfessionalKind.choices, allow_blank=True)
    caller_country = CountryCodeField(required=False, allow_blank=True)
    caller_region = optional_text(120)
    caller_city = optional_text(120)
    concern_country = CountryCodeField(required=False, allow_blank=True)
    concern_city = optional_text(120)
    topics = PicklistField(Topic.choices)
    indicators = PicklistField(INDICATOR_CHOICES)
    assessment = optional_choice(TraffickingStatus.choices, allow_blank=True)
    advice_given = optional_text()
    referrals = VisibleEntryField(
        queryset=Entry.objects.none(), many=True, required=False,
        help_text=_("Ids of the directory entries the caller was referred to."),
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    notes = optional_text()
    follow_up_due = optional_date()
    follow_up_assignee = ContactLoggerField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("User id of who follows up (default: you, when a date is given)."),
    )
    caller_name = optional_text(200)
    caller_phone = optional_text(40)
    caller_email = optional_text(254)
    concern_name = optional_text(200)


class ContactCreateSerializer(ContactInputSerializer):
    """Logging a contact: its fields, and where it belongs when it has no line."""

    organisation = serializers.CharField(
        required=False, max_length=32,
        help_text=_("Code of the organisation, for a contact without a line."),
    )
    call_event = VisibleCallEventField(
        required=False, allow_null=True,
        help_text=_("Id of the telephony system's call this contact is logged for: it is "
                    "linked in the same step."),
    )


class FollowUpDoneSerializer(StrictInput, serializers.Serializer[Any]):
    note = optional_text(help_text=_("What was done."))
    done_at = serializers.DateTimeField(required=False, help_text=_("Default: now."))


class FollowUpSerializer(ContactListSerializer):
    """A row of the follow-up queue (no caller identity)."""

    overdue = serializers.BooleanField(read_only=True)

    class Meta(ContactListSerializer.Meta):
        fields = [*ContactListSerializer.Meta.fields, "overdue"]
        read_only_fields = fields


class ContactListQuerySerializer(serializers.Serializer[Any]):
    """The filters of the contact list (the same as on the page)."""

    line = LineField(required=False, help_text=_("Line id."))
    since = optional_date(help_text=_("First day (local), included."))
    until = optional_date(help_text=_("Last day (local), included."))
    caller_type = optional_choice(CallerType.choices, allow_blank=True)
    topic = optional_choice(Topic.choices, allow_blank=True)
    follow_up_open = serializers.BooleanField(
        required=False, default=False, help_text=_("Only contacts with a follow-up to do."),
    )


class FollowUpQuerySerializer(serializers.Serializer[Any]):
    assignee = serializers.RegexField(
        r"^(me|[0-9]+)$", required=False,
        help_text=_("“me”, or the user id of whose queue to show."),
    )
    line = LineField(required=False, help_text=_("Line id."))


class PhoneCheckSerializer(StrictInput, serializers.Serializer[Any]):
    phone = serializers.CharField(max_length=40, help_text=_("The caller's number, any spelling."))


class PhoneCheckResultSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    contacts = ContactListSerializer(many=True)


# --- call events ----------------------------------------------------------------


class CallEventSerializer(serializers.ModelSerializer[CallEvent]):
    """A call as the telephony system reported it (with the caller's number)."""

    organisation = serializers.CharField(source="organisation.code", read_only=True)
    operator_username = serializers.CharField(
        source="operator.username", read_only=True, allow_null=True, default=None
    )
    missed = serializers.BooleanField(source="is_missed", read_only=True)

    class Meta:
        model = CallEvent
        fields = [
            "id", "organisation", "line", "external_id", "caller_phone", "started_at",
            "answered_at", "ended_at", "missed", "operator_username", "contact", "created_at",
        ]
        read_only_fields = fields


class CallEventListSerializer(CallEventSerializer):
    """A row of the call list: without the caller's number."""

    class Meta(CallEventSerializer.Meta):
        fields = [name for name in CallEventSerializer.Meta.fields if name != "caller_phone"]
        read_only_fields = fields


class CallEventInputSerializer(StrictInput, serializers.Serializer[CallEvent]):
    """What a telephony system knows of a call."""

    line = LineField(help_text=_("Id of the line dialled."))
    external_id = optional_text(
        100, help_text=_("The telephony system's id of the call: posting it again updates the "
                         "same call instead of recording a new one."),
    )
    caller_phone = optional_text(40, help_text=_("Empty when the number was withheld."))
    started_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Empty for a missed call."),
    )
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    operator_username = optional_text(
        150, help_text=_("Username of the hotline operator who answered."),
    )


class CallEventAttachSerializer(StrictInput, serializers.Serializer[CallEvent]):
    contact = VisibleContactField(help_text=_("Id of the contact logged for this call."))


class CallEventQuerySerializer(serializers.Serializer[Any]):
    state = optional_choice(
        [("pending", _("Answered, not yet logged")), ("missed", _("Missed, not yet logged")),
         ("all", _("All"))],
        help_text=_("Default: all."),
    )
    operator = serializers.RegexField(
        r"^(me|[0-9]+)$", required=False,
        help_text=_("“me”, or the user id of who answered (pending calls)."),
    )
    line = LineField(required=False, help_text=_("Line id."))
