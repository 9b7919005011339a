"""The Python-rendered selects write what Django's templates write (up to the
whitespace between tags)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django_countries.fields import CountryField

from homeward.core.widgets import speed_up_selects

CHOICES = [("", "—"), *((f"v{n}", f"Option <{n}> & “{n}”") for n in range(40))]


class _Form(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=True)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(
        choices=[("Group <a>", CHOICES[1:20]), ("Group b", CHOICES[20:])], required=False
    )
    country = CountryField(blank=True).formfield()
    short = forms.ChoiceField(choices=CHOICES[:3])


def _rendered(data: dict[str, Any] | None, *, fast: bool) -> dict[str, str]:
    form = _Form(data)
    if fast:
        speed_up_selects(form)
    return {name: re.sub(r">\s+<", "><", str(form[name]).strip()) for name in form.fields}


def test_fast_selects_render_the_same_markup() -> None:
    for data in (None, {"one": "v3", "many": ["v1", "v7"], "grouped": "v25", "country": "TR"}):
        assert _rendered(data, fast=True) == _rendered(data, fast=False)


def test_selects_are_swapped_and_other_widgets_left_alone() -> None:
    form = _Form()
    form.fields["radio"] = forms.ChoiceField(choices=CHOICES[:3], widget=forms.RadioSelect)
    speed_up_selects(form)
    assert type(form.fields["one"].widget).__name__ == "FastSelect"
    assert type(form.fields["many"].widget).__name__ == "FastSelectMultiple"
    assert type(form.fields["country"].widget).__name__ == "FastLazySelect"
    assert type(form.fields["radio"].widget) is forms.RadioSelect
