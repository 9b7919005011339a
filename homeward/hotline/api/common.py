"""What the hotline endpoints share: the role check (403) and records through
the access gate (404), as on the pages.

Contacts and call events are for the hotline operators and coordinators
(``HOTLINE_LOG``) of the owning organisation. A member of that organisation
in another role gets 403 (the hotline exists, the role is missing); members
of other organisations and site administrators get 404.
"""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from homeward.accounts.models import Organisation, User
from homeward.cases.api.common import request_user
from homeward.hotline import selectors
from homeward.hotline.models import CallEvent, Contact


def require_logger(request: Request) -> User:
    """The caller, if they log contacts somewhere (else 403)."""
    user = request_user(request)
    if not selectors.logging_organisations(user).exists():
        raise PermissionDenied
    return user


def require_logging_in(user: User, organisation: Organisation) -> None:
    """403 unless ``user`` logs contacts in ``organisation``."""
    if not selectors.can_log_contacts(user, organisation):
        raise PermissionDenied


def contact_for(request: Request, pk: int) -> tuple[User, Contact]:
    """The contact if the caller may see it: 403 for a colleague in another
    role, else 404 when it is not theirs."""
    user = request_user(request)
    if selectors.contact_hidden_by_role(user=user, pk=pk):
        raise PermissionDenied
    return user, selectors.contact_get_for_user(user=user, pk=pk)


def call_event_for(request: Request, pk: int) -> tuple[User, CallEvent]:
    """The call event if the caller may see it (403/404 as for contacts)."""
    user = request_user(request)
    if selectors.call_event_hidden_by_role(user=user, pk=pk):
        raise PermissionDenied
    return user, selectors.call_event_get_for_user(user=user, pk=pk)
