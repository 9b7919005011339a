"""Forms of the HTCDS exchange pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.stats.htcds.importer import MAX_FILE_BYTES


class ExportForm(forms.Form):
    """What to export (read from the query string: the export is a download)."""

    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv"
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All organisations where I publish"),
    )
    identifying = forms.BooleanField(
        label=_("Include identifying data"), required=False,
        help_text=_("Names, birth date, contacts and document numbers, and exact dates — only "
                    "for the cases whose person agreed to share their data with the "
                    "recipient. You will be asked for your password."),
    )
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"), queryset=Organisation.objects.none(),
        required=False, help_text=_("Required for an export with identifying data."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(is_active=True).order_by("code")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("identifying") and not cleaned.get("recipient"):
            self.add_error("recipient", _("Choose the organisation the file is sent to."))
        if cleaned.get("recipient") and not cleaned.get("identifying"):
            cleaned["recipient"] = None
        return cleaned


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Import the cases into"), queryset=Organisation.objects.none(),
    )
    file = forms.FileField(
        label=_("HTCDS file"),
        help_text=_("CSV (UTF-8) or XLSX, one row per case, HTCDS field names as column "
                    "headers, up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            field.initial = organisations.first()

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB. Split it into smaller files.")
            )
        if not (upload.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or an .xlsx file."))
        return upload
