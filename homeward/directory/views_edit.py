"""Editing the directory: entries, their contact points, and what needs checking.

Every record comes through the access gate first (404 when the user may not
see it), then :func:`~homeward.directory.selectors.can_edit_entry` decides
(403). Deletions need the password again, asked after those checks.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import User
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.core.forms import add_service_errors
from homeward.directory import services
from homeward.directory.forms_edit import (
    ContactPointForm,
    EntryForm,
    contact_point_initial,
    entry_initial,
)
from homeward.directory.models import ContactPoint, Entry
from homeward.directory.selectors import (
    can_edit_entry,
    contact_point_get_for_user,
    editable_owners,
    entry_get_for_user,
    owner_choices_for_user,
    stale_entries_for_user,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def _editable_entry(request: HttpRequest, pk: int) -> tuple[User, Entry]:
    """The entry, if the user may see it (else 404) and edit it (else 403)."""
    user = _user(request)
    entry = entry_get_for_user(user=user, pk=pk)
    if not can_edit_entry(user, entry):
        raise PermissionDenied
    return user, entry


def _editable_contact(request: HttpRequest, pk: int) -> tuple[User, ContactPoint]:
    """The contact point, if the user may see it and edit its entry."""
    user = _user(request)
    contact = contact_point_get_for_user(user=user, pk=pk)
    if not can_edit_entry(user, contact.entry):
        raise PermissionDenied
    return user, contact


def _require_editor(user: User) -> None:
    """403 for users who edit no directory entries at all."""
    if not editable_owners(user).exists():
        raise PermissionDenied


def _entry_url(pk: int) -> str:
    """The entry's page; the stale list until the reading pages exist."""
    try:
        return reverse("directory:entry-detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return reverse("directory:stale-list")


def _list_url() -> str:
    try:
        return reverse("directory:entry-list")
    except NoReverseMatch:
        return reverse("directory:stale-list")


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = EntryForm(request.POST or None, owners=owner_choices_for_user(user=user))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            entry = services.entry_create(
                actor=user, services=values.pop("services"), **values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry was added to the directory."))
            return HttpResponseRedirect(_entry_url(entry.pk))
    return render(
        request, "directory/entry_form.html",
        {"form": form, "entry": None, "cancel_url": _list_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, entry = _editable_entry(request, pk)
    form = EntryForm(
        request.POST or None,
        initial=entry_initial(entry),
        owners=owner_choices_for_user(user=user, entry=entry),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.entry_update(
                actor=user, entry=entry, services=values.pop("services"), **values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return HttpResponseRedirect(_entry_url(entry.pk))
    return render(
        request, "directory/entry_form.html",
        {"form": form, "entry": entry, "cancel_url": _entry_url(entry.pk)},
    )


@login_required
@require_POST
def entry_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone checked that the entry is still right."""
    user, entry = _editable_entry(request, pk)
    services.entry_verify(actor=user, entry=entry)
    messages.success(
        request, _("“%(name)s” is marked as verified today.") % {"name": entry.name}
    )
    return HttpResponseRedirect(_next_or(request, _entry_url(entry.pk)))


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user, entry = _editable_entry(request, pk)
    if not sudo_active(request):
        return sudo_redirect(request)
    if request.method == "POST":
        services.entry_delete(actor=user, entry=entry)
        messages.success(request, _("The entry was deleted."))
        return HttpResponseRedirect(_list_url())
    return render(
        request, "directory/entry_delete.html",
        {"entry": entry, "contact_count": entry.contact_points.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, entry = _editable_entry(request, pk)
    form = ContactPointForm(
        request.POST or None,
        initial={"visibility": entry.visibility, "position": entry.contact_points.count()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_create(actor=user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact point was added."))
            return HttpResponseRedirect(_entry_url(entry.pk))
    return render(
        request, "directory/contact_form.html",
        {"form": form, "entry": entry, "contact": None, "cancel_url": _entry_url(entry.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, cpk: int) -> HttpResponse:
    user, contact = _editable_contact(request, cpk)
    form = ContactPointForm(request.POST or None, initial=contact_point_initial(contact))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_update(actor=user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact point was saved."))
            return HttpResponseRedirect(_entry_url(contact.entry_id))
    return render(
        request, "directory/contact_form.html",
        {
            "form": form, "entry": contact.entry, "contact": contact,
            "cancel_url": _entry_url(contact.entry_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, cpk: int) -> HttpResponse:
    user, contact = _editable_contact(request, cpk)
    if not sudo_active(request):
        return sudo_redirect(request)
    if request.method == "POST":
        services.contact_point_delete(actor=user, contact=contact)
        messages.success(request, _("The contact point was deleted."))
        return HttpResponseRedirect(_entry_url(contact.entry_id))
    return render(
        request, "directory/contact_delete.html",
        {"contact": contact, "entry": contact.entry, "cancel_url": _entry_url(contact.entry_id)},
    )


@login_required
@require_GET
def stale_list(request: HttpRequest) -> HttpResponse:
    """The entries the user edits that nobody checked in the last 12 months."""
    user = _user(request)
    _require_editor(user)
    entries = stale_entries_for_user(user=user).select_related("owner", "last_verified_by")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "directory/stale_list.html", {"page": page})
