"""The hotline contact form (keyboard first) and the contact list's filters.

The form only parses: countries typed as a code or a name, times from
``datetime-local`` inputs. The service (:func:`homeward.hotline.services.contact_log`)
checks the rest — the phone read and normalised, the end after the start, the
follow-up's assignee — and its refusals are shown on the fields they name.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from homeward.accounts.models import User
from homeward.cases.forms_common import GroupedFormMixin, model_field, set_queryset
from homeward.core.widgets import FastSelectMultiple
from homeward.directory.models import Entry
from homeward.directory.phones import display
from homeward.hotline.choices import CallerType, Channel, Outcome, Topic
from homeward.hotline.models import Contact, Line

DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M:%S"
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
]
COUNTRY_LANGUAGES = ("en", "ru")


# --- countries typed by name ---------------------------------------------------


@functools.cache
def _country_lookup() -> dict[str, str]:
    """Every way we accept a country: alpha-2 and alpha-3 codes, the English
    and the Russian name (current, official or former, e.g. "Turkey"),
    case-insensitive."""
    from django_countries.data import COUNTRIES

    lookup: dict[str, str] = {}
    for language in COUNTRY_LANGUAGES:
        with translation.override(language):
            for code, official in COUNTRIES.items():
                lookup[str(official).casefold()] = code
            for code, names in countries.OLD_NAMES.items():
                for old in names:
                    lookup[str(old).casefold()] = code
            for code, common in countries.COMMON_NAMES.items():
                lookup[str(common).casefold()] = code
            for code, name in countries:
                lookup[str(name).casefold()] = code
    for code, _name in countries:
        lookup[code.casefold()] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            lookup[alpha3.casefold()] = code
    return lookup


def country_from_text(text: str) -> str | None:
    """The ISO alpha-2 code of ``text`` (a code, or a name in English or
    Russian); "" for nothing typed, None for a country we do not know."""
    text = " ".join(text.split())
    if not text:
        return ""
    return _country_lookup().get(text.casefold())


def country_names() -> list[str]:
    """Country names in the active language, for the ``<datalist>``."""
    return [str(name) for _code, name in countries]


class CountryTextField(forms.CharField):
    """A country typed as a code or a name (with the list of names offered)."""

    widget = forms.TextInput(attrs={"list": "country-names", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        code = country_from_text(text)
        if code is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a country we know. Choose one from the list."),
                code="unknown_country", params={"value": text},
            )
        return code

    def prepare_value(self, value: Any) -> Any:
        """A known code is shown as the country's name in the active language."""
        code = str(getattr(value, "code", value) or "")
        if len(code) == 2 and countries.alpha2(code.upper()):
            return str(dict(countries)[code.upper()])
        return value


# --- the contact form ----------------------------------------------------------


