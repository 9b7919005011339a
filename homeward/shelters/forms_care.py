"""Forms of a person's care, the same from the case and from the shelter:
the standard package (one decision per service, recorded together) and an
entry of the service log.

They only parse the input; the services check who may, the dates and what
changes, and save.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import User
from homeward.cases.forms_common import model_field, set_queryset, today
from homeward.shelters.choices import OfferStatus, StandardService
from homeward.shelters.models import ServiceOffer, ServiceSession

NO_CHANGE = ""


class PackageForm(forms.Form):
    """The standard package at once: one decision per service (offered,
    accepted, refused), each preset to the decision in force. Its cleaned
    data are the arguments of :func:`homeward.shelters.services.package.package_record`,
    which records only what changes."""

    decided_on = model_field(ServiceOffer, "decided_on", initial=today)
    note = model_field(ServiceOffer, "note", required=False)

    def __init__(self, *args: Any, current: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NO_CHANGE, _("Not decided")), *OfferStatus.choices]
        for value, label in StandardService.choices:
            self.fields[self.field_name(value)] = forms.ChoiceField(
                label=label, choices=choices, required=False,
                initial=current.get(value, NO_CHANGE),
            )
        self.order_fields([*(self.field_name(value) for value in StandardService.values),
                           "decided_on", "note"])

    @staticmethod
    def field_name(service: str) -> str:
        return f"service_{service}"

    def service_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(value)] for value in StandardService.values]

    def clean(self) -> dict[str, Any]:
        """``decided_on``, ``note`` and ``decisions`` (service → decision, for
        every service with one chosen)."""
        cleaned = super().clean() or {}
        decisions = {
            service: cleaned.pop(self.field_name(service), NO_CHANGE)
            for service in StandardService.values
        }
        cleaned["decisions"] = {
            service: status for service, status in decisions.items() if status != NO_CHANGE
        }
        return cleaned


class SessionForm(forms.Form):
    """An entry of the service log; who provided it is checked by the service."""

    kind = model_field(ServiceSession, "kind")
    held_on = model_field(ServiceSession, "held_on", initial=today)
    duration_minutes = model_field(ServiceSession, "duration_minutes")
    provided_by = forms.ModelChoiceField(
        label=_("Provided by"), queryset=User.objects.none(), required=False,
    )
    provider_name = model_field(ServiceSession, "provider_name")
    notes = model_field(ServiceSession, "notes")

    def __init__(self, *args: Any, providers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "provided_by", providers)
