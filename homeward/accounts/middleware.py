from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from homeward.accounts.selectors import active_memberships, user_requires_two_factor
from homeward.accounts.two_factor import has_two_factor
from homeward.audit.context import current

ACTIVE_MEMBERSHIP_SESSION_KEY = "homeward_active_membership"

# Paths that never depend on who is signed in.
_EXEMPT_PREFIXES = ("/static/", "/healthz")


def _exempt(request: HttpRequest) -> bool:
    return request.path.startswith(_EXEMPT_PREFIXES)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _exempt(request) and request.user.is_authenticated and request.user.language:
            translation.activate(request.user.language)
            request.LANGUAGE_CODE = request.user.language
        return self.get_response(request)


class ActiveMembershipMiddleware:
    """``request.membership``: the organisation and role the user works in now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if not _exempt(request) and request.user.is_authenticated:
            memberships = list(active_memberships(request.user))
            wanted = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            chosen = next((m for m in memberships if m.pk == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = chosen  # type: ignore[attr-defined]
            if chosen is not None:
                context = current.get()
                current.set(
                    type(context)(
                        ip=context.ip,
                        organisation_id=chosen.organisation_id,
                        organisation_code=chosen.organisation.code,
                    )
                )
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Until the second factor is verified, a user who needs 2FA sees only
    the pages that complete sign-in."""

    allowed_names = (
        "accounts:otp-verify",
        "accounts:2fa-setup",
        "accounts:logout",
        "accounts:language",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            _exempt(request)
            or request.path.startswith("/api/")
            or not user.is_authenticated
            or user.is_verified()  # type: ignore[attr-defined]
            or not user_requires_two_factor(user, getattr(request, "memberships", None))
        ):
            return self.get_response(request)
        allowed = {reverse(name) for name in self.allowed_names}
        if request.path in allowed:
            return self.get_response(request)
        target = reverse("accounts:otp-verify" if has_two_factor(user) else "accounts:2fa-setup")
        if request.method == "GET":
            # Come back here once the second factor is done.
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(target)
