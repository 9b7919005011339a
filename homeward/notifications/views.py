"""The user's notifications: the list, and marking them read.

Every signed-in user has a list of their own; someone else's notification
is a 404. Opening one marks it read and follows its link.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from homeward.notifications import kinds
from homeward.notifications.selectors import (
    notification_get_for_user,
    notification_list_for_user,
)
from homeward.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first; unread ones stand out."""
    page = Paginator(notification_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(notification, kinds.title(notification.kind, notification.params))
            for notification in page.object_list]
    return render(request, "notifications/notification_list.html", {
        "page": page, "rows": rows,
        "unread": any(notification.read_at is None for notification, _title in rows),
    })


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = notification_get_for_user(user=request.user, pk=pk)
    notification_mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    messages.success(request, ngettext(
        "%(count)d notification marked read.", "%(count)d notifications marked read.", count
    ) % {"count": count})
    return HttpResponseRedirect(reverse("notifications:list"))
