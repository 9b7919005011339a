"""The start page after sign-in, shaped by the role the user works in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from homeward.accounts import two_factor
from homeward.accounts.models import User
from homeward.accounts.roles import Capability, Role
from homeward.accounts.selectors import capabilities_in, organisation_list_for_user, role_counts
from homeward.audit.selectors import audit_list_for_user, sign_in_history_for_user
from homeward.cases.selectors import case_workload_for_user
from homeward.hotline.selectors import follow_up_counts_for_user
from homeward.reintegration.selectors_referrals import referral_counts_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return redirect("accounts:login")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    membership = getattr(request, "membership", None)
    organisation = membership.organisation if membership is not None else None
    capabilities = capabilities_in(user, organisation)
    context: dict[str, object] = {
        "role_label": Role(membership.role).label if membership is not None else "",
        "organisation": organisation,
        "has_two_factor": two_factor.has_two_factor(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "sign_ins": sign_in_history_for_user(user=user, limit=5),
        "role_counts": None,
        "recent_audit": None,
        "organisation_count": None,
        "case_workload": case_workload_for_user(user=user),
        "follow_up_counts": follow_up_counts_for_user(user=user),
        "referral_counts": referral_counts_for_user(user=user),
    }
    if organisation is not None and Capability.MEMBERS_MANAGE in capabilities:
        context["role_counts"] = sorted(
            (Role(role).label, n) for role, n in role_counts(organisation=organisation).items()
        )
    if organisation is not None and Capability.AUDIT_VIEW in capabilities:
        context["recent_audit"] = audit_list_for_user(user=user)[:8]
    if user.is_site_admin:
        context["organisation_count"] = organisation_list_for_user(user=user).count()
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in security: second factor, recovery codes, history."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": two_factor.has_two_factor(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
            "sign_ins": sign_in_history_for_user(user=user, limit=20),
        },
    )
