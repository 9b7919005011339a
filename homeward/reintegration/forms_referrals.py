"""Forms of referrals between organisations and transfers of responsibility.

The forms parse the input only; the services (``services/referrals.py``)
decide: the minimum parts are always shared, identifying parts need the
person's consent to share data with the receiving organisation, a transfer
needs it whatever is shared. The referral form knows which receivers have
that consent on record so that the page can lock the identifying parts and
say why — the service checks again when it saves.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation, User
from homeward.cases.forms_common import date_input
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    IDENTIFYING_PARTS,
    MINIMUM_PARTS,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralReason,
    SharedPart,
)

ANSWER_DAYS = 7


def default_due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=ANSWER_DAYS)


class ReceiverField(forms.ModelChoiceField):
    """A directory entry that describes an organisation working in Homeward."""

    def label_from_instance(self, obj: Any) -> str:
        entry: Entry = obj
        place = ", ".join(part for part in (entry.city, entry.region) if part)
        return f"{entry.name} ({place})" if place else entry.name


@dataclasses.dataclass(frozen=True)
class PartRow:
    """One part of the case as the form shows it."""

    value: str
    label: Any
    checked: bool
    # Ticked and locked (the minimum), or unavailable (identifying, no consent).
    locked: bool
    disabled: bool


class _ReferralBase(forms.Form):
    receiver = ReceiverField(
        label=_("Receiving organisation"), queryset=Entry.objects.none(),
        empty_label=_("Choose from the directory"),
        help_text=_("Organisations of the directory that work in Homeward."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReferralReason.choices)
    purposes = forms.MultipleChoiceField(
        label=_("Purpose"), choices=ReferralPurpose.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one purpose.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label=_("Message to the receiver"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or contacts here: they are shared only as parts "
                    "of the case, with consent."),
    )
    answer_due_on = forms.DateField(
        label=_("Answer by"), required=False, widget=date_input(), initial=default_due,
        help_text=_("A week from today when left empty."),
    )

    kind: str = ReferralKind.REFERRAL

    def __init__(
        self, *args: Any, receivers: QuerySet[Entry], consented: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers  # type: ignore[attr-defined]
        # Organisations (pks) the person's consent to share data covers.
        self.consented = consented

    def chosen_receiver(self) -> Entry | None:
        """The entry chosen (posted, or asked for with ``?receiver=``)."""
        field = self.fields["receiver"]
        raw = self["receiver"].value()
        if raw in (None, ""):
            return None
        try:
            entry = field.clean(raw)
        except forms.ValidationError:
            return None
        return entry if isinstance(entry, Entry) else None

    def consent_on_record(self) -> bool:
        entry = self.chosen_receiver()
        return entry is not None and entry.organisation_id in self.consented

    def parts_to_share(self) -> list[str]:
        return list(MINIMUM_PARTS)

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``referral_send`` (after ``is_valid``)."""
        data = self.cleaned_data
        entry: Entry = data["receiver"]
        organisation = entry.organisation
        assert isinstance(organisation, Organisation)  # noqa: S101 - receivers_for has it
        return {
            "receiver": organisation, "receiver_entry": entry, "kind": self.kind,
            "reason": data["reason"], "purposes": list(data["purposes"]),
            "needs": list(data["needs"]), "shared_parts": self.parts_to_share(),
            "message": data["message"], "answer_due_on": data["answer_due_on"],
        }


class ReferralForm(_ReferralBase):
    """A referral: the case stays with the sender; the receiver helps with
    the purposes and sees only the parts ticked here."""

    shared_parts = forms.MultipleChoiceField(
        label=_("Parts of the case to share"), choices=SharedPart.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["receiver", "reason", "purposes", "needs", "shared_parts", "message",
                   "answer_due_on"]

    def part_rows(self) -> list[PartRow]:
        raw = self["shared_parts"].value() or []
        chosen = {str(value) for value in raw}
        consent = self.consent_on_record()
        rows = []
        for value, label in SharedPart.choices:
            minimum = value in MINIMUM_PARTS
            identifying = value in IDENTIFYING_PARTS
            rows.append(PartRow(
                value=value, label=label, checked=minimum or value in chosen,
                locked=minimum, disabled=identifying and not consent,
            ))
        return rows

    def parts_to_share(self) -> list[str]:
        chosen = set(self.cleaned_data.get("shared_parts") or [])
        return [value for value in SharedPart.values if value in chosen or value in MINIMUM_PARTS]


class TransferForm(_ReferralBase):
    """A transfer of responsibility: the case moves to the receiver, with
    everything in it — so it needs the person's consent to share data with
    the receiver, whatever else."""

    kind = ReferralKind.TRANSFER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].label = _("Organisation that takes the case over")
        self.fields["reason"].initial = ReferralReason.MIGRATION
        self.fields["message"].label = _("Message to the organisation taking over")

    def parts_to_share(self) -> list[str]:
        return list(SharedPart.values)


class ReasonForm(forms.Form):
    """Why a referral is declined or revoked (the other side reads it)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the other organisation reads it.")},
    )


class AssignForm(forms.Form):
    """The receiving organisation's worker in charge of a referral."""

    assignee = forms.ModelChoiceField(
        label=_("Worker in charge"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers  # type: ignore[attr-defined]
