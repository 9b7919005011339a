from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from homeward.audit.context import RequestContext, current
from homeward.core.net import client_ip


class AuditContextMiddleware:
    """Makes the caller's address available to audit writes in this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current.set(RequestContext(ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
