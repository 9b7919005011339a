"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsVerifiedMember(BasePermission):
    """Signed in, and past the second factor when the user's roles need it.

    Object-level scoping is not done here: API views fetch records through
    the same selectors (and so the same access gate) as the pages.
    """

    message = "Authentication with a verified second factor is required."

    def has_permission(self, request: Request, view: Any) -> bool:
        from homeward.accounts.selectors import user_requires_two_factor

        user = request.user
        if not user or not user.is_authenticated or not user.is_active:
            return False
        if user_requires_two_factor(user):
            return bool(getattr(user, "is_verified", lambda: False)())
        return True


class PublicOrVerifiedMember(IsVerifiedMember):
    """For endpoints with a public part: anonymous callers are let through
    (the access gate gives them public records only); a signed-in user must
    have passed the second factor, exactly as on the pages."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True
        return super().has_permission(request, view)
