"""The unread count the header shows next to the notifications link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeward.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``notifications_unread``: the signed-in user's unread count, read
    lazily (a page that does not draw the header costs no query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": lambda: unread_count(user=user)}
