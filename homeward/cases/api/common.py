"""What every case endpoint shares: the caller, the case through the gate
with the role check, and a service's refusal turned into an API answer
(with the schema of the 409 answer to an edit based on an old version)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request

from homeward.accounts.models import User
from homeward.cases import selectors
from homeward.cases.errors import EditConflict
from homeward.cases.models import Case
from homeward.cases.selectors import Need


def request_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsVerifiedMember ran first
    return user


def case_for(request: Request, code: str, *, need: Need = "see") -> tuple[User, Case]:
    """The case if the caller may see it (else 404) and do ``need`` (else 403)."""
    user = request_user(request)
    return user, selectors.case_get_for_user(user=user, code=code, need=need)


def require(allowed: bool) -> None:
    """403 (called after the gate found the record, so only for those who see it)."""
    if not allowed:
        raise PermissionDenied


def require_case_work_role(user: User) -> None:
    """403 for users whose roles never work on cases (researchers, organisation
    administrators, site administrators), as the case list page does."""
    if not selectors.works_on_cases(user):
        raise PermissionDenied


class Conflict(APIException):
    """Someone saved the record since the caller read it (HTTP 409).

    The body says what changed, with the current values, and the version to
    send with the next attempt.
    """

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, exc: EditConflict) -> None:
        message = " ".join(exc.messages)
        super().__init__(detail=message, code="conflict")
        # Set after __init__, which would turn the version into a string.
        body: Any = {
            "detail": message,
            "version": exc.version,
            "changes": [
                {"field": change.name, "label": change.label, "current": change.current}
                for change in exc.changes
            ],
        }
        self.detail = body


class ConflictChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    current = serializers.CharField(help_text=_("The value the other person saved."))


class ConflictSerializer(serializers.Serializer[Any]):
    """The answer to an edit based on an old version (HTTP 409)."""

    detail = serializers.CharField()
    version = serializers.IntegerField(help_text=_("The current version: send it to retry."))
    changes = ConflictChangeSerializer(many=True)


CONFLICT = OpenApiResponse(
    ConflictSerializer, description=_("Someone saved the record since you read it.")
)


def error_detail(exc: DjangoValidationError) -> dict[str, Any]:
    """A service's ValidationError as DRF error detail: per field when the
    service named fields, else ``{"detail": message}``."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"detail": " ".join(exc.messages)}


@contextmanager
def refusals() -> Iterator[None]:
    """Run a service call: its refusal becomes 400 (409 for an edit conflict)."""
    try:
        yield
    except EditConflict as exc:
        raise Conflict(exc) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(error_detail(exc)) from exc
