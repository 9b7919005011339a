""""Re-enter your password" before exports and deletions (sudo mode)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "homeward_sudo_until"


def sudo_active(request: HttpRequest) -> bool:
    until = request.session.get(SESSION_KEY)
    return isinstance(until, int | float) and until > time.time()


def sudo_grant(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time() + settings.HOMEWARD_SUDO_SECONDS


def sudo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the user to confirm their password first, then back here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sudo_active(request):
            return view(request, *args, **kwargs)
        return sudo_redirect(request)

    return wrapper


def sudo_redirect(request: HttpRequest) -> HttpResponse:
    """To the password confirmation, coming back to this page afterwards.

    Views that first have to answer 404/403 call this after their access
    checks instead of using the decorator.
    """
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:sudo')}?{query}")
