"""The HTCDS exchange pages: export a file, import one (check → confirm →
background job with progress).

Only coordinators (``STATS_PUBLISH``) use them. An export reads the cases of
the organisations where the user publishes (``scope.exportable_cases``); an
export with identifying data needs the sudo mode (the password again) and a
recipient. An import writes cases into one of those organisations: the file
is checked first (a dry run naming every bad row and column); nothing is
saved until the user confirms, then a job writes it all or nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Organisation, User
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.directory import exchange as uploads
from homeward.stats import scope
from homeward.stats.forms_exchange import ExportForm, ImportForm
from homeward.stats.htcds import importer, profile
from homeward.stats.htcds.export import htcds_export_file
from homeward.stats.jobs import htcds_import_enqueue
from homeward.stats.pending import pending_drop, pending_keep, pending_pop

SESSION_KEY = "stats_htcds_import"
# Rows listed on the check page when the file has no errors.
PREVIEW_ROWS = 200


def _publisher(request: HttpRequest) -> tuple[User, QuerySet[Organisation]]:
    """The signed-in user and the organisations they publish for; 403 for none."""
    user = scope.require_publisher(request.user)
    return user, scope.publish_organisations(user)


def _page(request: HttpRequest, export_form: ExportForm, import_form: ImportForm) -> HttpResponse:
    return render(request, "stats/exchange.html", {
        "export_form": export_form, "import_form": import_form,
        "deidentified_columns": profile.DEIDENTIFIED_COLUMNS,
        "identifying_columns": [c.name for c in profile.COLUMNS if c.identifying],
    })


@login_required
@require_GET
def exchange(request: HttpRequest) -> HttpResponse:
    """The export form and the import upload."""
    _user, organisations = _publisher(request)
    return _page(request, ExportForm(organisations=organisations),
                 ImportForm(organisations=organisations))


@login_required
@require_GET
def exchange_export(request: HttpRequest) -> HttpResponse:
    """The HTCDS file as a download (audited); with identifying data only in
    sudo mode."""
    user, organisations = _publisher(request)
    form = ExportForm(request.GET, organisations=organisations)
    if not form.is_valid():
        return _page(request, form, ImportForm(organisations=organisations))
    identifying = bool(form.cleaned_data["identifying"])
    if identifying and not sudo_active(request):
        return sudo_redirect(request)
    organisation = form.cleaned_data["organisation"]
    try:
        result = htcds_export_file(
            actor=user, fmt=form.cleaned_data["format"], identifying=identifying,
            recipient=form.cleaned_data["recipient"] if identifying else None,
            organisations=[organisation] if organisation is not None else None,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, form, ImportForm(organisations=organisations))
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def exchange_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do (changes nothing)."""
    _user, organisations = _publisher(request)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        organisation: Organisation = form.cleaned_data["organisation"]
        name = (upload.name or "cases.csv")[:255]
        data = upload.read()
        try:
            plan = importer.htcds_check(data=data, filename=name, organisation=organisation)
        except importer.HtcdsFileError as exc:
            form.add_error("file", str(exc))
        else:
            pending_drop(request, SESSION_KEY)
            if not plan.has_errors and plan.rows:
                pending_keep(request, SESSION_KEY, data=data, filename=name,
                             organisation=organisation.pk)
            shown = plan.error_rows if plan.has_errors else plan.rows[:PREVIEW_ROWS]
            return render(request, "stats/exchange_check.html", {
                "plan": plan, "filename": name, "organisation": organisation,
                "shown": shown, "more": len(plan.rows) - len(shown),
            })
    return render(request, "stats/exchange_import.html", {"form": form})


@login_required
@require_POST
def exchange_import_confirm(request: HttpRequest) -> HttpResponse:
    """Queue the checked file's import (or cancel it); the job page follows it."""
    user, organisations = _publisher(request)
    pending = pending_pop(request, SESSION_KEY, "filename", "organisation")
    if pending is None:
        messages.error(request, _("There is no file waiting to be imported. Upload it again."))
        return HttpResponseRedirect(reverse("stats:exchange-import"))
    if "cancel" in request.POST:
        uploads.upload_discard(pending["token"])
        messages.success(request, _("Import cancelled. Nothing was changed."))
        return HttpResponseRedirect(reverse("stats:exchange"))
    organisation = organisations.filter(pk=pending["organisation"] or 0).first()
    if organisation is None:
        uploads.upload_discard(pending["token"])
        raise PermissionDenied
    job = htcds_import_enqueue(
        token=pending["token"], filename=pending["filename"], organisation=organisation,
        actor=user,
    )
    return HttpResponseRedirect(reverse("jobs:job-detail", kwargs={"pk": job.pk}))
