"""Forms of the shelters' descriptions: the network list's filters and the
shelter form (eligibility, capacity, open/closed).

They only parse the input; the services (``services.shelters``) check the
rest (capacity never below the beds in use) and save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.cases.forms_common import model_field, set_queryset
from homeward.directory.models import Entry
from homeward.shelters.choices import ShelterKind
from homeward.shelters.models import Shelter


class ShelterFilterForm(forms.Form):
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False,
        choices=[("", _("Any kind")), *ShelterKind.choices],
    )
    open_only = forms.BooleanField(label=_("Open only"), required=False)

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments (nothing when the input is invalid)."""
        if not self.is_valid():
            return {}
        return {
            "region": self.cleaned_data["region"].strip(),
            "kind": self.cleaned_data["kind"],
            "open_only": self.cleaned_data["open_only"],
        }


SHELTER_FORM_FIELDS = (
    "name_en", "name_ru", "kind", "entry", "country", "region", "city", "address", "contact",
    "min_age", "max_age", "genders", "children_allowed", "children_min_age_months",
    "wheelchair_accessible", "beds", "cots", "facilities", "is_open", "notes",
)


class ShelterForm(forms.Form):
    """A shelter's description. The operating organisation is chosen among
    those the user manages shelters of, when creating only (a shelter never
    changes hands)."""

    organisation = forms.ModelChoiceField(
        label=_("Operating organisation"), queryset=Organisation.objects.none(),
    )
    name_en = model_field(Shelter, "name_en")
    name_ru = model_field(Shelter, "name_ru")
    kind = model_field(Shelter, "kind")
    entry = forms.ModelChoiceField(
        label=_("Directory entry"), queryset=Entry.objects.none(), required=False,
        help_text=_("The operating organisation's entry in the directory, if any."),
    )
    country = model_field(Shelter, "country")
    region = model_field(Shelter, "region")
    city = model_field(Shelter, "city")
    address = model_field(Shelter, "address")
    contact = model_field(Shelter, "contact")
    min_age = model_field(Shelter, "min_age")
    max_age = model_field(Shelter, "max_age")
    genders = model_field(Shelter, "genders")
    children_allowed = model_field(Shelter, "children_allowed")
    children_min_age_months = model_field(Shelter, "children_min_age_months")
    wheelchair_accessible = model_field(Shelter, "wheelchair_accessible")
    beds = model_field(Shelter, "beds")
    cots = model_field(Shelter, "cots")
    facilities = model_field(Shelter, "facilities")
    is_open = model_field(Shelter, "is_open")
    notes = model_field(Shelter, "notes")

    field_order = ["organisation", *SHELTER_FORM_FIELDS]

    def __init__(
        self, *args: Any, entries: QuerySet[Entry],
        organisations: QuerySet[Organisation] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "entry", entries)
        if organisations is None:
            del self.fields["organisation"]
        else:
            set_queryset(self, "organisation", organisations)
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0].pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is below the minimum age."))
        return cleaned


def shelter_initial(shelter: Shelter) -> dict[str, Any]:
    """The form's starting values for an existing shelter."""
    values = {name: getattr(shelter, name) for name in SHELTER_FORM_FIELDS if name != "entry"}
    values["country"] = shelter.country.code
    values["entry"] = shelter.entry_id
    return values