class FirstOptionAutofocusRadioSelect(forms.RadioSelect):
    """Radios whose first option takes the focus when the page opens."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["index"] == "0":
            option["attrs"]["autofocus"] = True
        return option


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        format=DATETIME_INPUT_FORMAT, attrs={"type": "datetime-local", "step": "1"}
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ContactForm(GroupedFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.CALL,
        widget=FirstOptionAutofocusRadioSelect,
    )
    line = forms.ModelChoiceField(
        label=_("Line"), queryset=Line.objects.none(), required=False,
        empty_label=pgettext_lazy("hotline line", "— none (e-mail, visit) —"),
    )
    started_at = forms.DateTimeField(
        label=_("Started"), input_formats=DATETIME_INPUT_FORMATS, widget=datetime_input(),
    )
    ended_at = forms.DateTimeField(
        label=_("Ended"), input_formats=DATETIME_INPUT_FORMATS, widget=datetime_input(),
        required=False,
    )
    caller_type = forms.ChoiceField(
        label=_("Caller"), choices=CallerType.choices, widget=forms.RadioSelect,
    )
    professional_kind = model_field(Contact, "professional_kind")
    caller_country = CountryTextField(label=_("Caller's country"))
    caller_region = model_field(Contact, "caller_region")
    caller_city = model_field(Contact, "caller_city")
    concern_country = CountryTextField(
        label=_("Country of the person of concern"),
        help_text=_("Only when not where the caller is."),
    )
    concern_city = model_field(Contact, "concern_city")
    topics = model_field(Contact, "topics")
    indicators = model_field(Contact, "indicators")
    assessment = model_field(Contact, "assessment")
    advice_given = model_field(Contact, "advice_given")
    referrals = forms.ModelMultipleChoiceField(
        label=_("Referred to"), queryset=Entry.objects.none(), required=False,
        widget=FastSelectMultiple(attrs={"size": 6}),
        help_text=_("Entries of the directory. Hold Ctrl (or Shift) to choose several."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect,
    )
    notes = model_field(Contact, "notes")
    follow_up_due = model_field(Contact, "follow_up_due")
    follow_up_assignee = UserChoiceField(
        label=_("Follow-up by"), queryset=User.objects.none(), required=False,
        help_text=_("Leave empty to follow up yourself."),
    )
    caller_name = model_field(Contact, "caller_name")
    concern_name = model_field(Contact, "concern_name")
    caller_phone = model_field(
        Contact, "caller_phone",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    caller_email = model_field(
        Contact, "caller_email",
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )

    groups = [
        (_("The contact"), ["channel", "line"]),
        (_("Who called, from where"), [
            "caller_type", "professional_kind", "caller_country", "caller_region",
            "caller_city", "concern_country", "concern_city",
        ]),
        (_("What it was about"), ["topics", "indicators", "assessment"]),
        (_("What was done"), ["advice_given", "referrals", "outcome", "notes"]),
        (_("Follow-up"), ["follow_up_due", "follow_up_assignee"]),
        (_("Names and contacts (optional, encrypted)"), [
            "caller_name", "caller_phone", "caller_email", "concern_name",
        ]),
        # Last: the start is filled in and the end is set with Alt+E, so the
        # operator tabs through them only to correct them.
        (_("Time"), ["started_at", "ended_at"]),
    ]

    def __init__(
        self, *args: Any, lines: QuerySet[Line], entries: QuerySet[Entry],
        assignees: QuerySet[User], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "line", lines)
        set_queryset(self, "referrals", entries)
        set_queryset(self, "follow_up_assignee", assignees)
        # The repeat-caller panel: only the number (and the contact being
        # edited) is sent, never the rest of the form.
        self.fields["caller_phone"].widget.attrs.update({
            "hx-post": reverse("hotline:contact-phone-check"), "hx-trigger": "change",
            "hx-target": "#repeat-caller", "hx-params": "caller_phone,contact",
            "hx-sync": "this:replace",
        })

    def clean_professional_kind(self) -> str:
        return str(self.cleaned_data.get("professional_kind") or "")

    def clean_assessment(self) -> str:
        return str(self.cleaned_data.get("assessment") or "")

    def service_values(self) -> tuple[dict[str, Any], list[Entry]]:
        """The fields for the service, and the referrals apart."""
        values = dict(self.cleaned_data)
        referrals = list(values.pop("referrals") or [])
        return values, referrals

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, "Label: message") for each error, in the order of the form."""
        summary: list[tuple[str, str]] = [("", str(error)) for error in self.non_field_errors()]
        for name, field in self.fields.items():
            bound = self[name]
            if not bound.errors:
                continue
            anchor = bound.auto_id
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            summary.extend((anchor, f"{bound.label}: {error}") for error in bound.errors)
        return summary


def contact_initial(contact: Contact) -> dict[str, Any]:
    """The form's starting values for an existing contact."""
    values: dict[str, Any] = {
        name: getattr(contact, name) for name in (
            "channel", "started_at", "ended_at", "caller_type", "professional_kind",
            "caller_region", "caller_city", "concern_city", "topics", "indicators",
            "assessment", "advice_given", "outcome", "notes", "follow_up_due",
            "caller_name", "caller_email", "concern_name",
        )
    }
    values["line"] = contact.line_id
    values["caller_country"] = contact.caller_country.code or ""
    values["concern_country"] = contact.concern_country.code or ""
    values["follow_up_assignee"] = contact.follow_up_assignee_id
    values["caller_phone"] = display(contact.caller_phone)
    values["referrals"] = list(contact.referrals.values_list("pk", flat=True))
    for name in ("started_at", "ended_at"):
        if values[name] is not None:
            values[name] = timezone.localtime(values[name]).replace(microsecond=0)
    return values


def new_contact_initial(*, line: Line | None) -> dict[str, Any]:
    return {
        "channel": Channel.CALL,
        "line": line.pk if line is not None else None,
        "started_at": timezone.localtime().replace(microsecond=0),
    }


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the list's filters ----------------------------------------------------------


class ContactFilterForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("Line"), queryset=Line.objects.none(), required=False,
        empty_label=pgettext_lazy("all lines", "All"),
    )
    started_from = forms.DateField(
        label=_("From"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    started_to = forms.DateField(
        label=_("To"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    caller_type = forms.ChoiceField(
        label=_("Caller"), required=False,
        choices=[("", pgettext_lazy("all caller types", "All")), *CallerType.choices],
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False,
        choices=[("", pgettext_lazy("all topics", "All")), *Topic.choices],
    )
    open_follow_up = forms.BooleanField(label=_("Open follow-up"), required=False)

    def __init__(self, *args: Any, lines: QuerySet[Line], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "line", lines)


class FollowUpFilterForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("Line"), queryset=Line.objects.none(), required=False,
        empty_label=pgettext_lazy("all lines", "All"),
    )
    assignee = UserChoiceField(
        label=_("Operator"), queryset=User.objects.none(), required=False,
        empty_label=pgettext_lazy("all operators", "All"),
    )

    def __init__(
        self, *args: Any, lines: QuerySet[Line], assignees: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "line", lines)
        set_queryset(self, "assignee", assignees)
