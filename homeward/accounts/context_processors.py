from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeward.accounts.roles import ROLE_CAPABILITIES, Capability
from homeward.accounts.selectors import user_requires_two_factor


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs to draw the navigation for this user."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_capabilities": set(), "membership": None, "memberships": [], "nav_ready": False
        }
    if user.is_site_admin:
        capabilities = {c.value for c in Capability}
    elif membership is not None:
        capabilities = {c.value for c in ROLE_CAPABILITIES.get(membership.role, frozenset())}
    else:
        capabilities = set()
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav_capabilities": capabilities,
        "nav_ready": user.is_verified() or not user_requires_two_factor(
            user, getattr(request, "memberships", [])
        ),
    }
