"""Access expectations of the notifications pages: everyone signed in has
a list of their own; a notification is seen (and marked read) only by its
recipient — everyone else gets 404, site administrators included."""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import NOT_FOUND, Expect
from homeward.notifications.models import Notification


def coordinators_notification(cast: Any) -> dict[str, Any]:
    notification = Notification.objects.create(
        user=cast.user(Role.COORDINATOR, "home"), organisation=cast.home,
        kind="referral.received", params={"code": "C-1"}, url="/notifications/",
        key=f"test:{Notification.objects.count()}",
    )
    return {"pk": notification.pk}


RECIPIENT = frozenset({Role.COORDINATOR})

EXPECTATIONS: list[Expect] = [
    Expect("notifications:list"),
    Expect("notifications:read", method="POST", kwargs=coordinators_notification,
           allowed=RECIPIENT, scoped=True, others=NOT_FOUND, site_admin=NOT_FOUND,
           not_allowed_method="GET"),
    Expect("notifications:read-all", method="POST", not_allowed_method="GET"),
]
