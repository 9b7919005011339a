"""The one access gate.

Every query for records a user may see goes through :func:`for_user`, which
applies the scope registered for the record's model family. A view never
writes its own organisation filter. :func:`get_for_user` answers 404 both for
"does not exist" and for "not yours", so an outsider learns nothing.

Apps register their families in their ``selectors.py``::

    @access.register(Organisation)
    def _organisations(user, queryset):
        return queryset.filter(memberships__user=user)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)
Scope = Callable[[Any, "QuerySet[Any]"], "QuerySet[Any]"]

_scopes: dict[type[Model], Scope] = {}
# Families with a public part: their scope is also asked about anonymous users.
_public: set[type[Model]] = set()


def register(model: type[Model], *, public: bool = False) -> Callable[[Scope], Scope]:
    """Declare how ``model`` is scoped to a user. One scope per model.

    With ``public=True`` the scope also receives anonymous users (and must
    then return only what may be shown without signing in).
    """

    def decorator(scope: Scope) -> Scope:
        if model in _scopes and _scopes[model] is not scope:
            raise ImproperlyConfigured(f"{model.__name__} already has an access scope")
        _scopes[model] = scope
        if public:
            _public.add(model)
        return scope

    return decorator


def for_user(user: Any, source: type[M] | QuerySet[M]) -> QuerySet[M]:
    """The records of ``source`` that ``user`` may see.

    Anonymous users see nothing, except in families registered as public;
    inactive users see nothing. Site administrators go through the scope like
    everyone else: each scope decides what they see.
    """
    queryset: QuerySet[M] = (
        source if isinstance(source, QuerySet) else source._default_manager.all()
    )
    model = queryset.model
    scope = _scopes.get(model)
    if scope is None:
        raise ImproperlyConfigured(f"{model.__name__} has no access scope registered")
    if user is None or not getattr(user, "is_authenticated", False):
        return scope(AnonymousUser(), queryset) if model in _public else queryset.none()
    if not user.is_active:
        return queryset.none()
    return scope(user, queryset)


def get_for_user(user: Any, source: type[M] | QuerySet[M], **lookup: Any) -> M:
    """One record the user may see, or 404 (the same for missing and forbidden)."""
    try:
        return for_user(user, source).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc

