"""Forms for editing the directory: entries and their contact points.

The forms only parse and check the shape of the input; the services
(:mod:`homeward.directory.services`) validate the rest (phones to E.164, a
contact point never more visible than its entry) and save.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Field, QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.directory.models import (
    ContactPoint,
    Entry,
    EntryKind,
    Service,
    Visibility,
    roles_from_text,
)

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
SEPARATORS = re.compile(r"[,;\s]+")


def _split(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text.strip()) if part]


class LanguagesField(forms.CharField):
    """Comma-separated ISO 639-1 codes (``ru, en, tr``) → ``["ru", "en", "tr"]``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Languages spoken"))
        kwargs.setdefault(
            "help_text",
            _("Two-letter ISO 639-1 codes separated by commas, for example ru, en, tr."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        codes: list[str] = []
        for code in _split(str(super().to_python(value)).lower()):
            if not LANGUAGE_CODE.match(code):
                raise ValidationError(
                    _("“%(code)s” is not a language code: write two letters, for example ru."),
                    code="invalid_language", params={"code": code},
                )
            if code not in codes:
                codes.append(code)
        return codes


class EmailsField(forms.CharField):
    """E-mail addresses separated by commas or new lines → a list."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("E-mails"))
        kwargs.setdefault("help_text", _("One per line, or separated by commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        emails: list[str] = []
        for email in _split(str(super().to_python(value))):
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError(
                    _("“%(value)s” is not an e-mail address."),
                    code="invalid_email", params={"value": email},
                ) from exc
            if email not in emails:
                emails.append(email)
        return emails


class VisibilityMixin(forms.Form):
    """Visibility and, for restricted records, the roles that may see them."""

    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Visibility.choices, widget=forms.RadioSelect,
        initial=Visibility.COALITION,
    )
    restricted_roles = forms.MultipleChoiceField(
        label=_("Roles that may see it"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for restricted visibility; name at least one role."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("visibility") == Visibility.RESTRICTED:
            if not cleaned.get("restricted_roles"):
                self.add_error(
                    "restricted_roles",
                    _("Name at least one role that may see a restricted record."),
                )
        else:
            cleaned["restricted_roles"] = []
        return cleaned


def _model_field(model: type[Entry] | type[ContactPoint], name: str) -> Any:
    """The form field Django derives from the model field (label, length, help)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 - only concrete fields are named here
    return field.formfield()


class EntryForm(VisibilityMixin):
    owner = forms.ModelChoiceField(
        label=_("Maintained by"), queryset=Organisation.objects.none(),
        help_text=_("The member organisation that keeps this entry up to date."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation in Homeward"), queryset=Organisation.objects.none(),
        required=False, empty_label=_("Not in Homeward"),
        help_text=_("Set when the organisation works in Homeward: referrals then reach it."),
    )
    name_en = _model_field(Entry, "name_en")
    name_ru = _model_field(Entry, "name_ru")
    country = _model_field(Entry, "country")
    region = _model_field(Entry, "region")
    city = _model_field(Entry, "city")
    address = _model_field(Entry, "address")
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=5,
        min_value=Decimal(-90), max_value=Decimal(90),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=8, decimal_places=5,
        min_value=Decimal(-180), max_value=Decimal(180),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = LanguagesField()
    is_24_7 = forms.BooleanField(label=_("Open 24/7"), required=False)
    hours = _model_field(Entry, "hours")
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    emails = EmailsField()
    notes = _model_field(Entry, "notes")
    is_demo = forms.BooleanField(
        label=_("Demo entry"), required=False, help_text=_("Invented for the demonstration.")
    )

    field_order = [
        "owner", "kind", "organisation", "name_en", "name_ru", "country", "region", "city",
        "address", "latitude", "longitude", "services", "languages", "is_24_7", "hours", "website",
        "emails", "notes", "visibility", "restricted_roles", "is_demo",
    ]

    def __init__(self, *args: Any, owners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(is_active=True).order_by("name_en")
        )


def entry_initial(entry: Entry) -> dict[str, Any]:
    """The form's starting values for an existing entry."""
    return {
        "owner": entry.owner_id, "kind": entry.kind, "organisation": entry.organisation_id,
        "name_en": entry.name_en,
        "name_ru": entry.name_ru, "country": entry.country.code, "region": entry.region,
        "city": entry.city, "address": entry.address, "latitude": entry.latitude,
        "longitude": entry.longitude, "services": list(entry.services.all()),
        "languages": entry.languages, "is_24_7": entry.is_24_7, "hours": entry.hours,
        "website": entry.website, "emails": entry.emails, "notes": entry.notes,
        "visibility": entry.visibility,
        "restricted_roles": roles_from_text(entry.restricted_roles), "is_demo": entry.is_demo,
    }


class ContactPointForm(VisibilityMixin):
    label_en = _model_field(ContactPoint, "label_en")
    label_ru = _model_field(ContactPoint, "label_ru")
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=40,
        help_text=_("With the country code, for example +7 495 123-45-67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = _model_field(ContactPoint, "email")
    is_24_7 = forms.BooleanField(label=_("Answers 24/7"), required=False)
    hours = _model_field(ContactPoint, "hours")
    languages = LanguagesField()
    notes = _model_field(ContactPoint, "notes")
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32767, initial=0,
        help_text=_("Contact points are listed from the lowest number."),
    )

    field_order = [
        "label_en", "label_ru", "phone", "email", "is_24_7", "hours", "languages",
        "visibility", "restricted_roles", "notes", "position",
    ]


def contact_point_initial(contact: ContactPoint) -> dict[str, Any]:
    return {
        "label_en": contact.label_en, "label_ru": contact.label_ru, "phone": contact.phone,
        "email": contact.email, "is_24_7": contact.is_24_7, "hours": contact.hours,
        "languages": contact.languages, "visibility": contact.visibility,
        "restricted_roles": roles_from_text(contact.restricted_roles), "notes": contact.notes,
        "position": contact.position,
    }

