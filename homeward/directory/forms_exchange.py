"""Forms of the directory's import and export pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from homeward.directory.exchange import MAX_FILE_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("CSV (UTF-8) or XLSX, up to 5 MB and 5,000 rows, with the columns of an "
                    "exported file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or an .xlsx file."))
        return upload


class ExportFilterForm(forms.Form):
    """The list page's filters, read leniently: a bad value filters nothing."""

    q = forms.CharField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=2)
    region = forms.CharField(required=False, max_length=120)
    city = forms.CharField(required=False, max_length=120)
    service = forms.CharField(required=False, max_length=40)
    language = forms.CharField(required=False, max_length=8)
    kind = forms.CharField(required=False, max_length=32)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            ("query" if name == "q" else name): value.strip()
            for name, value in self.cleaned_data.items()
            if value
        }
