"""Organisations: list and detail for members, create and edit for site admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts import services
from homeward.accounts.forms import OrganisationForm
from homeward.accounts.models import User
from homeward.accounts.roles import Capability, Role
from homeward.accounts.selectors import (
    capabilities_in,
    organisation_get_for_user,
    organisation_list_for_user,
    role_counts,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    return user


def _require_site_admin(user: User) -> None:
    if not user.is_site_admin:
        raise PermissionDenied


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(organisation_list_for_user(user=user, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "accounts/organisation_list.html",
        {
            "page": page,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
            "can_create": user.is_site_admin,
        },
    )


@login_required
@require_GET
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    organisation = organisation_get_for_user(user=user, code=code)
    capabilities = capabilities_in(user, organisation)
    counts = role_counts(organisation=organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "role_counts": sorted((Role(r).label, n) for r, n in counts.items()),
            "can_manage_members": Capability.MEMBERS_MANAGE in capabilities,
            "can_edit": user.is_site_admin,
        },
    )


def _save_form(
    request: HttpRequest, form: OrganisationForm, user: User, code: str | None
) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        if code is None:
            organisation = services.organisation_create(actor=user, **form.cleaned_data)
            messages.success(request, _("The organisation was created."))
        else:
            organisation = services.organisation_update(
                actor=user, organisation=form.instance, **form.cleaned_data
            )
            messages.success(request, _("The organisation was saved."))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    return redirect("accounts:organisation-detail", code=organisation.code)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_site_admin(user)
    form = OrganisationForm(request.POST or None)
    return _save_form(request, form, user, None) or render(
        request, "accounts/organisation_form.html", {"form": form, "creating": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    organisation = organisation_get_for_user(user=user, code=code)
    _require_site_admin(user)
    form = OrganisationForm(request.POST or None, instance=organisation)
    return _save_form(request, form, user, code) or render(
        request, "accounts/organisation_form.html",
        {"form": form, "creating": False, "organisation": organisation},
    )
