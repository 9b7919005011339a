"""What the hotline's views share: the signed-in user, and a contact read
through the access gate with the right refusal."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from homeward.accounts.models import User
from homeward.hotline.models import Contact
from homeward.hotline.selectors import contact_get_for_user, contact_hidden_by_role


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def contact_for_view(user: User, pk: int) -> Contact:
    """The contact, or 404 — 403 for a colleague whose role logs no contacts."""
    try:
        return contact_get_for_user(user=user, pk=pk)
    except Http404:
        if contact_hidden_by_role(user=user, pk=pk):
            raise PermissionDenied from None
        raise
