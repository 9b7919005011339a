"""The CTDC reference data: the imported datasets, and their upload.

Every report reader (coordinators, researchers) sees the list; CTDC data is
public and global — clearly labelled as not the coalition's cases.
Coordinators (``STATS_PUBLISH``) upload a CTDC CSV file: it is checked
first (a dry run that writes nothing), then imported in the background
(all or nothing) with a progress page.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.core import access
from homeward.directory import exchange as uploads
from homeward.stats import ctdc, scope
from homeward.stats.jobs import ctdc_import_enqueue
from homeward.stats.models import CtdcDataset
from homeward.stats.pending import pending_keep, pending_pop
from homeward.stats.reports.ctdc import CITIZENSHIP_BY_EXPLOITATION

SESSION_KEY = "stats_ctdc_import"
MAX_FILE_BYTES = 50 * 1024 * 1024


class CtdcUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CTDC file"),
        help_text=gettext_lazy(
            "A CSV file published by CTDC: the condensed victim–perpetrator file or the global "
            "synthetic victim file, up to 50 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    label = forms.CharField(
        label=gettext_lazy("Name of the dataset"), max_length=200, required=False,
        help_text=gettext_lazy("Shown in lists and reports; the file name when left empty."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 50 MB."))
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(gettext_lazy("Upload a .csv file."))
        return upload


def _report_url(dataset: CtdcDataset) -> str:
    url = reverse("stats:report", kwargs={"name": CITIZENSHIP_BY_EXPLOITATION.name})
    return f"{url}?dataset={dataset.pk}"


@login_required
@require_GET
def reference_list(request: HttpRequest) -> HttpResponse:
    """The CTDC datasets, each with a link to its report."""
    user = scope.require_viewer(request.user)
    datasets = access.for_user(user, CtdcDataset).select_related("imported_by")
    return render(request, "stats/reference_list.html", {
        "datasets": [(dataset, _report_url(dataset)) for dataset in datasets],
        "may_upload": scope.may_publish(user),
    })


def _summary(records: list[dict[str, Any]]) -> list[tuple[str, int]]:
    years = Counter(record["year_registered"] or "" for record in records)
    return sorted(years.items(), key=lambda item: (item[0] == "", item[0]))


@login_required
@require_http_methods(["GET", "POST"])
def reference_upload(request: HttpRequest) -> HttpResponse:
    """Upload a CTDC file and see what importing it would do (changes nothing)."""
    scope.require_publisher(request.user)
    form = CtdcUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = (upload.name or "ctdc.csv")[:255]
        data = upload.read()
        try:
            records = ctdc.ctdc_check(data=data)
        except ctdc.CtdcFileError as exc:
            return render(request, "stats/reference_check.html", {
                "filename": name, "errors": exc.messages, "records": 0,
            })
        label = form.cleaned_data["label"].strip() or ctdc.default_label(name)
        pending_keep(request, SESSION_KEY, data=data, filename=name, label=label)
        return render(request, "stats/reference_check.html", {
            "filename": name, "errors": [], "records": len(records), "label": label,
            "years": _summary(records),
        })
    return render(request, "stats/reference_upload.html", {"form": form})


@login_required
@require_POST
def reference_confirm(request: HttpRequest) -> HttpResponse:
    """Queue the checked file's import (or cancel it); the job page follows it."""
    user = scope.require_publisher(request.user)
    pending = pending_pop(request, SESSION_KEY, "filename", "label")
    if pending is None:
        messages.error(request, _("There is no file waiting to be imported. Upload it again."))
        return HttpResponseRedirect(reverse("stats:reference-upload"))
    if "cancel" in request.POST:
        uploads.upload_discard(pending["token"])
        messages.success(request, _("Import cancelled. Nothing was changed."))
        return HttpResponseRedirect(reverse("stats:reference"))
    membership = getattr(request, "membership", None)
    job = ctdc_import_enqueue(
        token=pending["token"], source_name=pending["filename"], label=pending["label"],
        actor=user, organisation=membership.organisation if membership is not None else None,
    )
    return HttpResponseRedirect(reverse("jobs:job-detail", kwargs={"pk": job.pk}))
