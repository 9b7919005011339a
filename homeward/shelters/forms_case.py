"""Forms of the case side: the placement search, a referral and the waiting
list (children's ages: :mod:`homeward.shelters.forms_common`; the package
and the service log: :mod:`homeward.shelters.forms_care`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.shelters.forms_common import ChildrenAgesField


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
