"""Reads of the resource library, through the access gate.

Documents follow the directory's visibility rules (``selectors.visible_to``):
anonymous visitors see public documents, signed-in members also coalition
ones, restricted ones only with a named role; site administrators see all.
Coordinators and organisation administrators edit their organisation's
documents; coordinators of the coalition office edit every document.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from homeward.accounts.models import Membership, Organisation, User
from homeward.core import access
from homeward.directory.models_library import Document
from homeward.directory.selectors import (
    can_maintain,
    editable_owners,
    maintained_by_user,
    visible_to,
)


@access.register(Document, public=True)
def _document_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if getattr(user, "is_site_admin", False):
        return queryset
    return queryset.filter(visible_to(user) | maintained_by_user(user))


def document_list_for_user(
    *, user: Any, query: str = "", category: str = "", language: str = ""
) -> QuerySet[Document]:
    """Documents the user may see; every query word must appear in a title."""
    queryset = access.for_user(user, Document).select_related("owner")
    for word in query.split()[:10]:
        queryset = queryset.filter(Q(title_en__icontains=word) | Q(title_ru__icontains=word))
    if category:
        queryset = queryset.filter(category=category)
    if language:
        queryset = queryset.filter(language=language.lower())
    return queryset.order_by("title_en", "title_ru", "id")


def document_get_for_user(*, user: Any, pk: int) -> Document:
    """One document the user may see, or 404."""
    return access.get_for_user(user, Document.objects.select_related("owner"), pk=pk)


def can_edit_document(user: Any, document: Document) -> bool:
    return can_maintain(user, document.owner_id)


def document_get_for_editor(*, user: User, pk: int) -> Document:
    """A document the user may change: 404 when they cannot see it or are not
    a member of its organisation, 403 for members in a role that does not edit."""
    document = document_get_for_user(user=user, pk=pk)
    if can_edit_document(user, document):
        return document
    if Membership.objects.filter(
        user=user, is_active=True, organisation_id=document.owner_id
    ).exists():
        raise PermissionDenied
    raise Http404


def require_library_editor(user: User) -> QuerySet[Organisation]:
    """The organisations whose library the user may add to; 403 when none."""
    owners = editable_owners(user)
    if not owners.exists():
        raise PermissionDenied
    return owners


def library_owners_for_user(user: Any) -> QuerySet[Organisation]:
    """Like :func:`require_library_editor`, but empty instead of 403."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return editable_owners(user)
