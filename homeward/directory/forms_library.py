"""Forms of the resource library: the filters of the list, and upload/edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.directory.library import ACCEPT, MAX_UPLOAD_BYTES, check_upload
from homeward.directory.models import Visibility, roles_from_text
from homeward.directory.models_library import Document, DocumentCategory

LANGUAGE_CHOICES = [("", _("Any language")), ("ru", _("Russian")), ("en", _("English"))]


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search in titles"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False,
        choices=[("", _("Any category")), *DocumentCategory.choices],
    )
    language = forms.CharField(
        label=_("Language"), required=False, max_length=2,
        help_text=_("ISO 639-1 code, for example ru, en, tr."),
    )

    def filters(self) -> dict[str, str]:
        """The valid filters; invalid ones are ignored rather than refused."""
        if not self.is_valid():
            return {"query": "", "category": "", "language": ""}
        return {
            "query": self.cleaned_data["q"].strip(),
            "category": self.cleaned_data["category"],
            "language": self.cleaned_data["language"].strip().lower(),
        }


class DocumentForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Maintained by"), queryset=Organisation.objects.none(), empty_label=None
    )
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    language = forms.RegexField(
        label=_("Language of the document"), regex=r"^[A-Za-z]{2}$", max_length=2,
        initial="ru",
        help_text=_("ISO 639-1 code, for example ru, en, tr."),
        error_messages={"invalid": _("Use a two-letter ISO 639-1 code.")},
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Visibility.choices, initial=Visibility.COALITION
    )
    restricted_roles = forms.MultipleChoiceField(
        label=_("Roles that may see it"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for restricted visibility."),
    )
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(
        self, *args: Any, owners: QuerySet[Organisation] | None = None,
        document: Document | None = None, **kwargs: Any,
    ) -> None:
        if document is not None:
            kwargs.setdefault("initial", {
                "title_ru": document.title_ru,
                "title_en": document.title_en,
                "description": document.description,
                "category": document.category,
                "language": document.language,
                "year": document.year,
                "visibility": document.visibility,
                "restricted_roles": roles_from_text(document.restricted_roles),
            })
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["file"].help_text = gettext(
            "PDF, Word, OpenDocument, Excel, PowerPoint, text, Markdown, JPEG or PNG; "
            "at most %(limit)d MB."
        ) % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        if document is not None:
            self.fields["file"].required = False
            self.fields["file"].help_text += " " + gettext("Leave empty to keep the current file.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload

    def clean_language(self) -> str:
        return str(self.cleaned_data["language"]).lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_ru", "").strip() or data.get("title_en", "").strip()):
            self.add_error(
                "title_en",
                ValidationError(_("Give the document a title in Russian or in English.")),
            )
        if data.get("visibility") == Visibility.RESTRICTED and not data.get("restricted_roles"):
            self.add_error(
                "restricted_roles",
                ValidationError(_("Name at least one role that may see a restricted record.")),
            )
        return data
