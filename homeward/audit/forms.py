from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.audit.selectors import known_actions
from homeward.audit.services import ACTION_LABELS


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("Any action")),
            *((action, ACTION_LABELS.get(action, action)) for action in known_actions()),
        ]
