"""The resource library's pages: public list, detail and download; upload,
edit and delete for the editors of the owning organisation.

Files are sent only by :func:`document_download`, after the access gate,
always as an attachment with the content type recorded at upload.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.directory import services_library as services
from homeward.directory.forms_library import DocumentFilterForm, DocumentForm
from homeward.directory.models import Visibility
from homeward.directory.selectors_library import (
    can_edit_document,
    document_get_for_editor,
    document_get_for_user,
    document_list_for_user,
    library_owners_for_user,
    require_library_editor,
)

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    return user


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(document_list_for_user(user=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request, "directory/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_upload": library_owners_for_user(request.user).exists(),
        },
    )


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(user=request.user, pk=pk)
    return render(
        request, "directory/document_detail.html",
        {"document": document, "can_edit": can_edit_document(request.user, document)},
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = document_get_for_user(user=request.user, pk=pk)
    try:
        handle = services.document_download(actor=_actor(request), document=document)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if document.visibility != Visibility.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response


def _form_values(form: DocumentForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("file", None)
    return values


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owners = require_library_editor(user)
    form = DocumentForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_create(
                actor=user, upload=form.cleaned_data["file"], **_form_values(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document was added to the library."))
            return redirect("directory:document-list")
    return render(request, "directory/document_form.html", {"form": form, "document": None})


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = document_get_for_editor(user=user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=user, document=document, upload=form.cleaned_data.get("file") or None,
                **_form_values(form),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("directory:document-list")
    return render(
        request, "directory/document_form.html", {"form": form, "document": document}
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = document_get_for_editor(user=user, pk=pk)
    if not sudo_active(request):
        return sudo_redirect(request)
    if request.method == "POST":
        services.document_delete(actor=user, document=document)
        messages.success(request, _("The document was deleted."))
        return redirect("directory:document-list")
    return render(request, "directory/document_delete.html", {"document": document})
