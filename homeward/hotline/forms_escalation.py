"""The rescue escalation's forms: where to look for help, and the call made.

The country is typed as the contact form shows it: a two-letter code, or
the country's name in English or Russian. The call names a directory entry
the user may see, or someone who is not in the directory.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.cases.forms_records import EntryChoiceField
from homeward.core.widgets import FastSelectsMixin
from homeward.directory.models import Entry

DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def country_code_of(text: str) -> str:
    """The ISO code of a country typed as a code or a name (English or
    Russian, any case); "" when it is none we know."""
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) == 2 and countries.alpha2(text.upper()):
        return text.upper()
    for language in ("en", "ru"):
        code = countries.by_name(text, language=language)
        if isinstance(code, str) and code:
            return code
    return ""


class WhoCanHelpForm(forms.Form):
    country = forms.CharField(
        label=_("Country"), max_length=80,
        help_text=_("Its name in English or Russian, or its two-letter code."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)

    def clean_country(self) -> str:
        typed = self.cleaned_data["country"]
        code = country_code_of(typed)
        if not code:
            raise forms.ValidationError(
                _("We do not know the country “%(value)s”. Type its name in English or "
                  "Russian, or its two-letter code."), params={"value": typed},
            )
        return code


def _now() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class EscalationCallForm(FastSelectsMixin, forms.Form):
    entry = EntryChoiceField(
        label=_("Who was called"), queryset=Entry.objects.none(), required=False,
        help_text=_("The ones who can help in the country of the contact come first."),
    )
    other = forms.CharField(
        label=_("Someone not in the directory"), max_length=200, required=False,
        help_text=_("Who was called, when they are not in the directory."),
    )
    called_at = forms.DateTimeField(
        label=_("Called at"), initial=_now,
        widget=forms.DateTimeInput(
            format=DATETIME_INPUT_FORMAT, attrs={"type": "datetime-local"}
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed; no more about the person than needed."),
    )

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not cleaned.get("entry") and not (cleaned.get("other") or "").strip():
            self.add_error("entry", _("Choose who was called from the directory, or name them."))
        return cleaned
