"""Forms for the hotline's lines and information campaigns.

They only parse the input; the services (:mod:`homeward.hotline.services`)
check the rest (the number read as a phone of the line's country, a campaign
ending after it starts) and save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.forms_common import model_field, set_queryset
from homeward.directory.phones import display
from homeward.hotline.models import Campaign, Line


class _OrganisationMixin(forms.Form):
    """The owning organisation, chosen among those the user manages; only
    when creating (a record never changes hands)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            set_queryset(self, "organisation", organisations)
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0].pk


class LineForm(_OrganisationMixin):
    label_en = model_field(Line, "label_en")
    label_ru = model_field(Line, "label_ru")
    country = model_field(Line, "country")
    number = model_field(
        Line, "number", widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})
    )
    languages = model_field(Line, "languages")
    is_24_7 = model_field(Line, "is_24_7")
    hours = model_field(Line, "hours")
    is_active = model_field(Line, "is_active")

    field_order = [
        "organisation", "label_en", "label_ru", "country", "number", "languages", "is_24_7",
        "hours", "is_active",
    ]


def line_initial(line: Line) -> dict[str, Any]:
    """The form's starting values for an existing line."""
    return {
        "label_en": line.label_en, "label_ru": line.label_ru, "country": line.country.code,
        "number": display(line.number), "languages": line.languages, "is_24_7": line.is_24_7,
        "hours": line.hours, "is_active": line.is_active,
    }


class CampaignForm(_OrganisationMixin):
    name = model_field(Campaign, "name")
    cities = model_field(Campaign, "cities")
    channels = model_field(Campaign, "channels")
    starts_on = model_field(Campaign, "starts_on")
    ends_on = model_field(Campaign, "ends_on")
    materials_distributed = model_field(Campaign, "materials_distributed")
    notes = model_field(Campaign, "notes")

    field_order = [
        "organisation", "name", "cities", "channels", "starts_on", "ends_on",
        "materials_distributed", "notes",
    ]


def campaign_initial(campaign: Campaign) -> dict[str, Any]:
    """The form's starting values for an existing campaign."""
    return {
        "name": campaign.name, "cities": campaign.cities, "channels": campaign.channels,
        "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
        "materials_distributed": campaign.materials_distributed, "notes": campaign.notes,
    }
