"""Serializers of the case API's persons: a person's fields (HTCDS ``prs_*``)
as given when a case is opened and when the person is edited, the person as
read (with the codes of their cases the caller may see) and in summary, and
the duplicate check's question and answer.

Input serializers only validate shapes and picklists; the services check the
rules and save. Countries are ISO 3166-1 alpha-2 codes, dates ISO 8601.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.cases import selectors
from homeward.cases.api.fields import (
    CitizenshipsField,
    CountryCodeField,
    StrictInput,
    optional_choice,
    optional_date,
    optional_text,
)
from homeward.cases.choices import Education, Gender, IdentityDocumentKind, MaritalStatus
from homeward.cases.models import Person


class IdentityDocumentSerializer(StrictInput, serializers.Serializer[dict[str, str]]):
    kind = serializers.ChoiceField(choices=IdentityDocumentKind.choices)
    number = serializers.CharField(max_length=60)


class PersonSerializer(StrictInput, serializers.Serializer[Person]):
    """A person (HTCDS ``prs_*``). Identifying fields are encrypted at rest."""

    id = serializers.IntegerField(read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    first_name = optional_text(100)
    middle_name = optional_text(100)
    last_name = optional_text(100)
    first_name_latin = optional_text(100)
    last_name_latin = optional_text(100)
    other_names = optional_text(300)
    birth_date = optional_date()
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    birth_year_estimated = serializers.BooleanField(required=False)
    gender = optional_choice(Gender.choices)
    marital_status = optional_choice(MaritalStatus.choices, allow_blank=True)
    number_of_children = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=40
    )
    children_accompanying = serializers.IntegerField(required=False, min_value=0, max_value=40)
    primary_language = optional_text(3, help_text=_("ISO 639 code, e.g. ru."))
    secondary_language = optional_text(3)
    education = optional_choice(Education.choices, allow_blank=True)
    citizenships = CitizenshipsField(required=False)
    identity_documents = IdentityDocumentSerializer(many=True, required=False)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    address = optional_text()
    origin_country = CountryCodeField(required=False, allow_blank=True)
    origin_region = optional_text(120)
    origin_city = optional_text(120)
    deceased = serializers.BooleanField(required=False)
    version = serializers.IntegerField(read_only=True)


def person_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validated person data in the shapes the services take."""
    fields = dict(data)
    if "identity_documents" in fields:
        fields["identity_documents"] = [dict(doc) for doc in fields["identity_documents"]]
    return fields


class PersonDetailSerializer(PersonSerializer):
    display_name = serializers.CharField(read_only=True)
    cases = serializers.SerializerMethodField()

    def get_cases(self, person: Person) -> list[str]:
        """Codes of the person's cases the caller may see."""
        user = self.context["request"].user
        return list(
            selectors.cases_of_person_for_user(user=user, person=person)
            .values_list("code", flat=True)
        )


class PersonUpdateSerializer(PersonSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a newer one on the server is a 409.")
    )


class PersonSummarySerializer(serializers.Serializer[Person]):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    birth_year_estimated = serializers.BooleanField(read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices, read_only=True)
    citizenships = CitizenshipsField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class MatchQuerySerializer(StrictInput, serializers.Serializer[Any]):
    organisation = serializers.CharField(
        required=False, max_length=32,
        help_text=_("Code of the organisation you check for (default: the first one in "
                    "which you open cases)."),
    )
    first_name = optional_text(100)
    middle_name = optional_text(100)
    last_name = optional_text(100)
    first_name_latin = optional_text(100)
    last_name_latin = optional_text(100)
    other_names = optional_text(300)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    phones = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )
    documents = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=10,
        help_text=_("Identity document numbers."),
    )
    email = optional_text(254)
    exclude_person = serializers.IntegerField(
        required=False, help_text=_("A person not to report (the one being edited).")
    )


class VisibleMatchSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    case_codes = serializers.ListField(child=serializers.CharField())
    strength = serializers.ChoiceField(choices=["strong", "likely", "possible"])


class MatchReportSerializer(serializers.Serializer[Any]):
    visible = VisibleMatchSerializer(many=True)
    elsewhere = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Names of organisations that hold a possible match you may not see: "
                    "ask them."),
    )
