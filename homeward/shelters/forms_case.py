"""Forms of the case side: the placement search, a referral, the waiting
list, a decision of the standard package and a service-log entry.

Children's ages are typed the way people say them ("6 months, 4 years",
"8 мес., 3 года") and kept in months, which the eligibility rules use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from homeward.accounts.models import User
from homeward.shelters.choices import OfferStatus, SessionKind, StandardService

ADULT_MONTHS = 18 * 12
_AGE = re.compile(r"^(\d+(?:[.]\d+)?)\s*([^\d\s.]*)\.?$")
# Units by how they start (English and Russian); no unit means years.
_MONTH_UNITS = ("mo", "m", "мес", "м")
_YEAR_UNITS = ("y", "г", "л")


def parse_age(text: str) -> int:
    """Months of one age: "6 months" → 6, "4 years" → 48, "1.5 y" → 18, "3" → 36."""
    match = _AGE.match(text.strip().lower())
    if match is None:
        raise ValueError(text)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits numbers only
        raise ValueError(text) from exc
    unit = match.group(2)
    if unit.startswith(_MONTH_UNITS):
        months = number
    elif unit == "" or unit.startswith(_YEAR_UNITS):
        months = number * 12
    else:
        raise ValueError(text)
    return int(months)


def format_ages(months: Iterable[int]) -> str:
    """The ages as a person would write them (and :func:`parse_age` reads back)."""
    parts = []
    for age in months:
        if age >= 12 and age % 12 == 0:
            years = age // 12
            parts.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
        else:
            parts.append(ngettext("%(count)d month", "%(count)d months", age) % {"count": age})
    return ", ".join(parts)


class ChildrenAgesField(forms.CharField):
    """Ages of accompanying children, separated by commas, as a tuple of months."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Accompanying children's ages"))
        kwargs.setdefault("help_text", _(
            "Separate them by commas, for example “6 months, 4 years”. "
            "A number alone counts as years."
        ))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", _("6 months, 4 years"))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return format_ages(value)
        return value

    def to_python(self, value: Any) -> tuple[int, ...]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return tuple(int(age) for age in value)
        text = super().to_python(value) or ""
        ages = []
        for part in re.split(r"[,;]", text):
            if not part.strip():
                continue
            try:
                months = parse_age(part)
            except ValueError:
                raise ValidationError(
                    _("“%(age)s” is not an age: write for example “6 months” or “4 years”."),
                    code="invalid", params={"age": part.strip()},
                ) from None
            if months >= ADULT_MONTHS:
                raise ValidationError(
                    _("A child's age must be under 18 years (“%(age)s”)."),
                    code="adult", params={"age": part.strip()},
                )
            ages.append(months)
        return tuple(ages)

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        return None


def _region_choices(regions: Iterable[str]) -> list[tuple[str, str]]:
    return [("", str(_("Any region")))] + [(region, region) for region in regions]


class PlacementSearchForm(forms.Form):
    """What the person needs (GET). "Not in the home region" fills the region
    to avoid from the person's region of origin."""

    children_months = ChildrenAgesField()
    needs_accessibility = forms.BooleanField(label=_("Needs wheelchair access"), required=False)
    prefer_region = forms.ChoiceField(label=_("Preferred region"), required=False)
    avoid_home_region = forms.BooleanField(required=False)

    def __init__(self, *args: Any, regions: Sequence[str], home_region: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home_region = home_region
        self.fields["prefer_region"].choices = _region_choices(regions)  # type: ignore[attr-defined]
        field = self.fields["avoid_home_region"]
        if home_region:
            field.label = _("Not in the home region (%(region)s)") % {"region": home_region}
            field.help_text = _("When returning there is not safe.")
        else:
            field.label = _("Not in the home region")
            field.help_text = _("The person's region of origin is not recorded.")
            field.disabled = True

    @property
    def avoid_region(self) -> str:
        if self.is_valid() and self.cleaned_data["avoid_home_region"]:
            return self.home_region
        return ""

    def needs_arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``eligibility.needs_for_case``."""
        data = self.cleaned_data
        return {
            "children_months": data["children_months"],
            "needs_accessibility": data["needs_accessibility"],
            "prefer_region": data["prefer_region"],
            "avoid_region": self.avoid_region,
        }


class ReferralForm(forms.Form):
    """Asking a shelter to take the person (``referral_send``)."""

    needed_from = forms.DateField(
        label=_("Needed from"), widget=forms.DateInput(attrs={"type": "date"}),
    )
    children_months = ChildrenAgesField()
    needs_accessibility = forms.BooleanField(label=_("Needs wheelchair access"), required=False)
    note = forms.CharField(
        label=_("Message to the shelter"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the shelter needs to know to prepare. The person's name is not needed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needed_from"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in."""


class WaitingForm(forms.Form):
    """Putting the person on the waiting list (``waiting_add``)."""

    children_months = ChildrenAgesField()
    needs_accessibility = forms.BooleanField(label=_("Needs wheelchair access"), required=False)
    prefer_region = forms.ChoiceField(label=_("Preferred region"), required=False)
    avoid_region = forms.CharField(
        label=_("Not in region"), required=False, max_length=120,
        help_text=_("For example the home region, when return there is unsafe."),
    )
    note = forms.CharField(
        label=_("Notes"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, regions: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefer_region"].choices = _region_choices(regions)  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    """One decision of the standard package (``service_offer_record``)."""

    service = forms.ChoiceField(label=_("Service"), choices=StandardService.choices)
    status = forms.ChoiceField(label=_("Decision"), choices=OfferStatus.choices,
                               widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class SessionForm(forms.Form):
    """One entry of the service log (``service_session_record``)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1,
                                          max_value=1440)
    provided_by = forms.ModelChoiceField(
        label=_("Provided by"), required=False, queryset=User.objects.none(),
    )
    provider_name = forms.CharField(
        label=_("Provided by (not a Homeward user)"), required=False, max_length=200,
        help_text=_("For example a psychologist or lawyer of a partner organisation."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, providers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["provided_by"].queryset = providers  # type: ignore[attr-defined]
        self.fields["provided_by"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_username()
        )
