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
