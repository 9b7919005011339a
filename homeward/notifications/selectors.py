"""Reading notifications: each user sees their own, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from homeward.core import access
from homeward.notifications.models import Notification


@access.register(Notification)
def _notifications(user: Any, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)


def notification_list_for_user(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return access.for_user(user, Notification).order_by("-created_at", "-id")


def notification_get_for_user(*, user: Any, pk: int) -> Notification:
    """One of the user's own notifications, or 404 (someone else's too)."""
    return access.get_for_user(user, Notification, pk=pk)


def unread_count(*, user: Any) -> int:
    return access.for_user(user, Notification).filter(read_at__isnull=True).count()
