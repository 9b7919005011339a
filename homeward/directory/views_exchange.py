"""Import and export of the directory, and vCards of contact points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Organisation, User
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.directory import exchange
from homeward.directory.forms_exchange import ExportFilterForm, ImportForm
from homeward.directory.jobs import import_enqueue
from homeward.directory.selectors import contact_point_get_for_user, editable_owners

SESSION_KEY = "directory_import"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _importer(request: HttpRequest) -> tuple[User, QuerySet[Organisation]]:
    """The signed-in user and the owners they may import for; 403 for none."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    owners = editable_owners(user)
    if not owners.exists():
        raise PermissionDenied
    return user, owners


def _default_owner(request: HttpRequest, owners: QuerySet[Organisation]) -> Organisation | None:
    membership = getattr(request, "membership", None)
    if membership is not None and owners.filter(pk=membership.organisation_id).exists():
        organisation: Organisation = membership.organisation
        return organisation
    return None


def _parse(
    request: HttpRequest, user: User, owners: QuerySet[Organisation], data: bytes, name: str
) -> exchange.ImportPlan:
    return exchange.import_parse(
        data=data, filename=name, user=user, owners=owners,
        default_owner=_default_owner(request, owners),
    )


def _pop_pending(request: HttpRequest) -> tuple[str, str, bytes] | None:
    """The file waiting for confirmation (token, name, bytes), removed from
    the session: a file is confirmed or cancelled once. The stored file stays
    on disk for the caller to queue or discard."""
    pending = request.session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict):
        return None
    token = str(pending.get("token", ""))
    try:
        data = exchange.upload_read(token)
    except FileNotFoundError:
        exchange.upload_discard(token)
        return None
    return token, str(pending.get("filename", "")), data


def _drop_pending(request: HttpRequest) -> None:
    pending = _pop_pending(request)
    if pending is not None:
        exchange.upload_discard(pending[0])


@login_required
@require_http_methods(["GET", "POST"])
def import_form(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do (changes nothing)."""
    user, owners = _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or ""
        data = upload.read()
        try:
            plan = _parse(request, user, owners, data, name)
        except exchange.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            _drop_pending(request)
            if not plan.has_errors:
                request.session[SESSION_KEY] = {
                    "token": exchange.upload_store(data), "filename": name,
                }
            return render(request, "directory/import_preview.html",
                          {"plan": plan, "filename": name})
    return render(request, "directory/import_form.html", {"form": form})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Check the previewed file again and queue its import, or cancel it.

    The import runs in the background (one transaction, all or nothing);
    the user is sent to the job's page to follow it.
    """
    user, owners = _importer(request)
    pending = _pop_pending(request)
    if pending is None:
        messages.error(request, _("There is no file waiting to be imported. Upload it again."))
        return HttpResponseRedirect(reverse("directory:import"))
    token, name, data = pending
    if "cancel" in request.POST:
        exchange.upload_discard(token)
        messages.success(request, _("Import cancelled. Nothing was changed."))
        return HttpResponseRedirect(reverse("directory:import"))
    try:
        plan = _parse(request, user, owners, data, name)
    except exchange.ImportFileError as exc:
        exchange.upload_discard(token)
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("directory:import"))
    if plan.has_errors:
        # The directory changed since the preview: show the rows again.
        exchange.upload_discard(token)
        return render(request, "directory/import_preview.html", {
            "plan": plan, "filename": name,
            "failure": _("The file has errors; nothing was imported."),
        })
    membership = getattr(request, "membership", None)
    job = import_enqueue(
        token=token, fmt=exchange.detect_format(data, name), actor=user,
        default_owner=_default_owner(request, owners),
        organisation=membership.organisation if membership is not None else None,
    )
    return HttpResponseRedirect(reverse("jobs:job-detail", kwargs={"pk": job.pk}))


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The directory as the user sees it, with the list page's filters."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    if not sudo_active(request):
        return sudo_redirect(request)
    filters = ExportFilterForm(request.GET).filters()
    content, _rows = exchange.directory_export(actor=user, fmt=fmt, filters=filters)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="homeward-directory-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def contact_vcard(request: HttpRequest, cpk: int) -> HttpResponse:
    """One contact point as a vCard 3.0; 404 for contact points the user cannot see."""
    contact = contact_point_get_for_user(user=request.user, pk=cpk)
    response = HttpResponse(
        exchange.contact_vcard(contact), content_type="text/vcard; charset=utf-8"
    )
    filename = slugify(f"{contact.entry.name_en} {contact.label_en}") or f"contact-{cpk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    response["Cache-Control"] = "private, no-store"
    return response
