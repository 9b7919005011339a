"""Members of an organisation, managed by its administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts import services
from homeward.accounts.forms import MemberCreateForm, MembershipForm
from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Capability
from homeward.accounts.selectors import (
    membership_get_for_user,
    membership_list_for_organisation,
    organisation_get_for_user,
    require_capability_in,
)
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.accounts.two_factor import users_with_two_factor


def _manager(request: HttpRequest, code: str) -> tuple[User, Organisation]:
    """The signed-in user and the organisation whose members they manage.

    404 for an organisation the user does not belong to, 403 without the
    members.manage capability there.
    """
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    organisation = organisation_get_for_user(user=user, code=code)
    require_capability_in(user, organisation, Capability.MEMBERS_MANAGE)
    return user, organisation


@login_required
@require_GET
def member_list(request: HttpRequest, code: str) -> HttpResponse:
    user, organisation = _manager(request, code)
    memberships = list(membership_list_for_organisation(user=user, organisation=organisation))
    enrolled = users_with_two_factor([m.user_id for m in memberships])
    return render(
        request,
        "accounts/member_list.html",
        {"organisation": organisation, "memberships": memberships, "enrolled": enrolled},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    user, organisation = _manager(request, code)
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_create(actor=user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The member was added."))
            return redirect("accounts:member-list", code=organisation.code)
    return render(
        request, "accounts/member_form.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, organisation = _manager(request, code)
    membership = membership_get_for_user(user=user, organisation=organisation, pk=pk)
    form = MembershipForm(
        request.POST or None,
        initial={"role": membership.role, "is_active": membership.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=user, membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("accounts:member-list", code=organisation.code)
    return render(
        request, "accounts/membership_edit.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, organisation = _manager(request, code)
    membership = membership_get_for_user(user=user, organisation=organisation, pk=pk)
    if not sudo_active(request):
        return sudo_redirect(request)
    error = ""
    if request.method == "POST":
        try:
            services.membership_delete(actor=user, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The member was removed from the organisation."))
            return redirect("accounts:member-list", code=organisation.code)
    return render(
        request, "accounts/membership_delete.html",
        {"organisation": organisation, "membership": membership, "error": error},
    )
