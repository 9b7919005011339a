"""What the hotline's views share: the signed-in user, a contact read
through the access gate with the right refusal, choice labels and the link
to a contact's case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core import access
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


def choice_labels(codes: list[str], choices: list[tuple[str, Any]]) -> list[str]:
    names = dict(choices)
    return [str(names[code]) for code in codes if code in names]


def case_link(user: User, case: Case | None) -> tuple[str, str]:
    """The linked case's code and, when the user may see it, its page."""
    if case is None:
        return "", ""
    if access.for_user(user, Case).filter(pk=case.pk).exists():
        return case.code, reverse("cases:case-detail", kwargs={"code": case.code})
    return case.code, ""
